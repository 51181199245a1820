// What the editor should show, derived from the fixture itself: the CLI's JSON over the same workspace (the
// documented contract), never hard-coded line numbers. And javac against the stubs, for "the file still compiles".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from './install';
import type { Problem } from './workbench';

export const fixtureRoot = join(repoRoot, 'examples', 'spring-service');
export const incidentRoot = join(repoRoot, '..', 'shared', 'incidents', 'tomcat-self-call');
export const stubsRoot = join(repoRoot, 'test', 'e2e', 'stubs');
const artifactsDir = join(repoRoot, 'build', 'e2e');
export const REPORT_CONTROLLER = 'src/main/java/com/example/reports/ReportController.java';
export const SEARCH_MANAGER = 'src/main/java/net/daum/crystal/core/execute/SearchManager.java';
export const APPLICATION_PROPERTIES = 'src/main/resources/application.properties';

export interface CliFinding {
  readonly rule: string;
  readonly severity: 'error' | 'warning' | 'info';
  /** Relative to the workspace, forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly related?: readonly { file: string; line: number; message: string }[];
}

export interface CliScan {
  readonly findings: readonly CliFinding[];
  readonly summary: { readonly files: number };
}

/** `closewait scan --format json .` in `workspace`, as CI or a user would run it. */
export function cliScan(workspace: string): CliScan {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const run = spawnSync(process.execPath, [cli, 'scan', '--format', 'json', '.'], { cwd: workspace, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  // Exit 1 means "found something at or above warning", which this fixture always does.
  if (run.status !== 0 && run.status !== 1) throw new Error(`closewait scan failed (${String(run.status)}): ${run.stderr}`);
  return JSON.parse(run.stdout) as CliScan;
}

const SEVERITY_WORD: Record<CliFinding['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** A finding as one comparable line: "ReportController.java 31:25 Error self-call". */
export function cliKey(f: CliFinding): string {
  return `${basename(f.file)} ${f.line}:${f.column} ${SEVERITY_WORD[f.severity]} ${f.rule}`;
}

export function problemKey(p: Problem): string {
  return `${p.file} ${p.line}:${p.column} ${p.severity} ${p.code}`;
}

/** The closewait findings of the Problems view, as sorted keys. */
export function problemKeys(problems: readonly Problem[], file?: string): string[] {
  return problems
    .filter((p) => p.source === 'closewait' && (file === undefined || p.file === file))
    .map(problemKey)
    .sort();
}

export function cliKeys(scan: CliScan, file?: string): string[] {
  return scan.findings
    .filter((f) => file === undefined || f.file === file)
    .map(cliKey)
    .sort();
}

/** The port `server.port` declares in a Spring application.properties. */
export function declaredPort(workspace: string): { port: number; line: number } {
  const lines = readFileSync(join(workspace, APPLICATION_PROPERTIES), 'utf8').split('\n');
  const line = lines.findIndex((l) => /^\s*server\.port\s*[=:]/.test(l));
  if (line < 0) throw new Error(`no server.port in ${APPLICATION_PROPERTIES}`);
  return { port: Number(/[=:]\s*(\d+)/.exec(lines[line])?.[1]), line: line + 1 };
}

/** Compiles one Java file against the stubs of the Spring and Apache classes it uses; returns javac's output. */
export function javac(file: string): { ok: boolean; output: string } {
  // Under build/e2e (wiped by every run), so that even an interrupted compile leaves nothing in /tmp.
  mkdirSync(artifactsDir, { recursive: true });
  const out = mkdtempSync(join(artifactsDir, 'javac-'));
  try {
    const run = spawnSync('javac', ['-proc:none', '-encoding', 'UTF-8', '-d', out, '-sourcepath', stubsRoot, file], { encoding: 'utf8' });
    if (run.error) throw run.error;
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The three excerpts of the original incident, as one paste (the panel accepts one combined paste). */
export function incidentPaste(): string {
  return ['jstack.txt', 'netstat.txt', 'lsof.txt'].map((f) => readFileSync(join(incidentRoot, f), 'utf8').trimEnd()).join('\n\n') + '\n';
}
