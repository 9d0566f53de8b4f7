import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { build } from 'esbuild';
import { workflowBundleOptions } from '../src/workflow-bundle';

/**
 * The worker as production runs it: `dist/main.js` (the process, one ES module compiled by esbuild,
 * run with plain `node`, no TypeScript loader in memory) and `dist/workflow-bundle.js` (the workflow
 * code, loaded through WORKER_WORKFLOW_BUNDLE). Temporal's packages (native core, the workflow
 * sandbox) and the letter's PDF library and fonts (read from their package folders) stay outside
 * the bundle and are loaded from the worker's node_modules, so the output stays in `apps/worker/dist`.
 *
 *   pnpm --filter @settle/worker build
 *   pnpm --filter @settle/worker start:built      (node dist/main.js with the prebuilt workflow bundle)
 */
const root = resolve(import.meta.dirname, '..');
const outDir = resolve(root, 'dist');

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outfile: `${outDir}/main.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  external: ['@temporalio/*', 'pdfkit', 'dejavu-fonts-ttf'],
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __settleCreateRequire } from 'node:module'; const require = __settleCreateRequire(import.meta.url);",
  },
});
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };
const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: quiet });
await mkdir(outDir, { recursive: true });
await writeFile(`${outDir}/workflow-bundle.js`, code);
console.log(`worker built into ${outDir}: main.js, workflow-bundle.js`);
