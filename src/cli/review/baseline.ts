// The baseline: findings a team has accepted, so only new ones are reported. Matched by rule, file and
// fingerprint (rule + enclosing function + normalised flagged source), never by line: code moving around does not
// bring old findings back. Paths in the file are relative to the file's own folder, so it works from any directory.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Finding } from '../../analysis/finding';
import { readBounded } from '../../files/read-source';
import { displayPath } from '../../files/walk';
import { ReviewError } from './git';

export const BASELINE_VERSION = 1;
/** Far beyond any real baseline (a finding takes a few hundred bytes), and a bound on a file that never ends. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export interface BaselineEntry {
  readonly rule: string;
  /** Relative to the baseline file's folder, forward slashes. */
  readonly file: string;
  readonly fingerprint: string;
  /** Where the finding was when it was accepted: for people reading the file, not for matching. */
  readonly line: number;
  readonly message: string;
}

export interface Baseline {
  /** The real path of the folder the baseline lives in. */
  readonly folder: string;
  readonly entries: readonly BaselineEntry[];
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function realFolderOf(path: string, cwd: string): string {
  return realpathOr(dirname(resolve(cwd, path)));
}

/** Turns finding paths (relative to `cwd`) into baseline paths (relative to the baseline's folder). */
function baselinePaths(folder: string, cwd: string): (file: string) => string {
  // Both sides real paths, so a symlinked checkout or temp folder gives the same relative names.
  const from = realpathOr(cwd);
  return (file) => displayPath(folder, resolve(from, file));
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

function isEntry(value: unknown): value is BaselineEntry {
  const e = value as Record<string, unknown>;
  return typeof e === 'object' && e !== null && typeof e.rule === 'string' && typeof e.file === 'string' && typeof e.fingerprint === 'string';
}

export function readBaseline(path: string, cwd: string): Baseline {
  // A baseline may come with the pull request under review: it is read like any file there, bounded.
  const read = readBounded(resolve(cwd, path), MAX_BASELINE_BYTES);
  if ('skipped' in read) throw new ReviewError(`cannot read baseline ${path}: ${read.skipped}`);
  const text = new TextDecoder().decode(read.data);
  let data: { tool?: unknown; version?: unknown; findings?: unknown };
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReviewError(`baseline ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof data !== 'object' || data === null || data.tool !== 'closewait' || !Array.isArray(data.findings)) {
    throw new ReviewError(`${path} is not a CloseWait baseline (expected {"tool":"closewait","version":1,"findings":[...]})`);
  }
  if (data.version !== BASELINE_VERSION) {
    throw new ReviewError(
      typeof data.version === 'number' && data.version > BASELINE_VERSION
        ? `baseline ${path} was written by a newer CloseWait (format version ${data.version})`
        : `baseline ${path} has an unknown format version ${JSON.stringify(data.version)}`,
    );
  }
  const bad = data.findings.findIndex((entry) => !isEntry(entry));
  if (bad >= 0) throw new ReviewError(`baseline ${path}: entry ${bad + 1} needs string fields rule, file and fingerprint`);
  return { folder: realFolderOf(path, cwd), entries: data.findings as BaselineEntry[] };
}

/** Writes every finding as accepted; sorted by file, rule and fingerprint so that line shifts change values, not order. */
export function writeBaseline(path: string, findings: readonly Finding[], cwd: string): Baseline {
  const absolute = resolve(cwd, path);
  try {
    mkdirSync(dirname(absolute), { recursive: true });
  } catch (error) {
    throw new ReviewError(`cannot write baseline ${path}: ${describe(error)}`);
  }
  const folder = realFolderOf(path, cwd);
  const toBaselinePath = baselinePaths(folder, cwd);
  const entries: BaselineEntry[] = findings
    .map((f) => ({ rule: f.rule, file: toBaselinePath(f.file), fingerprint: f.fingerprint, line: f.line, message: f.message }))
    .sort((a, b) => compare(a.file, b.file) || compare(a.rule, b.rule) || compare(a.fingerprint, b.fingerprint) || a.line - b.line);
  const json = JSON.stringify({ tool: 'closewait', version: BASELINE_VERSION, findings: entries }, null, 2);
  try {
    writeFileSync(absolute, `${json}\n`);
  } catch (error) {
    throw new ReviewError(`cannot write baseline ${path}: ${describe(error)}`);
  }
  return { folder, entries };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface BaselineMatch {
  /** Findings the baseline does not account for. */
  readonly remaining: Finding[];
  readonly accepted: number;
  /** Entries no finding matched: fixed, changed beyond recognition, or not part of this scan. */
  readonly unmatched: BaselineEntry[];
}

/**
 * Multiset matching: each entry accepts one finding with the same rule, file and fingerprint. When a function holds
 * more identical findings than the baseline has entries, the entries go first to findings the change did not touch
 * (`likelyNew` false), then to those nearest their recorded lines; the rest (most likely the copies just added) are
 * reported.
 */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
  cwd: string,
  likelyNew: (f: Finding) => boolean = () => false,
): BaselineMatch {
  const keyOf = (rule: string, file: string, fingerprint: string) => `${rule}\0${file}\0${fingerprint}`;
  const toBaselinePath = baselinePaths(baseline.folder, cwd);
  const entriesByKey = groupBy(baseline.entries, (e) => keyOf(e.rule, e.file, e.fingerprint));
  const findingsByKey = groupBy(findings, (f) => keyOf(f.rule, toBaselinePath(f.file), f.fingerprint));
  const acceptedFindings = new Set<Finding>();
  const usedEntries = new Set<BaselineEntry>();
  for (const [key, group] of findingsByKey) {
    const entries = entriesByKey.get(key) ?? [];
    if (entries.length === 0) continue;
    const pairs = group.flatMap((f) => {
      const newCopy = group.length > entries.length && likelyNew(f);
      return entries.map((e) => ({ f, e, newCopy, distance: Math.abs(f.line - (Number(e.line) || 0)) }));
    });
    pairs.sort((a, b) => Number(a.newCopy) - Number(b.newCopy) || a.distance - b.distance);
    for (const { f, e } of pairs) {
      if (acceptedFindings.has(f) || usedEntries.has(e)) continue;
      acceptedFindings.add(f);
      usedEntries.add(e);
    }
  }
  return {
    remaining: findings.filter((f) => !acceptedFindings.has(f)),
    accepted: acceptedFindings.size,
    unmatched: baseline.entries.filter((e) => !usedEntries.has(e)),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
