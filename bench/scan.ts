// Scan throughput on (a) a generated corpus of 2,000 Java and 2,000 TypeScript files (~1M lines) and (b) real code
// no one here wrote: the JavaScript and TypeScript under this project's node_modules. For each: files/s, MB/s,
// the ratio of the scan's time to a bare tree-sitter parse of the same files in the same run (the parse is the
// floor), the built CLI's wall time with --jobs 1 and one worker per core, and its peak RSS.
// In-process figures come from the bundled analysis (bench/bundle.ts), CPU time; CLI figures are wall time.
// Run: npm run build && node --import tsx bench/scan.ts   (bench/run.ts aggregates `run()`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadBundledCore, type ScanCore } from './bundle';
import { writeCorpus } from './corpus';

const MB = 1024 * 1024;
const repoRoot = join(__dirname, '..');
const cliPath = join(repoRoot, 'dist', 'cli.js');

interface Source {
  readonly path: string;
  readonly text: string;
  readonly bytes: number;
}

/** The files a scan would analyse, read into memory once: what the parse and the analysis passes share. */
function readSources(core: ScanCore, cwd: string, files: readonly string[]): Source[] {
  const out: Source[] = [];
  for (const absolute of files) {
    const source = core.readSource(absolute);
    const path = relative(cwd, absolute);
    if ('skipped' in source || core.skipReason(path, source.text, source.bytes)) continue;
    out.push({ path, text: source.text, bytes: source.bytes });
  }
  return out;
}

/** CPU seconds of this process (one thread here): steadier than wall time on a shared machine. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Every file under `dir` the scan can analyse, build folders and dependencies included (real code lives there). */
function sourcesUnder(core: ScanCore, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(core, path));
    else if (entry.isFile() && core.languageForPath(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Runs the built CLI; wall time and peak RSS (worker threads included) of the whole process. */
function cli(cwd: string, args: string[]): { seconds: number; peakRssMB: number; files: number } {
  const rssDir = mkdtempSync(join(tmpdir(), 'closewait-rss-'));
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--require', join(__dirname, 'peak-rss.cjs'), cliPath, 'scan', '--format', 'json', ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 512 * MB,
    env: { ...process.env, CLOSEWAIT_BENCH_RSS: join(rssDir, 'rss') },
  });
  const elapsed = (performance.now() - started) / 1000;
  if (run.status !== 0 && run.status !== 1) throw new Error(`closewait scan failed (${run.status}): ${run.stderr}`);
  const peak = Number(readFileSync(join(rssDir, 'rss'), 'utf8'));
  rmSync(rssDir, { recursive: true, force: true });
  return { seconds: elapsed, peakRssMB: round(peak / MB), files: JSON.parse(run.stdout).summary.files };
}

/** All figures for one corpus; `scanArgs` are what the CLI is given to scan the same files. */
async function measure(core: ScanCore, label: string, cwd: string, files: readonly string[], scanArgs: string[]): Promise<Record<string, number>> {
  const sources = readSources(core, cwd, files);
  const bytes = sources.reduce((n, s) => n + s.bytes, 0);
  const lines = sources.reduce((n, s) => n + s.text.split('\n').length, 0);
  const log = (message: string) => process.stderr.write(`scan bench: ${label}: ${message}\n`);
  log(`${sources.length} files, ${round(bytes / MB)} MB, ${lines} lines`);
  const language = (s: Source) => core.languageForPath(s.path)!;

  // Warm-up: the first parses pay for compiling the wasm and the JIT.
  for (const s of sources.slice(0, 200)) core.parserFor(language(s)).parse(s.text)?.delete();

  // File by file, a bare tree-sitter parse (no deadline, no callback) and then the whole analysis (its own parse
  // included), so that both see the same machine load.
  const facts = core.gatherFacts(sources);
  let parseCpu = 0;
  let analysisCpu = 0;
  for (const s of sources) {
    const before = cpuSeconds();
    core.parserFor(language(s)).parse(s.text)?.delete();
    const between = cpuSeconds();
    core.analyzeText(s.path, s.text, { facts }, s.bytes);
    analysisCpu += cpuSeconds() - between;
    parseCpu += between - before;
  }
  // The whole scan as the CLI runs it with --jobs 1: walk, read, facts, analysis; one thread.
  const cpuBefore = cpuSeconds();
  const wallBefore = performance.now();
  const analysed = (await core.scan(files, { cwd, exclude: [], analyze: {}, jobs: 1 })).files;
  const scanWall = (performance.now() - wallBefore) / 1000;
  const scanCpu = cpuSeconds() - cpuBefore;
  // The scan cannot be interleaved with parsing file by file: bracket it with a second parse pass instead, so that
  // a change of machine load during the run shows as two different parse times.
  const parseAgainBefore = cpuSeconds();
  for (const s of sources) core.parserFor(language(s)).parse(s.text)?.delete();
  const parseAgainCpu = cpuSeconds() - parseAgainBefore;
  log(`parse ${round(parseCpu)} s, analysis ${round(analysisCpu)} s, scan ${round(scanCpu)} s, parse again ${round(parseAgainCpu)} s (CPU)`);

  const jobs = availableParallelism();
  const serial = cli(cwd, ['--jobs', '1', ...scanArgs]);
  const parallel = cli(cwd, ['--jobs', String(jobs), ...scanArgs]);
  log(`CLI --jobs 1 ${round(serial.seconds)} s, --jobs ${jobs} ${round(parallel.seconds)} s`);

  return {
    files: analysed,
    MB: round(bytes / MB),
    lines,
    'parse CPU s': round(parseCpu),
    'parse CPU s, after the scan': round(parseAgainCpu),
    'analysis CPU s': round(analysisCpu),
    'scan CPU s': round(scanCpu),
    'scan wall s': round(scanWall),
    'files/s': Math.round(analysed / scanCpu),
    'MB/s': round(bytes / MB / scanCpu),
    'ratio scan/parse': round(scanCpu / ((parseCpu + parseAgainCpu) / 2), 2),
    'ratio analysis/parse': round(analysisCpu / parseCpu, 2),
    'CLI --jobs 1 wall s': round(serial.seconds),
    [`CLI --jobs ${jobs} wall s`]: round(parallel.seconds),
    [`speed-up --jobs ${jobs}`]: round(serial.seconds / parallel.seconds, 2),
    'CLI --jobs 1 peak RSS MB': serial.peakRssMB,
    [`CLI --jobs ${jobs} peak RSS MB`]: parallel.peakRssMB,
  };
}

function prefixed(prefix: string, figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${prefix} ${k}`, v]));
}

export async function run(): Promise<Record<string, number | string>> {
  const { core, dir: bundleDir } = await loadBundledCore();
  await core.loadAllLanguages();
  const figures: Record<string, number | string> = { cores: availableParallelism(), 'load average before': round(loadavg()[0], 2) };
  const corpusDir = mkdtempSync(join(tmpdir(), 'closewait-bench-corpus-'));
  try {
    writeCorpus(corpusDir);
    Object.assign(figures, prefixed('generated', await measure(core, 'generated corpus', corpusDir, sourcesUnder(core, corpusDir), ['.'])));
  } finally {
    rmSync(corpusDir, { recursive: true, force: true });
  }
  // The CLI's walk skips node_modules, dist and build folders, so it is given the files themselves.
  const modules = sourcesUnder(core, join(repoRoot, 'node_modules'));
  const args = modules.map((m) => relative(repoRoot, m));
  Object.assign(figures, prefixed('node_modules', await measure(core, 'node_modules', repoRoot, modules, args)));
  figures['load average after'] = round(loadavg()[0], 2);
  rmSync(bundleDir, { recursive: true, force: true });
  return figures;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

if (require.main === module) {
  void run().then((figures) => {
    for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(40)} ${value}\n`);
  });
}
