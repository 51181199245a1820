// `npm run bench [name...]`: runs every bench module in bench/ (a module that exports `run(): Promise<figures>`), or
// those whose file name contains one of the names given, each in a process of its own so that one's memory and JIT
// state do not colour the next's, prints one table and writes all figures to bench/results/latest.json for comparing
// runs, each figure beside its goal when it has one (figures.ts). Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isMeasured, verdict, type Figure, type Figures } from './figures';

const benchDir = __dirname;
const resultsFile = join(benchDir, 'results', 'latest.json');

/** Bench modules: files that export `run`, in name order; only those whose name contains one of `filters`, if any. */
function benchModules(filters: readonly string[]): string[] {
  return readdirSync(benchDir)
    .filter((name) => name.endsWith('.ts') && name !== 'run.ts')
    .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
    .filter((name) => /export\s+async\s+function\s+run\s*\(/.test(readFileSync(join(benchDir, name), 'utf8')))
    .sort();
}

/** In a child process: runs one module and writes its figures as JSON to `out`. */
async function runOne(module: string, out: string): Promise<void> {
  const { run } = (await import(join(benchDir, module))) as { run: () => Promise<Figures> };
  writeFileSync(out, JSON.stringify(await run()));
}

function runInChild(module: string): Figures | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'closewait-bench-'));
  const out = join(dir, 'figures.json');
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--one', module, out], { stdio: 'inherit' });
    if (child.status !== 0) return { error: `exited with ${child.status ?? child.signal}` };
    return JSON.parse(readFileSync(out, 'utf8')) as Figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function shown(value: Figure): string {
  const plain = isMeasured(value) ? value.value : value;
  return typeof plain === 'number' ? plain.toLocaleString('en-US') : plain;
}

function table(results: Record<string, Figures | { error: string }>): string {
  const rows: [string, string, string, string][] = [];
  for (const [bench, figures] of Object.entries(results)) {
    for (const [name, value] of Object.entries(figures as Figures)) rows.push([bench, name, shown(value), isMeasured(value) ? `${value.goal}: ${verdict(value.met)}` : '']);
  }
  const heads: [string, string, string, string] = ['bench', 'figure', 'value', 'goal'];
  const width = (i: 0 | 1 | 2 | 3) => Math.max(...rows.map((r) => r[i].length), heads[i].length);
  const line = (r: [string, string, string, string]) => `${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2].padStart(width(2))}  ${r[3]}`.trimEnd();
  return [line(heads), line(['-'.repeat(width(0)), '-'.repeat(width(1)), '-'.repeat(width(2)), '-'.repeat(width(3))]), ...rows.map(line)].join('\n');
}

interface Results {
  date: string;
  machine: { node: string; platform: string; cpus: number; cpu: string; loadAverage?: number[] };
  /** When each bench last ran (a run of some benches keeps the others' figures). */
  runs?: Record<string, string>;
  results: Record<string, Figures | { error: string }>;
}

/** `npm run bench [name...]`: every bench, or those whose file name contains one of the names. */
async function main(): Promise<void> {
  const [flag, module, out] = process.argv.slice(2);
  if (flag === '--one') return runOne(module, out);
  const only = process.argv.slice(2);
  const chosen = benchModules(only);
  if (chosen.length === 0) throw new Error(`no bench matches ${only.join(' ')}`);
  const previous: Results | null = only.length > 0 && existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Results) : null;
  const results: Record<string, Figures | { error: string }> = {};
  const runs: Record<string, string> = { ...(previous?.runs ?? {}) };
  for (const file of chosen) {
    process.stderr.write(`\n== bench/${file}\n`);
    const name = basename(file, '.ts');
    results[name] = runInChild(file);
    runs[name] = new Date().toISOString();
  }
  process.stdout.write(`\n${table(results)}\n`);
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  const machine = { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: availableParallelism(), cpu: cpus()[0]?.model ?? '', loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
  const all: Results = { date: new Date().toISOString(), machine, runs, results: { ...(previous?.results ?? {}), ...results } };
  writeFileSync(resultsFile, `${JSON.stringify(all, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${resultsFile}\n`);
  if (Object.values(results).some((r) => 'error' in r)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
