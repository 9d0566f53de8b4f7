import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArchitectureReport,
  baselineKey,
  checkArchitecture,
  compareWithBaseline,
  formatViolation,
} from '../../infra/check-architecture';

// The rules of .dependency-cruiser.cjs, run as `pnpm run check:architecture`, over a tiny tree laid out
// like ours: pnpm-style symlinks for the workspace packages, whose `exports` point at their TypeScript
// source, and a stand-in kysely under node_modules. Each rule has exactly one violation in it, next to
// the imports that the same rule must allow.
const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true, jsx: 'react-jsx' },
  }),
  'node_modules/kysely/package.json': JSON.stringify({
    name: 'kysely',
    type: 'module',
    exports: { '.': './dist/index.js' },
  }),
  'node_modules/kysely/dist/index.js': 'export class Kysely {}\nexport const sql = () => {};\n',
  'packages/db/package.json': JSON.stringify({
    name: '@settle/db',
    exports: { '.': './src/index.ts', './testing': './src/testing.ts' },
  }),
  'packages/db/src/index.ts':
    "import { Kysely } from 'kysely';\nexport const createDb = () => new Kysely();\n",
  'packages/db/src/migrations/0001_initial_schema.ts':
    "import type { Kysely } from 'kysely';\nexport async function up(db: Kysely) {}\n",
  'packages/db/src/testing.ts': "import { sql } from 'kysely';\nexport const truncate = sql;\n",
  'packages/db/test/create-database.ts': "import { sql } from 'kysely';\nexport const create = sql;\n",
  'packages/core/package.json': JSON.stringify({ name: '@settle/core', exports: { '.': './src/index.ts' } }),
  'packages/core/src/index.ts':
    "import { createDb } from '@settle/db';\nexport class AppError {}\nexport { createDb };\n",
  'packages/domain/src/templates.ts':
    "import { LOCALES } from './locales';\nexport type Template = typeof LOCALES;\n",
  // A type-only import closes the cycle: it counts.
  'packages/domain/src/locales.ts':
    "import type { Template } from './templates';\nexport const LOCALES = ['pl'];\nexport type T = Template;\n",
  'packages/payments/src/stripe.ts':
    "import { AppError } from '@settle/core';\nexport const fail = new AppError();\n",
  'packages/payments/src/index.ts': "export * from './stripe';\n",
  'apps/api/src/reports.ts': "import { sql } from 'kysely';\nexport const report = sql;\n",
  'apps/portal/app/db.server.ts': "export { createDb } from '@settle/db';\n",
  // Type-only: still a route shaped by the database.
  'apps/portal/app/routes/finance.aging.tsx':
    "import type { createDb } from '@settle/db';\nexport type Loader = typeof createDb;\n",
  'apps/portal/app/routes/p.$token.tsx':
    "import { AppError } from '@settle/core';\nimport { createDb } from '../db.server';\nexport const x = [AppError, createDb];\n",
  // Build output is not ours to check.
  'apps/portal/build/server/index.js': "import { sql } from 'kysely';\nexport default sql;\n",
};

let root = '';
let report: ArchitectureReport;

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'settle-architecture-')));
  for (const [path, content] of Object.entries(FIXTURE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  mkdirSync(join(root, 'node_modules/@settle'), { recursive: true });
  for (const name of ['db', 'core'])
    symlinkSync(`../../packages/${name}`, join(root, 'node_modules/@settle', name));
  report = await checkArchitecture(root, ['apps', 'packages']);
}, 30_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const violationsOf = (rule: string) =>
  report.violations
    .filter((violation) => violation.rule === rule)
    .map(({ from, imported, to }) => ({ from, imported, to }));

describe('architecture rules (.dependency-cruiser.cjs)', () => {
  it('no-kysely-outside-db: kysely only in packages/db (source, migrations, test helpers)', () => {
    expect(violationsOf('no-kysely-outside-db')).toEqual([
      { from: 'apps/api/src/reports.ts', imported: 'kysely', to: 'node_modules/kysely/dist/index.js' },
    ]);
  });

  it('no-db-in-portal-routes: a route imports no @settle/db, not even a type', () => {
    expect(violationsOf('no-db-in-portal-routes')).toEqual([
      {
        from: 'apps/portal/app/routes/finance.aging.tsx',
        imported: '@settle/db',
        to: 'packages/db/src/index.ts',
      },
    ]);
  });

  it('payments-does-not-import-core: a provider edge imports no use case', () => {
    expect(violationsOf('payments-does-not-import-core')).toEqual([
      { from: 'packages/payments/src/stripe.ts', imported: '@settle/core', to: 'packages/core/src/index.ts' },
    ]);
  });

  it('no-circular: a cycle is reported once, also when one side is type-only', () => {
    const cycles = report.violations.filter((violation) => violation.rule === 'no-circular');
    expect(cycles).toHaveLength(1);
    expect(new Set(cycles[0]?.cycle)).toEqual(
      new Set(['packages/domain/src/templates.ts', 'packages/domain/src/locales.ts']),
    );
  });

  it('reports nothing else, one readable line each', () => {
    expect(report.violations).toHaveLength(4);
    expect(report.violations.map(formatViolation).sort()).toEqual([
      expect.stringMatching(
        /^no-circular: packages\/domain\/src\/(templates|locales)\.ts → .+ → packages\/domain\/src\/\1\.ts$/,
      ),
      'no-db-in-portal-routes: apps/portal/app/routes/finance.aging.tsx → @settle/db (packages/db/src/index.ts)',
      'no-kysely-outside-db: apps/api/src/reports.ts → kysely',
      'payments-does-not-import-core: packages/payments/src/stripe.ts → @settle/core (packages/core/src/index.ts)',
    ]);
  });
});

describe('the baseline of violations still to remove', () => {
  const route = {
    rule: 'no-db-in-portal-routes',
    from: 'apps/portal/app/routes/finance.aging.tsx',
    to: 'packages/db/src/index.ts',
    imported: '@settle/db',
  };
  const other = { ...route, from: 'apps/portal/app/routes/finance.tasks.tsx' };

  it('passes a listed violation, fails a new one, and fails a listed one that is gone', () => {
    const listed = [
      baselineKey(route),
      'payments-does-not-import-core: packages/payments/src/stripe.ts → @settle/core',
    ];
    const { added, known, gone } = compareWithBaseline([route, other], listed);
    expect(known).toEqual([route]);
    expect(added).toEqual([other]);
    expect(gone).toEqual(['payments-does-not-import-core: packages/payments/src/stripe.ts → @settle/core']);
  });

  it('names the import as written, so a listed file cannot hide another import of the same rule', () => {
    expect(baselineKey(route)).toBe(
      'no-db-in-portal-routes: apps/portal/app/routes/finance.aging.tsx → @settle/db',
    );
  });
});
