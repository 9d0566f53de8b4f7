import { spawn } from 'node:child_process';

/** stripe-mock (built by the set-up) on a port the system picks: the Stripe API boundary in tests. */
export async function startStripeMock(): Promise<{ url: string; stop(): Promise<void> }> {
  const path = process.env.STRIPE_MOCK_PATH;
  if (!path) throw new Error('STRIPE_MOCK_PATH is not set: run the tests through infra/settle.sh test');
  const child = spawn(path, ['-http-addr', '127.0.0.1:'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += String(data);
      const match = /Listening for HTTP at address: ([\d.]+:\d+)/.exec(output);
      if (match) resolve(`http://${match[1]}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`stripe-mock exited (${code}): ${output}`)));
    setTimeout(() => reject(new Error(`stripe-mock did not start: ${output}`)), 15_000).unref();
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
