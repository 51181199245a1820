// `npm run eval`: precision and recall of CloseWait on real open-source code. Scans whichever of the sources in
// eval/repos.tsv and eval/recall.tsv are present under $CLOSEWAIT_EVAL_SOURCES (default ../eval-src), then
//  - precision: the hand labels of eval/labels.tsv against the production findings the chosen profile reports;
//  - recall: the hand-found problems of eval/recall.tsv (found = a finding of the same rule in the same file within
//    3 lines of the recorded line).
// Sources that are absent are listed, never a failure: CI does not need them. See eval/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const here = __dirname;
const repoRoot = resolve(here, '..');

interface Finding {
  readonly rule: string;
  readonly file: string;
  readonly line: number;
  readonly severity: string;
  readonly message: string;
  readonly confidence: string;
  readonly basis: string;
}

interface Repo {
  readonly repo: string;
  readonly commit: string;
  readonly kind: string;
}

type Label = 'TRUE' | 'FALSE' | 'NOISE';

interface LabelRow {
  readonly repo: string;
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly label: Label;
  readonly reason: string;
}

interface Problem {
  readonly repo: string;
  readonly commit: string;
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly kind: string;
  readonly origin: string;
  readonly description: string;
}

/** Rows of a tab-separated file with a header line; `#` lines are comments. */
function readTsv(name: string): Record<string, string>[] {
  const path = join(here, name);
  if (!existsSync(path)) return [];
  const [header, ...rows] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const keys = header.split('\t');
  return rows.map((row) => Object.fromEntries(row.split('\t').map((v, i) => [keys[i], v])));
}

/** The folder a source lives in: `owner+name` for the evaluated snapshot, `owner+name@commit12` for an older one. */
function folderOf(repo: string, commit: string, head: boolean): string {
  const name = repo.replace('/', '+');
  return head ? name : `${name}@${commit.slice(0, 12)}`;
}

const args = parseArgs({
  options: {
    profile: { type: 'string', default: 'default' },
    cli: { type: 'string', default: join(repoRoot, 'dist', 'cli.js') },
    sources: { type: 'string', default: process.env.CLOSEWAIT_EVAL_SOURCES ?? resolve(repoRoot, '..', 'eval-src') },
    only: { type: 'string', multiple: true, default: [] },
    unlabeled: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    sample: { type: 'string' },
    seed: { type: 'string', default: '13' },
    write: { type: 'boolean', default: false },
  },
}).values;

const repos: Repo[] = readTsv('repos.tsv').map((r) => ({ repo: r.repo, commit: r.commit, kind: r.kind }));
const heads = new Map(repos.map((r) => [r.repo, r.commit]));
const labels: LabelRow[] = readTsv('labels.tsv').map((r) => ({
  repo: r.repo,
  file: r.file,
  line: Number(r.line),
  rule: r.rule,
  label: r.label as Label,
  reason: r.reason,
}));
const problems: Problem[] = readTsv('recall.tsv').map((r) => ({
  repo: r.repo,
  commit: r.commit,
  file: r.file,
  line: Number(r.line),
  rule: r.rule,
  kind: r.class,
  origin: r.origin,
  description: r.description,
}));

const wanted = (repo: string) => args.only.length === 0 || args.only.some((o) => repo.includes(o));
const scans = new Map<string, Finding[] | undefined>();
const absent: string[] = [];

/** The findings of one source folder (scanned once), or undefined when the folder is absent. */
function scan(folder: string): Finding[] | undefined {
  if (scans.has(folder)) return scans.get(folder);
  const dir = join(args.sources, folder);
  let findings: Finding[] | undefined;
  if (!existsSync(dir)) absent.push(folder);
  else {
    process.stderr.write(`scanning ${folder}\n`);
    const run = spawnSync(process.execPath, [args.cli, 'scan', '.', '--format', 'json', '--profile', args.profile], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    if (run.status !== 0 && run.status !== 1) throw new Error(`scan of ${folder} failed (${run.status}): ${run.stderr}`);
    findings = JSON.parse(run.stdout).findings as Finding[];
  }
  scans.set(folder, findings);
  return findings;
}

const key = (repo: string, f: { file: string; line: number; rule: string }) => `${repo}\0${f.file}\0${f.line}\0${f.rule}`;
const labelled = new Map(labels.map((l) => [key(l.repo, l), l]));

// ---- precision ----
interface Tally {
  reported: number;
  labelled: number;
  TRUE: number;
  FALSE: number;
  NOISE: number;
}
const tally = (): Tally => ({ reported: 0, labelled: 0, TRUE: 0, FALSE: 0, NOISE: 0 });
const byRule = new Map<string, Tally>();
const unlabeled: { repo: string; finding: Finding }[] = [];
const listed: string[] = [];
for (const { repo, commit } of repos) {
  if (!wanted(repo)) continue;
  const findings = scan(folderOf(repo, commit, true));
  for (const finding of findings ?? []) {
    const t = byRule.get(finding.rule) ?? tally();
    byRule.set(finding.rule, t);
    t.reported++;
    const label = labelled.get(key(repo, finding));
    if (args.list) {
      const where = `${repo.split('/')[1]} ${finding.file.split('/').pop()}:${finding.line}`;
      listed.push(`${(label?.label ?? '?').padEnd(5)} ${finding.rule.padEnd(17)} ${where} | ${label?.reason ?? finding.message.slice(0, 100)}`);
    }
    if (!label) {
      unlabeled.push({ repo, finding });
      continue;
    }
    t.labelled++;
    t[label.label]++;
  }
}

// ---- recall ----
const found = new Map<string, { total: number; found: number }>();
const missed: Problem[] = [];
for (const p of problems) {
  if (!wanted(p.repo)) continue;
  const findings = scan(folderOf(p.repo, p.commit, p.origin === 'read' && heads.get(p.repo) === p.commit));
  if (!findings) continue;
  const hit = findings.some((f) => f.rule === p.rule && f.file === p.file && Math.abs(f.line - p.line) <= 3);
  for (const group of [p.rule, `class ${p.kind}`, 'all']) {
    const entry = found.get(group) ?? { total: 0, found: 0 };
    entry.total++;
    if (hit) entry.found++;
    found.set(group, entry);
  }
  if (!hit) missed.push(p);
}

// ---- report ----
const pct = (n: number, d: number) => (d === 0 ? '   -' : `${((100 * n) / d).toFixed(0).padStart(3)}%`);
const out: string[] = [];
out.push(`CloseWait evaluation, profile ${args.profile}, ${args.cli}`);
out.push(`sources: ${args.sources}${absent.length > 0 ? ` (${absent.length} absent: ${absent.join(', ')})` : ''}`);
out.push('', 'Precision on production findings (labels: eval/labels.tsv)');
out.push('rule                 reported  labelled  TRUE  FALSE  NOISE  precision');
const totals = tally();
for (const [rule, t] of [...byRule].sort()) {
  out.push(`${rule.padEnd(20)} ${String(t.reported).padStart(8)}  ${String(t.labelled).padStart(8)}  ${String(t.TRUE).padStart(4)}  ${String(t.FALSE).padStart(5)}  ${String(t.NOISE).padStart(5)}  ${pct(t.TRUE, t.labelled).padStart(9)}`);
  for (const k of Object.keys(totals) as (keyof Tally)[]) totals[k] += t[k];
}
out.push(`${'all'.padEnd(20)} ${String(totals.reported).padStart(8)}  ${String(totals.labelled).padStart(8)}  ${String(totals.TRUE).padStart(4)}  ${String(totals.FALSE).padStart(5)}  ${String(totals.NOISE).padStart(5)}  ${pct(totals.TRUE, totals.labelled).padStart(9)}`);
out.push('', 'Recall on hand-found problems (eval/recall.tsv)');
for (const [group, { total, found: n }] of [...found].sort()) out.push(`${group.padEnd(36)} ${String(n).padStart(3)}/${String(total).padEnd(3)} ${pct(n, total)}`);
if (missed.length > 0) {
  out.push('', `missed (${missed.length}):`);
  for (const p of missed) out.push(`  [${p.rule}/${p.kind}] ${p.repo}@${p.commit.slice(0, 12)} ${p.file}:${p.line}`);
}
if (args.list) out.push('', `reported (${listed.length}):`, ...listed);
if (args.unlabeled && unlabeled.length > 0) {
  out.push('', `unlabeled (${unlabeled.length}):`);
  for (const { repo, finding: f } of unlabeled) out.push(`${repo}\t${f.file}\t${f.line}\t${f.rule}\t\t${f.message.slice(0, 160)}`);
}
process.stdout.write(`${out.join('\n')}\n`);

if (args.sample) {
  // A seeded shuffle, so that the labelled sample can be drawn again and checked.
  let state = Number(args.seed) >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pool = unlabeled.sort((a, b) => key(a.repo, a.finding).localeCompare(key(b.repo, b.finding)));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  process.stdout.write(`\nsample of ${args.sample} unlabeled findings, seed ${args.seed}:\n`);
  for (const { repo, finding: f } of pool.slice(0, Number(args.sample))) {
    process.stdout.write(`${repo}\t${f.file}\t${f.line}\t${f.rule}\t\t${f.message.slice(0, 200)}\n`);
  }
}

if (args.write) {
  const results = {
    profile: args.profile,
    absent,
    precision: Object.fromEntries([...byRule].sort().map(([rule, t]) => [rule, { ...t, precision: t.labelled ? t.TRUE / t.labelled : null }])),
    recall: Object.fromEntries([...found].sort().map(([group, r]) => [group, { ...r, recall: r.total ? r.found / r.total : null }])),
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${args.profile}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
