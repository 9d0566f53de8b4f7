import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../workflow-bundle';

/**
 * The fingerprint of the code that runs inside workflows: every module the workflow bundle contains,
 * a repository file by the hash of its content, a dependency by its name and version. Two bundles
 * with the same fingerprint run the same code, so a history recorded with one replays the same way
 * with the other. See docs/decisions/0007-versioning-running-workflows.md.
 */
export type WorkflowCodeFingerprint = Record<string, string>;

const REPO_ROOT = join(import.meta.dirname, '../../../..');
export const HISTORY_FIXTURES = join(import.meta.dirname, '../__fixtures__/histories');
const FINGERPRINT_FILE = 'workflow-code.json';

/** Bundles the workflows as the worker does and lists what went in. */
export async function workflowCodeFingerprint(): Promise<WorkflowCodeFingerprint> {
  const resources = new Set<string>();
  await bundleWorkflowCode({
    ...workflowBundleOptions([
      {
        apply(compiler) {
          compiler.hooks.compilation.tap('settle-fingerprint', (compilation) => {
            compilation.hooks.finishModules.tap('settle-fingerprint', (modules) => {
              for (const module of modules) {
                const resource = (module as { resource?: string }).resource;
                const file = resource?.split('?')[0];
                // The SDK's generated entry point exists only in webpack's memory: it follows the SDK.
                if (file && existsSync(file)) resources.add(file);
              }
            });
          });
        },
      },
    ]),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  const fingerprint: WorkflowCodeFingerprint = {};
  for (const resource of [...resources].sort()) {
    const dependency = packageOf(resource);
    if (dependency) {
      fingerprint[dependency.name] = dependency.version;
    } else {
      const path = relative(REPO_ROOT, resource).split(sep).join('/');
      fingerprint[path] = createHash('sha256').update(readFileSync(resource)).digest('hex').slice(0, 16);
    }
  }
  return fingerprint;
}

/** The installed package a file in node_modules belongs to, or null for the repository's own code. */
function packageOf(resource: string): { name: string; version: string } | null {
  const parts = resource.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return null;
  const scoped = parts[at + 1]?.startsWith('@');
  const root = parts.slice(0, at + (scoped ? 3 : 2)).join(sep);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: `npm:${manifest.name}`, version: manifest.version };
}

/** Fixture sets, oldest first: one folder per recorded version of the workflow code. */
export function fixtureSets(): { name: string; dir: string; fingerprint: WorkflowCodeFingerprint | null }[] {
  return readdirSync(HISTORY_FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(HISTORY_FIXTURES, name);
      const file = join(dir, FINGERPRINT_FILE);
      return {
        name,
        dir,
        fingerprint: existsSync(file)
          ? (JSON.parse(readFileSync(file, 'utf8')) as WorkflowCodeFingerprint)
          : null,
      };
    });
}

export function writeFingerprint(dir: string, fingerprint: WorkflowCodeFingerprint): void {
  writeFileSync(join(dir, FINGERPRINT_FILE), `${JSON.stringify(fingerprint, null, 2)}\n`);
}

/** What differs between two fingerprints, one line per module, for the failure message. */
export function fingerprintChanges(from: WorkflowCodeFingerprint, to: WorkflowCodeFingerprint): string[] {
  const changes: string[] = [];
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (!(key in to)) changes.push(`removed ${key}`);
    else if (!(key in from)) changes.push(`added ${key}`);
    else if (from[key] !== to[key]) changes.push(`changed ${key} (${from[key]} → ${to[key]})`);
  }
  return changes.sort();
}

export const fingerprintsEqual = (a: WorkflowCodeFingerprint, b: WorkflowCodeFingerprint): boolean =>
  fingerprintChanges(a, b).length === 0;

let fingerprinted = false;
/**
 * With RECORD_HISTORIES=<set name> (e.g. 2026-12-02-holds-from-database), saves a finished scenario's
 * event history into a new fixture set with the fingerprint of the workflow code that made it; the
 * replay test replays every set with today's code, so a non-deterministic change fails CI.
 */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  const set = process.env.RECORD_HISTORIES;
  if (!set) return;
  if (!/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/.test(set)) {
    throw new Error(`RECORD_HISTORIES=${set}: name the set YYYY-MM-DD-what-changed`);
  }
  const dir = join(HISTORY_FIXTURES, set);
  mkdirSync(dir, { recursive: true });
  if (!fingerprinted) {
    writeFingerprint(dir, await workflowCodeFingerprint());
    fingerprinted = true;
  }
  writeFileSync(join(dir, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}
