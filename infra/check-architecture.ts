import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/**
 * `pnpm run check:architecture`: the import rules of `.dependency-cruiser.cjs` (no Kysely outside
 * packages/db, no @settle/db in portal routes, payments does not import core, no import cycles) over
 * the repo's source. Prints one line per violation and exits 1 when there is any.
 */

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const CONFIG_FILE = join(ROOT, '.dependency-cruiser.cjs');
/** Everything of ours that holds code; build output and fixtures are excluded by the config. */
export const SOURCE_DIRS = ['apps', 'packages', 'infra', 'test'];

export interface ArchitectureViolation {
  rule: string;
  /** The importing file, relative to the tree's root. */
  from: string;
  /** The imported file as resolved (an npm package's real path is under node_modules/.pnpm). */
  to: string;
  /** The import as written (`kysely`, `@settle/db`, `./locales`). */
  imported: string;
  /** For an import cycle: its files in import order, the first repeated at the end. */
  cycle?: string[];
}

export interface ArchitectureReport {
  violations: ArchitectureViolation[];
  modules: number;
}

/** Cruises `dirs` of the tree at `baseDir` with the repo's rules; cycles are reported once each. */
export async function checkArchitecture(
  baseDir: string,
  dirs: string[] = SOURCE_DIRS,
): Promise<ArchitectureReport> {
  const options = await extractDepcruiseOptions(CONFIG_FILE);
  const tsConfigFile = join(baseDir, options.tsConfig?.fileName ?? 'tsconfig.json');
  const { output } = await cruise(
    dirs,
    { ...options, baseDir, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  const result = output as ICruiseResult;
  const seenCycles = new Set<string>();
  const violations: ArchitectureViolation[] = [];
  for (const violation of result.summary.violations) {
    const cycle = violation.cycle && [violation.from, ...violation.cycle.map((step) => step.name)];
    if (cycle) {
      // The cruiser reports a cycle once per file in it; one line per cycle is enough to act on.
      const key = [...new Set(cycle)].sort().join('\n');
      if (seenCycles.has(key)) continue;
      seenCycles.add(key);
    }
    violations.push({
      rule: violation.rule.name,
      from: violation.from,
      to: violation.to,
      imported: importedAs(result, violation),
      ...(cycle ? { cycle } : {}),
    });
  }
  return { violations, modules: result.summary.totalCruised };
}

function importedAs(result: ICruiseResult, violation: IViolation): string {
  const source = result.modules.find((module) => module.source === violation.from);
  const dependency = source?.dependencies.find((candidate) => candidate.resolved === violation.to);
  return dependency?.module ?? violation.to;
}

/** `rule: from → to`, naming an npm or workspace package as imported and a cycle in full. */
export function formatViolation(violation: ArchitectureViolation): string {
  if (violation.cycle) return `${violation.rule}: ${violation.cycle.join(' → ')}`;
  const isPackage = !violation.imported.startsWith('.');
  const target = !isPackage
    ? violation.to
    : violation.to.includes('node_modules/')
      ? violation.imported
      : `${violation.imported} (${violation.to})`;
  return `${violation.rule}: ${violation.from} → ${target}`;
}

/**
 * Violations known when the check was introduced and still to be removed (issue #12: routes that
 * read the database, payments calling core). Listed by rule, importing file and import as written,
 * so editing such a file does not hide a new violation elsewhere: a violation not listed fails the
 * check, and so does a listed one that no longer occurs (the list only shrinks).
 */
export const BASELINE_FILE = join(ROOT, 'infra/architecture-baseline.json');

export function baselineKey(violation: ArchitectureViolation): string {
  return violation.cycle
    ? `${violation.rule}: ${violation.cycle.join(' → ')}`
    : `${violation.rule}: ${violation.from} → ${violation.imported}`;
}

/** The check against a baseline: what is new (fails), what is known, and listed entries now gone (fail). */
export function compareWithBaseline(
  violations: ArchitectureViolation[],
  baseline: readonly string[],
): { added: ArchitectureViolation[]; known: ArchitectureViolation[]; gone: string[] } {
  const listed = new Set(baseline);
  const found = new Set(violations.map(baselineKey));
  return {
    added: violations.filter((violation) => !listed.has(baselineKey(violation))),
    known: violations.filter((violation) => listed.has(baselineKey(violation))),
    gone: baseline.filter((key) => !found.has(key)),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { violations, modules } = await checkArchitecture(ROOT);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const baseline = existsSync(BASELINE_FILE)
    ? (JSON.parse(readFileSync(BASELINE_FILE, 'utf8')) as { pending: string[] }).pending
    : [];
  const { added, known, gone } = compareWithBaseline(violations, baseline);
  for (const violation of added) console.log(formatViolation(violation));
  for (const key of gone) console.log(`fixed, remove it from infra/architecture-baseline.json: ${key}`);
  console.log(
    `architecture: ${added.length} new violation${added.length === 1 ? '' : 's'}, ${known.length} known and still to remove (infra/architecture-baseline.json), ${gone.length} fixed but still listed (${modules} modules, ${seconds} s)`,
  );
  process.exit(added.length === 0 && gone.length === 0 ? 0 : 1);
}
