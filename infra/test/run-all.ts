import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../dev/stack';

/**
 * `infra/settle.sh test`: lint, typecheck, then every vitest suite (unit, integration, workflow, e2e)
 * and the small chaos run. Lint, typecheck, the architecture check and the chaos run count as one
 * check each. Ends with one line: `N passed, N failed`.
 */

interface Result {
  passed: number;
  failed: number;
  skipped: number;
}

function run(label: string, command: string, args: string[]): Promise<number> {
  console.log(`\n\x1b[1;34m[settle]\x1b[0m ${label}: ${command} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const total: Result = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
const check = async (label: string, command: string, args: string[]) => {
  const code = await run(label, command, args);
  if (code === 0) total.passed++;
  else {
    total.failed++;
    failures.push(label);
  }
};

await check('lint', 'pnpm', ['exec', 'biome', 'check', '.']);
await check('typecheck', 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.json', '--noEmit']);
await check('architecture', 'pnpm', ['--silent', 'run', 'check:architecture']);

const reportDir = join(ROOT, '.data/test-results');
mkdirSync(reportDir, { recursive: true });

/** One vitest invocation; its JSON report's counts are added to the total. */
async function vitest(label: string, args: string[]): Promise<void> {
  const report = join(reportDir, `${label}.json`);
  rmSync(report, { force: true });
  const code = await run(label, 'pnpm', [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...args,
  ]);
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
      testResults: { name: string; status: string; message?: string }[];
    };
    total.passed += json.numPassedTests;
    total.failed += json.numFailedTests;
    total.skipped += json.numPendingTests + json.numTodoTests;
    // A file that fails to load (syntax error, failed set-up) has no tests but must count as a failure.
    const brokenFiles = json.testResults.filter((file) => file.status === 'failed' && file.message);
    total.failed += brokenFiles.length;
    failures.push(...brokenFiles.map((file) => `${file.name}: ${file.message?.split('\n')[0]}`));
    if (code !== 0 && json.numFailedTests === 0 && brokenFiles.length === 0) {
      total.failed++;
      failures.push(`${label}: vitest exited with code ${code}`);
    }
  } catch {
    total.failed++;
    failures.push(`${label}: vitest wrote no report (exit code ${code}; a global set-up failed?)`);
  }
}

const passThrough = process.argv.slice(2);
if (passThrough.length > 0) {
  await vitest('tests', passThrough);
} else {
  // Two runs: the end-to-end suite starts the whole stack, which should neither compete for the two
  // cores with the other suites nor, when it cannot start, hide their results.
  await vitest('tests', ['--project', 'unit', '--project', 'integration', '--project', 'workflow']);
  await vitest('e2e', ['--project', 'e2e']);
  // The fault-injection suite's small variant (docs/chaos.md): 100 invoices under a few kills of the
  // worker and the API, a Temporal restart and terminated connections; passes only with all zeros.
  await check('chaos (small)', 'pnpm', ['exec', 'tsx', 'infra/chaos/run.ts', '--small']);
}

if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(
  `\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(total.failed > 0 ? 1 : 0);
