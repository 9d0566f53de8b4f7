import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A cheap check in the test command rather than a review rule (docs/STYLE "Lessons from our own
// tree"): two modules that import each other, even for types only, hide an order dependency and
// make a file impossible to understand on its own. A tiny parser is enough because the house imports
// only through static `import … from` / `export … from` with relative paths or `@settle/*` names.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_DIRS = ['apps/*/src', 'apps/*/app', 'apps/*/scripts', 'packages/*/src'];
const SKIPPED_DIRS = new Set(['node_modules', 'build', 'dist', '__fixtures__']);

function expand(pattern: string): string[] {
  const [top, , leaf] = pattern.split('/');
  const base = join(ROOT, top ?? '');
  return readdirSync(base)
    .map((name) => join(base, name, leaf ?? ''))
    .filter((dir) => existsSync(dir) && statSync(dir).isDirectory());
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `@settle/db/testing` → packages/db/src/testing.ts, from each package's `exports` map. */
function workspaceEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const manifest = join(ROOT, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name, exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name: string;
      exports?: Record<string, string>;
    };
    for (const [subpath, target] of Object.entries(exports ?? {})) {
      entries.set(
        subpath === '.' ? name : `${name}/${subpath.slice(2)}`,
        join(ROOT, 'packages', dir, target),
      );
    }
  }
  return entries;
}

// Static imports and re-exports, `import type` included; comments are stripped first so an example in
// a JSDoc block does not count.
const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;

function specifiersOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...code.matchAll(IMPORT)].map((match) => match[1] ?? '');
}

function resolveSpecifier(
  from: string,
  specifier: string,
  workspace: Map<string, string>,
): string | undefined {
  if (workspace.has(specifier)) return workspace.get(specifier);
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
  return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find(
    (candidate) => /\.tsx?$/.test(candidate) && existsSync(candidate),
  );
}

/** Every import cycle as its strongly connected component (Tarjan), each a sorted list of files. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfImport = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfImport) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

describe('module graph', () => {
  it('finds a cycle, including one through a type-only import', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(
      specifiersOf("import type { X } from './x';\n// import { y } from './y'\nexport * from './z';"),
    ).toEqual(['./x', './z']);
  });

  it('has no import cycle in apps/* or packages/*', () => {
    const workspace = workspaceEntries();
    const files = SOURCE_DIRS.flatMap(expand).flatMap(sourceFiles);
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const imports = specifiersOf(readFileSync(file, 'utf8'))
        .map((specifier) => resolveSpecifier(file, specifier, workspace))
        .filter((target): target is string => target !== undefined);
      graph.set(relative(ROOT, file), [...new Set(imports.map((target) => relative(ROOT, target)))]);
    }
    expect(files.length).toBeGreaterThan(100);
    expect(importCycles(graph).map((cycle) => cycle.join(' ↔ '))).toEqual([]);
  });
});
