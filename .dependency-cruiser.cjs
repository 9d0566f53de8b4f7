// The shape of the tree as cheap checks (issue #12), run by `pnpm run check:architecture`
// (infra/check-architecture.ts). STYLE.md, "Lessons from our own tree": keep the shape with checks in
// the test command (no Kysely outside packages/db, no @settle/db in routes, no import cycles) rather
// than by review alone; the layers are DESIGN.md's table "Layers (packages/)".
//
// A `to.path` names both the resolved file (a workspace package resolves through its `exports` to its
// src/, an npm package to its real path under node_modules/.pnpm) and the bare name, so an import that
// does not resolve (a missing dependency) is still caught.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-kysely-outside-db',
      comment:
        'Every SQL statement lives in packages/db (DESIGN.md "Layers": db holds migrations, table types and ' +
        'every SQL statement; STYLE.md "Lessons from our own tree": no Kysely outside packages/db). Elsewhere, ' +
        'call a query function of @settle/db instead of building a query.',
      severity: 'error',
      from: { pathNot: '^packages/db/(src|test)/|^packages/db/.+[.]test[.]tsx?$' },
      to: { path: '(^|/)node_modules/kysely/|^kysely(/|$)' },
    },
    {
      name: 'no-db-in-portal-routes',
      comment:
        'Routes are thin: a loader or action parses input, calls one application function of @settle/core ' +
        'and maps the result (DESIGN.md "Layers"; STYLE.md "What that adds up to" 2 and "Lessons from our ' +
        'own tree": no @settle/db in routes). A type-only import counts too: the route would then be shaped ' +
        'by a table row instead of by a use case.',
      severity: 'error',
      from: { path: '^apps/portal/app/routes/' },
      to: { path: '^packages/db/|^@settle/db(/|$)' },
    },
    {
      name: 'payments-does-not-import-core',
      comment:
        'packages/payments is a provider edge and may import the domain only (DESIGN.md "Layers": payments ' +
        'may import domain; core imports the provider edges, not the other way round). An edge that calls ' +
        'a use case makes the layers circular.',
      severity: 'error',
      from: { path: '^packages/payments/' },
      to: { path: '^packages/core/|^@settle/core(/|$)' },
    },
    {
      name: 'no-circular',
      comment:
        'Two modules that import each other, even for types only, hide an order dependency and make a file ' +
        'impossible to understand on its own (STYLE.md "Lessons from our own tree": no import cycles).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // The repo's own files only: npm packages are leaves (kept in the graph, so the kysely rule sees them,
    // but not followed); our build output and recorded fixtures are not code (an npm package's own dist/
    // must stay: kysely resolves to one).
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(?!.*node_modules/).*(^|/)(build|dist|[.]data|__fixtures__)/' },
    // `import type` counts: a type-only import is still a dependency of the file's meaning.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // Workspace packages (pnpm symlinks) resolve through their `exports` map to TypeScript source.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.jsx', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
