import { defineConfig } from 'vitest/config';

// One runner, four suites. File names say which suite a test belongs to:
//   *.test.ts           unit: pure code, no services
//   *.int.test.ts       integration: a fresh PostgreSQL database per file (and Temporal where needed)
//   *.workflow.test.ts  workflows on a real Temporal server started from the built CLI
//   test/e2e/*.e2e.ts   end-to-end in headless Chromium against the running stack
const ignored = ['**/node_modules/**', '**/build/**', '**/dist/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // test/architecture: checks on the shape of the tree itself (no import cycles, …);
          // infra/dev: the pure parts of the development stack (process supervision).
          include: [
            '{apps,packages}/*/{src,app}/**/*.test.{ts,tsx}',
            'test/architecture/**/*.test.ts',
            'infra/dev/**/*.test.ts',
          ],
          exclude: [...ignored, '**/*.int.test.ts', '**/*.workflow.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{apps,packages}/*/{src,app}/**/*.int.test.ts', 'test/integration/**/*.int.test.ts'],
          exclude: ignored,
          globalSetup: ['test/setup/database.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'workflow',
          include: ['{apps,packages}/*/src/**/*.workflow.test.ts'],
          exclude: ignored,
          globalSetup: ['test/setup/database.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          exclude: ignored,
          globalSetup: ['test/setup/database.ts', 'test/setup/stack.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
