// Scan throughput on (a) a generated corpus of 2,000 Java and 2,000 TypeScript files (~1M lines) and (b) real code
// no one here wrote: the JavaScript and TypeScript under this project's node_modules. For each: files/s, MB/s,
// the ratio of the scan's time to a bare tree-sitter parse of the same files in the same run (the parse is the
// floor; goal <= 1.3x), the built CLI's wall time with --jobs 1, --jobs <cores> and the default, and its peak RSS.
// In-process figures come from the bundled analysis (bench/bundle.ts), CPU time; CLI figures are wall time, and,
// since the machine may be shared (a loaded scheduler can give two threads no more than one), also the time the run
// needs on an idle machine as its threads' CPU time says (bench/thread-cpu.ts): the --jobs goal (>= 1.8x of
// --jobs 1 on two cores) is judged on that estimate and the measured wall ratio is printed beside it. Last, the
// crossover: scans of a few dozen to a few hundred files with and without workers, for the default's threshold.
// Run: npm run build && node --import tsx bench/scan.ts   (bench/run.ts aggregates `run()`).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadBundledCore, type ScanCore } from './bundle';
import { writeCorpus } from './corpus';
import { idleSeconds, runSampled } from './thread-cpu';
import { against, round, type Figures } from './figures';

const MB = 1024 * 1024;
const repoRoot = join(__dirname, '..');
const cliPath = join(repoRoot, 'dist', 'cli.js');

interface Source {
  readonly absolute: string;
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
    out.push({ absolute, path, text: source.text, bytes: source.bytes });
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

const SCAN_RATIO_GOAL = 1.3;
const JOBS_GOAL = 1.8;
/** The whole scan is timed in this many parts, each between two bare parses of the same files. */
const SCAN_PARTS = 8;

/** `files` cut into `count` runs of consecutive files (the walk's order: a folder's files stay together). */
function parts<T>(files: readonly T[], count: number): T[][] {
  const size = Math.ceil(files.length / count);
  const out: T[][] = [];
  for (let k = 0; k < files.length; k += size) out.push(files.slice(k, k + size));
  return out;
}

interface CliRun {
  seconds: number;
  /** What the run needs on an idle machine with this many cores, from its threads' CPU time (null off Linux). */
  idle: number | null;
  peakRssMB: number;
  files: number;
}

/** Runs the built CLI; wall time, the idle-machine estimate and peak RSS (worker threads included). */
async function cli(cwd: string, args: string[]): Promise<CliRun> {
  const rssDir = mkdtempSync(join(tmpdir(), 'closewait-rss-'));
  try {
    const run = await runSampled(process.execPath, ['--require', join(__dirname, 'peak-rss.cjs'), cliPath, 'scan', '--format', 'json', ...args], {
      cwd,
      env: { ...process.env, CLOSEWAIT_BENCH_RSS: join(rssDir, 'rss') },
    });
    if (run.status !== 0 && run.status !== 1) throw new Error(`closewait scan failed (${run.status}): ${run.stderr}`);
    const peak = Number(readFileSync(join(rssDir, 'rss'), 'utf8'));
    return { seconds: run.wallSeconds, idle: idleSeconds(run.threads, availableParallelism()), peakRssMB: round(peak / MB), files: (JSON.parse(run.stdout) as { summary: { files: number } }).summary.files };
  } finally {
    rmSync(rssDir, { recursive: true, force: true });
  }
}

/** The better of two runs of each, taken in turn so that a change of load falls on both. */
async function bestOf(cwd: string, variants: readonly string[][]): Promise<CliRun[]> {
  const best: (CliRun | undefined)[] = variants.map(() => undefined);
  for (let round = 0; round < 2; round++) {
    for (let v = 0; v < variants.length; v++) {
      const run = await cli(cwd, variants[v]);
      const known = best[v];
      best[v] = known === undefined ? run : { ...known, seconds: Math.min(known.seconds, run.seconds), idle: known.idle !== null && run.idle !== null ? Math.min(known.idle, run.idle) : (known.idle ?? run.idle) };
    }
  }
  return best as CliRun[];
}

/** All figures for one corpus; `scanArgs` are what the CLI is given to scan the same files. */
async function measure(core: ScanCore, label: string, cwd: string, files: readonly string[], scanArgs: string[]): Promise<Figures> {
  const sources = readSources(core, cwd, files);
  const bytes = sources.reduce((n, s) => n + s.bytes, 0);
  const lines = sources.reduce((n, s) => n + s.text.split('\n').length, 0);
  const log = (message: string) => process.stderr.write(`scan bench: ${label}: ${message}\n`);
  log(`${sources.length} files, ${round(bytes / MB)} MB, ${lines} lines`);
  /** A bare tree-sitter parse (no deadline, no callback), its tree freed. */
  const parse = (s: Source) => core.parserFor(core.languageForPath(s.path)!).parse(s.text)?.delete();
  /** CPU seconds of bare parses of `part`. */
  const parsePass = (part: readonly Source[]): number => {
    const before = cpuSeconds();
    for (const s of part) parse(s);
    return cpuSeconds() - before;
  };

  // Warm-up: the first parses pay for compiling the wasm and the JIT.
  parsePass(sources.slice(0, 200));

  // File by file, a bare parse and then the whole analysis (its own parse included), so that both see the same
  // machine load.
  const facts = core.gatherFacts(sources);
  let parseCpu = 0;
  let analysisCpu = 0;
  for (const s of sources) {
    const before = cpuSeconds();
    parse(s);
    const between = cpuSeconds();
    core.analyzeText(s.path, s.text, { facts }, s.bytes);
    analysisCpu += cpuSeconds() - between;
    parseCpu += between - before;
  }
  // The whole scan as the CLI runs it with --jobs 1 (walk, read, facts, analysis; one thread), in parts of the files,
  // each part between two bare parses of its sources: the machine is shared and its speed drifts within a run (two
  // parse passes of all the files, one before and one after a whole scan, differed by up to 40%), and this way a
  // drift falls on both sides of the ratio. The facts of a part are gathered over that part: the same work per file.
  const bySource = new Map(sources.map((s) => [s.absolute, s]));
  let scanCpu = 0;
  let scanWall = 0;
  let bracketCpu = 0;
  let analysed = 0;
  for (const part of parts(files, SCAN_PARTS)) {
    const partSources = part.flatMap((f) => bySource.get(f) ?? []);
    bracketCpu += parsePass(partSources);
    const cpuBefore = cpuSeconds();
    const wallBefore = performance.now();
    analysed += (await core.scan(part, { cwd, exclude: [], analyze: {}, jobs: 1 })).files;
    scanWall += (performance.now() - wallBefore) / 1000;
    scanCpu += cpuSeconds() - cpuBefore;
    bracketCpu += parsePass(partSources);
  }
  const bracketParseCpu = bracketCpu / 2;
  log(`parse ${round(parseCpu)} s, analysis ${round(analysisCpu)} s (file by file); scan ${round(scanCpu)} s, parse beside it ${round(bracketParseCpu)} s (${SCAN_PARTS} parts) (CPU)`);

  const jobs = availableParallelism();
  const [serial, parallel, byDefault] = await bestOf(cwd, [['--jobs', '1', ...scanArgs], ['--jobs', String(jobs), ...scanArgs], scanArgs]);
  log(`CLI --jobs 1 ${round(serial.seconds)} s, --jobs ${jobs} ${round(parallel.seconds)} s, default ${round(byDefault.seconds)} s (wall)`);
  const ratio = scanCpu / bracketParseCpu;
  const idleSpeedUp = serial.idle !== null && parallel.idle !== null ? serial.idle / parallel.idle : null;

  return {
    files: analysed,
    MB: round(bytes / MB),
    lines,
    'parse CPU s': round(parseCpu),
    'parse CPU s, beside the scan (in parts)': round(bracketParseCpu),
    'analysis CPU s': round(analysisCpu),
    'scan CPU s': round(scanCpu),
    'scan wall s': round(scanWall),
    'files/s': Math.round(analysed / scanCpu),
    'MB/s': round(bytes / MB / scanCpu),
    'ratio scan/parse': against(round(ratio, 2), `<= ${SCAN_RATIO_GOAL}x`, ratio <= SCAN_RATIO_GOAL),
    'ratio analysis/parse': round(analysisCpu / parseCpu, 2),
    'CLI --jobs 1 wall s': round(serial.seconds),
    [`CLI --jobs ${jobs} wall s`]: round(parallel.seconds),
    'CLI default jobs wall s': round(byDefault.seconds),
    [`speed-up --jobs ${jobs}, wall (shared machine)`]: round(serial.seconds / parallel.seconds, 2),
    [`speed-up --jobs ${jobs}, idle-machine estimate`]: against(idleSpeedUp === null ? 'not measured' : round(idleSpeedUp, 2), `>= ${JOBS_GOAL}x on 2 cores`, idleSpeedUp === null ? null : idleSpeedUp >= JOBS_GOAL),
    'CLI --jobs 1 idle-machine estimate s': serial.idle === null ? 'not measured' : round(serial.idle),
    'CLI default idle-machine estimate s': byDefault.idle === null ? 'not measured' : round(byDefault.idle),
    'CLI --jobs 1 peak RSS MB': serial.peakRssMB,
    [`CLI --jobs ${jobs} peak RSS MB`]: parallel.peakRssMB,
  };
}

/**
 * Where workers start to pay: scans of growing parts of the generated corpus with --jobs 1 and with the default,
 * compared by the idle-machine estimate (and the wall time of this run). The default must never lose.
 */
async function crossover(dir: string, files: readonly string[]): Promise<Figures> {
  const figures: Figures = {};
  let lost = 0;
  for (const count of [16, 48, 96, 192, 384]) {
    const step = Math.max(1, Math.floor(files.length / count));
    const part = files.filter((_, i) => i % step === 0).slice(0, count).map((f) => relative(dir, f));
    const kib = Math.round(part.reduce((n, f) => n + statSync(join(dir, f)).size, 0) / 1024);
    const [one, byDefault] = await bestOf(dir, [['--jobs', '1', ...part], part]);
    const label = `${count} files (${kib} KiB)`;
    figures[`${label}: --jobs 1 / default, wall`] = round(one.seconds / byDefault.seconds, 2);
    if (one.idle !== null && byDefault.idle !== null) {
      figures[`${label}: --jobs 1 / default, idle-machine estimate`] = round(one.idle / byDefault.idle, 2);
      // Within a tenth of a second is a tie: the sampling itself is that coarse.
      if (byDefault.idle > one.idle + 0.1) lost++;
    }
    process.stderr.write(`scan bench: crossover: ${label}: --jobs 1 ${round(one.seconds, 2)} s, default ${round(byDefault.seconds, 2)} s (wall); estimate ${one.idle === null ? '-' : round(one.idle, 2)} s, ${byDefault.idle === null ? '-' : round(byDefault.idle, 2)} s\n`);
  }
  figures['sizes where the default is slower than --jobs 1 (estimate)'] = against(lost, '0', lost === 0);
  return figures;
}

function prefixed(prefix: string, figures: Figures): Figures {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${prefix} ${k}`, v]));
}

export async function run(): Promise<Figures> {
  const { core, dir: bundleDir } = await loadBundledCore();
  await core.loadAllLanguages();
  const figures: Figures = { cores: availableParallelism(), 'load average before': round(loadavg()[0], 2) };
  const corpusDir = mkdtempSync(join(tmpdir(), 'closewait-bench-corpus-'));
  try {
    writeCorpus(corpusDir);
    const generated = sourcesUnder(core, corpusDir);
    Object.assign(figures, prefixed('generated', await measure(core, 'generated corpus', corpusDir, generated, ['.'])));
    Object.assign(figures, prefixed('crossover', await crossover(corpusDir, generated)));
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


if (require.main === module) {
  void run().then((figures) => {
    for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(40)} ${typeof value === 'object' ? `${value.value}  (goal ${value.goal})` : value}\n`);
  });
}
