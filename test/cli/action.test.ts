// The GitHub Action (action.yml), run the way a runner runs a composite action: its steps in order, each `run:`
// in bash with the environment a pull_request event sets (GITHUB_BASE_REF, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT,
// RUNNER_TEMP, GITHUB_ACTION_PATH), `${{ }}` expressions and `if:` conditions evaluated, `uses:` steps recorded
// instead of fetched. The repository under review is a shallow clone of a pull request's branch, as
// actions/checkout leaves it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { repoRoot } from '../helpers';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = yaml.load(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  assert.equal(run.status, 0, `git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

const OLD_LEAK = 'import java.net.Socket;\nclass Old {\n  void f() throws Exception {\n    Socket s = new Socket("h", 1);\n    s.getInputStream().read();\n  }\n}\n';
const NEW_LEAK = 'import java.net.Socket;\nclass Added {\n  void g() throws Exception {\n    Socket s = new Socket("h", 2);\n    s.getInputStream().read();\n  }\n}\n';

interface Run {
  /** What the steps printed (annotations among it). */
  readonly log: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
  /** The `uses:` steps, with their evaluated `with:`. */
  readonly used: { uses: string; with: Record<string, string> }[];
  /** The step that failed, if one did. */
  readonly failed?: string;
}

/** Runs the action's steps in `workspace` with these inputs, as a pull_request event into `main` would. */
function runAction(workspace: string, inputs: Record<string, string>): Run {
  const temp = mkdtempSync(join(tmpdir(), 'closewait-action-runner-'));
  const summaryFile = join(temp, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  const stepOutputs: Record<string, Record<string, string>> = {};
  const lookup = (expression: string): string => {
    const path = expression.trim();
    if (path.startsWith('inputs.')) return values[path.slice('inputs.'.length)] ?? '';
    if (path === 'github.action_path') return repoRoot;
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(path);
    if (step) return stepOutputs[step[1]]?.[step[2]] ?? '';
    throw new Error(`unsupported expression ${path}`);
  };
  const substitute = (text: string) => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => lookup(e));
  const condition = (text: string): boolean => {
    const m = /^(.+?)\s*(==|!=)\s*'([^']*)'$/.exec(text.trim());
    if (!m) throw new Error(`unsupported condition ${text}`);
    return (lookup(m[1]) === m[3]) === (m[2] === '==');
  };
  let log = '';
  const used: Run['used'] = [];
  let failed: string | undefined;
  try {
    for (const [index, step] of action.runs.steps.entries()) {
      if (step.if !== undefined && !condition(step.if)) continue;
      const name = step.name ?? step.uses ?? `step ${index}`;
      if (step.uses) {
        used.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v))])) });
        continue;
      }
      const outputFile = join(temp, `output-${index}`);
      writeFileSync(outputFile, '');
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v))])),
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_BASE_REF: 'main',
        GITHUB_HEAD_REF: 'feature',
        GITHUB_REF: 'refs/pull/7/merge',
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: repoRoot,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_OUTPUT: outputFile,
        RUNNER_TEMP: temp,
      };
      assert.equal(step.shell, 'bash', `${name} runs in bash`);
      const cwd = step['working-directory'] ? substitute(step['working-directory']) : workspace;
      const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', substitute(step.run ?? '')], { cwd, env, encoding: 'utf8', timeout: 120_000 });
      log += result.stdout + result.stderr;
      if (step.id) {
        stepOutputs[step.id] = Object.fromEntries(
          readFileSync(outputFile, 'utf8')
            .split('\n')
            .filter((l) => l.includes('='))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
      }
      if (result.status !== 0) {
        failed = name;
        break;
      }
    }
    const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, substitute(v.value)]));
    return { log, summary: readFileSync(summaryFile, 'utf8'), outputs, used, failed };
  } finally {
    // The SARIF file is read by the caller through outputs before this returns; keep it.
    if (!used.some((u) => u.uses.includes('upload-sarif'))) rmSync(temp, { recursive: true, force: true });
  }
}

describe('action.yml: the GitHub Action, run locally as on a pull request', () => {
  let root: string;
  let workspace: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'closewait-action-'));
    // A repository with an old leak on main, and a pull request branch that adds a new one.
    const origin = join(root, 'origin');
    mkdirSync(join(origin, 'src'), { recursive: true });
    git(origin, 'init', '-q');
    writeFileSync(join(origin, 'src', 'Old.java'), OLD_LEAK);
    git(origin, 'add', '.');
    git(origin, 'commit', '-qm', 'old code');
    git(origin, 'switch', '-qc', 'feature');
    writeFileSync(join(origin, 'src', 'Added.java'), NEW_LEAK);
    git(origin, 'add', '.');
    git(origin, 'commit', '-qm', 'the pull request');
    git(origin, 'switch', '-q', 'main');
    writeFileSync(join(origin, 'README'), 'main moved on\n');
    git(origin, 'add', '.');
    git(origin, 'commit', '-qm', 'main moves on');
    // actions/checkout on a pull request: one commit of the branch, no other branch.
    workspace = join(root, 'workspace');
    git(root, 'clone', '-q', '--depth=1', '--branch', 'feature', '--no-tags', `file://${origin}`, workspace);
    assert.equal(git(workspace, 'rev-parse', '--is-shallow-repository').trim(), 'true');
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  test('the action is composite, on Node 20, with the inputs of issue 19', () => {
    assert.equal(action.runs.using, 'composite');
    const setup = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    assert.equal(String(setup?.with?.['node-version']), '20');
    assert.deepEqual(Object.keys(action.inputs).sort(), ['baseline', 'diff-base', 'fail-on', 'format', 'paths']);
    assert.ok(existsSync(join(repoRoot, 'dist', 'cli.js')), 'the CLI is built (npm test builds it first)');
  });

  test('format github: the finding the pull request adds as an annotation, not the old one; a job summary; the job fails', () => {
    const run = runAction(workspace, {});
    const annotations = run.log.split('\n').filter((l) => l.startsWith('::warning '));
    assert.deepEqual(
      annotations.map((a) => /^::warning file=([^,]+),line=(\d+),.*title=closewait ([\w-]+)::/.exec(a)?.slice(1).join(' ')),
      ['src/Added.java 4 missing-timeout', 'src/Added.java 4 unclosed-resource'],
      run.log,
    );
    assert.match(run.log, /the checkout is shallow: fetching its history/);
    assert.match(run.summary, /^## CloseWait: 2 new findings \(2 warnings\) in 1 file\n\n### `src\/Added\.java`\n/);
    assert.match(run.summary, /not shown: 2 findings in code this change does not touch/);
    assert.equal(run.outputs.findings, '2');
    assert.equal(run.failed, 'Fail on findings');
    assert.deepEqual(run.used.map((u) => u.uses), ['actions/setup-node@v4']);
  });

  test('fail-on error: the warning is still annotated, the job passes', () => {
    const run = runAction(workspace, { 'fail-on': 'error' });
    assert.equal(run.failed, undefined, run.log);
    assert.equal(run.log.split('\n').filter((l) => l.startsWith('::warning ')).length, 2);
  });

  test('format sarif: the SARIF file goes to github/codeql-action/upload-sarif, no annotations', () => {
    const run = runAction(workspace, { format: 'sarif', 'fail-on': 'error' });
    assert.equal(run.failed, undefined, run.log);
    assert.ok(!run.log.includes('::warning '), run.log);
    const upload = run.used.find((u) => u.uses.startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload, 'the upload step runs');
    assert.equal(upload.with.sarif_file, run.outputs['sarif-file']);
    const sarif = JSON.parse(readFileSync(upload.with.sarif_file, 'utf8'));
    assert.deepEqual(sarif.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri), ['src/Added.java', 'src/Added.java']);
    rmSync(join(upload.with.sarif_file, '..'), { recursive: true, force: true });
  });

  test('diff-base none scans everything; a baseline hides what it accepted', () => {
    const all = runAction(workspace, { 'diff-base': 'none', 'fail-on': 'error' });
    assert.equal(all.outputs.findings, '4');
    const baselineFile = join(root, 'baseline.json');
    const written = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'scan', '--write-baseline', baselineFile], { cwd: workspace, encoding: 'utf8' });
    assert.ok(existsSync(baselineFile), written.stderr);
    const accepted = runAction(workspace, { 'diff-base': 'none', baseline: baselineFile });
    assert.equal(accepted.outputs.findings, '0');
    assert.equal(accepted.failed, undefined);
    assert.match(accepted.summary, /## CloseWait: no new findings/);
  });

  test('a bad input fails the scan step with the reason', () => {
    const run = runAction(workspace, { format: 'xml' });
    assert.equal(run.failed, 'Scan');
    assert.match(run.log, /::error::format must be github or sarif, not 'xml'/);
  });
});
