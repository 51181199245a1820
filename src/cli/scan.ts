// A whole scan: walk the paths, gather the workspace facts, analyse each file (in worker threads when it pays),
// collect findings and everything that was skipped.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Finding } from '../analysis/finding';
import type { AnalyzeOptions } from '../analysis/engine';
import { addHidden, NO_HIDDEN, type HiddenCounts } from '../analysis/scope/policy';
import { combineFacts, type FileFacts, type WorkspaceFacts } from '../analysis/facts';
import { loadAllLanguages } from '../analysis/parse/grammars';
import { fsPath, type FsPath } from '../files/read-source';
import { displayPath, walk, type Skip } from '../files/walk';
import { dropParsed, factsOfJob, scanFile, type FileJob, type FileOutcome } from './scan-file';
import { ScanPool, workerScript } from './scan-pool';

export interface ScanOptions {
  readonly cwd: string;
  readonly exclude: readonly string[];
  readonly analyze: AnalyzeOptions;
  /** Threads that analyse (this one and workers; default: one per core for a large enough scan); 1: this one only. */
  readonly jobs?: number;
  /** Called as files are done with (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ScanReport {
  readonly findings: Finding[];
  readonly files: number;
  readonly skipped: Skip[];
  /** Files that did not parse cleanly: how many ERROR/MISSING nodes, and the line of the first. */
  readonly syntaxErrors: { file: string; errors: number; line?: number }[];
  readonly failures: { file: string; rule: string; message: string }[];
  /** Findings the policy kept out (test code, browser code, strict-only), counted by reason. */
  readonly hidden: HiddenCounts;
  /** What the scan learnt about the workspace's own servers. */
  readonly facts: WorkspaceFacts;
  readonly ms: number;
}

/**
 * Without --jobs, a scan of less source than this stays in this thread: each worker first spends a while starting,
 * loading the grammars and warming up, which a small scan does not win back. `npm run bench` measures the crossover
 * (bench/scan.ts): on two cores workers pay from about half a megabyte of source.
 */
export const MIN_BYTES_FOR_WORKERS = 512 * 1024;
/** Without --jobs, each analysing thread gets at least this much source. */
const BYTES_PER_SOURCE_THREAD = 256 * 1024;

export async function scan(paths: readonly string[], options: ScanOptions): Promise<ScanReport> {
  const started = performance.now();
  await loadAllLanguages();
  const { files, configFiles, skipped } = walk(paths, { cwd: options.cwd, exclude: options.exclude });
  const jobs: FileJob[] = files.map((absolute, index) => ({ index, absolute, file: displayPath(options.cwd, absolute) }));
  // Workers start now: they load the grammars while this thread reads the workspace facts. This thread analyses
  // beside them (--jobs N is N analysing threads): one worker fewer to start, warm up and keep in memory.
  let sizes: number[] | undefined;
  const sizesOf = (): number[] => (sizes ??= files.map(sizeOnDisk));
  const workers = workerCount(files.length, options, () => sizesOf().reduce((n, b) => n + b, 0));
  const script = workerScript();
  const pool = workers > 0 && script ? new ScanPool(script, workers) : undefined;
  let outcomes: FileOutcome[];
  let facts: WorkspaceFacts;
  try {
    const extraHosts = options.analyze.facts?.extraHosts ?? [];
    facts = pool ? await factsInParallel(pool, options.cwd, configFiles, jobs, sizesOf(), extraHosts) : workspaceFacts(options.cwd, [...configFiles, ...files], extraHosts);
    // Only a scan of the whole folder sees every file that may refer to a class or import a module: of part of it,
    // no class is dead and no module is known by its importers.
    if (!coversWorkingFolder(paths, options.cwd)) facts = { ...facts, unreferencedJavaFiles: [], browserOnlyModules: [], testOnlyModules: [], unmentionedNames: {}, restTemplateInjected: true };
    const analyze: AnalyzeOptions = { ...options.analyze, facts };
    const progress = (done: number) => options.onProgress?.(done, jobs.length);
    outcomes = pool ? await pool.analyze(jobs, sizesOf(), analyze, progress, (job) => scanFile(job, analyze)) : analyzeInProcess(jobs, analyze, progress);
  } finally {
    pool?.close();
    dropParsed();
  }

  const findings: Finding[] = [];
  const syntaxErrors: ScanReport['syntaxErrors'] = [];
  const failures: ScanReport['failures'] = [];
  let analysed = 0;
  let hidden = NO_HIDDEN;
  jobs.forEach(({ file }, index) => {
    const outcome = outcomes[index];
    if (outcome.skipped !== undefined) {
      skipped.push({ file, reason: outcome.skipped });
      return;
    }
    analysed++;
    findings.push(...outcome.findings);
    hidden = addHidden(hidden, outcome.hidden);
    if (outcome.syntaxErrors > 0) syntaxErrors.push({ file, errors: outcome.syntaxErrors, line: outcome.firstSyntaxErrorLine });
    for (const f of outcome.failures) failures.push({ file, ...f });
  });
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  return { findings, files: analysed, skipped, syntaxErrors, failures, hidden, facts, ms: Math.round(performance.now() - started) };
}

/**
 * How many worker threads to start beside this thread (which analyses too); 0: this thread alone. An explicit
 * --jobs is obeyed; the default (one thread per core) only when the scan is large enough to pay for the workers'
 * start (`bytes` is asked only then).
 */
export function workerCount(files: number, options: Pick<ScanOptions, 'jobs' | 'analyze'>, bytes: () => number): number {
  const threads = options.jobs ?? availableParallelism();
  // A custom rule set holds functions, which cannot be sent to a worker.
  if (threads <= 1 || files < 2 || options.analyze.ruleSet || !workerScript()) return 0;
  if (options.jobs !== undefined) return Math.min(threads, files) - 1;
  const size = bytes();
  return size < MIN_BYTES_FOR_WORKERS ? 0 : Math.min(threads, files, Math.floor(size / BYTES_PER_SOURCE_THREAD)) - 1;
}

/** True when the scan's paths are the working folder itself (`closewait scan`, `closewait scan .`). */
function coversWorkingFolder(paths: readonly string[], cwd: string): boolean {
  return paths.length === 0 || paths.some((p) => resolve(cwd, p) === resolve(cwd));
}

/** A file's size on disk, as a measure of its work (an unreadable file counts nothing: it is skipped later). */
function sizeOnDisk(file: FsPath): number {
  try {
    return statSync(fsPath(file)).size;
  } catch {
    return 0;
  }
}

function analyzeInProcess(jobs: readonly FileJob[], analyze: AnalyzeOptions, onProgress: (done: number) => void): FileOutcome[] {
  return jobs.map((job, i) => {
    const outcome = scanFile(job, analyze);
    onProgress(i + 1);
    return outcome;
  });
}

/**
 * The facts pass shared with the workers: configuration files here (they are few and small), sources in batches;
 * combined in walk order, as the serial pass does.
 */
async function factsInParallel(pool: ScanPool, cwd: string, configFiles: readonly FsPath[], jobs: readonly FileJob[], sizes: readonly number[], extraHosts: readonly string[]): Promise<WorkspaceFacts> {
  const configs = factsOfPaths(cwd, configFiles);
  const sources = await pool.facts(jobs, sizes, (job) => factsOfJob(job, true));
  return combineFacts(declared([...configs, ...sources]), extraHosts);
}

/** Facts first: rules such as self-call need to know every port the workspace listens on before any file is checked. */
function workspaceFacts(cwd: string, paths: readonly FsPath[], extraHosts: readonly string[]): WorkspaceFacts {
  return combineFacts(declared(factsOfPaths(cwd, paths)), extraHosts);
}

/**
 * Each file's facts, one file's text at a time in memory, not the whole workspace's: only the facts are kept, and
 * the trees of the first sources parsed for them, which their analysis takes over (see scan-file.ts).
 */
function factsOfPaths(cwd: string, paths: readonly FsPath[]): (FileFacts | undefined)[] {
  return paths.map((absolute, index) => factsOfJob({ index, absolute, file: displayPath(cwd, absolute) }, true));
}

function declared(facts: readonly (FileFacts | undefined)[]): FileFacts[] {
  return facts.filter((f): f is FileFacts => f !== undefined);
}
