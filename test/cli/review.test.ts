// Review mode end to end: real git repositories in temp folders, the built CLI, assertions on what it prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { helpUri } from '../../src/analysis/rules/rule';
import { escapeData, escapeProperty } from '../../src/cli/format/github';
import { ChangedLines, parseUnifiedDiff, unquote } from '../../src/cli/review/diff';
import { VERSION } from '../../src/version';
import { runCli, tempTree, type CliRun } from '../helpers';

// Hermetic git: no global or system configuration (signing, hooks paths, default branch), a fixed identity, and no
// repository above the temp folder taken for ours.
const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CEILING_DIRECTORIES: tmpdir(),
  GIT_CONFIG_GLOBAL: devNull,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'CloseWait Test',
  GIT_AUTHOR_EMAIL: 'test@closewait.invalid',
  GIT_COMMITTER_NAME: 'CloseWait Test',
  GIT_COMMITTER_EMAIL: 'test@closewait.invalid',
};

function git(dir: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function initRepository(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'symbolic-ref', 'HEAD', 'refs/heads/main');
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

function write(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

function closewait(dir: string, args: string[]): CliRun {
  return runCli(['scan', ...args], { cwd: dir, env: GIT_ENV });
}

interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fingerprint: string;
  related?: { file: string; line: number; message: string }[];
}

function findingsOf(run: CliRun): JsonFinding[] {
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout).findings;
}

const summary = (findings: JsonFinding[]) => findings.map((f) => `${f.rule} ${f.severity} ${f.file}:${f.line}`);

/** 1-based number of the (first) line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `no line contains ${needle}`);
  return index + 1;
}

const PROPERTIES = 'src/main/resources/application.properties';
const CONTROLLER = 'src/main/java/com/example/ReportController.java';
const LEGACY = 'src/main/java/com/example/Legacy.java';

const CONTROLLER_HEAD = `package com.example;

import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@RestController
public class ReportController {
    private final CloseableHttpClient http;
    private final RestTemplate rest;

    ReportController(CloseableHttpClient http, RestTemplate rest) {
        this.http = http;
        this.rest = rest;
    }

`;
const CONTROLLER_LEGACY = `    public int legacyStatus(String url) throws Exception {
        CloseableHttpResponse response = http.execute(new HttpGet(url));
        return response.getStatusLine().getStatusCode();
    }
}
`;
/** The second commit's addition, 20 lines above the old finding: a self-call from a handler and an unclosed response. */
const ADDED_METHODS = [
  '    @GetMapping("/reports/{id}")',
  '    public String report(String id) {',
  '        String header = rest.getForObject("http://localhost:8080/reports/header", String.class);',
  '        return header + title(id);',
  '    }',
  '',
  '    public int status(String url) throws Exception {',
  '        CloseableHttpResponse response = http.execute(new HttpGet(url + "/status"));',
  '        return response.getStatusLine().getStatusCode();',
  '    }',
  '',
  '    private static String title(String id) {',
  '        StringBuilder title = new StringBuilder("Report ");',
  '        title.append(id);',
  '        if (id.isEmpty()) {',
  '            title.append("(draft)");',
  '        }',
  '        return title.toString();',
  '    }',
  '',
].join('\n');
const LEGACY_JAVA = `package com.example;

import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;

public class Legacy {
    private final CloseableHttpClient http;

    Legacy(CloseableHttpClient http) {
        this.http = http;
    }

    public String body(String url) throws Exception {
        CloseableHttpResponse response = http.execute(new HttpGet(url));
        return response.getEntity().toString();
    }
}
`;
const FIRST_CONTROLLER = CONTROLLER_HEAD + CONTROLLER_LEGACY;
const SECOND_CONTROLLER = `${CONTROLLER_HEAD}${ADDED_METHODS}\n${CONTROLLER_LEGACY}`;

/** Commit 1: two old findings (Legacy.java, ReportController.legacyStatus). Commit 2: two new ones, the old one 20 lines down. */
function twoCommitRepository(options: { baselineInFirstCommit?: boolean } = {}): { dir: string; cleanup: () => void } {
  const tree = tempTree({ [PROPERTIES]: 'server.port=8080\n', [CONTROLLER]: FIRST_CONTROLLER, [LEGACY]: LEGACY_JAVA });
  initRepository(tree.dir);
  if (options.baselineInFirstCommit) {
    const written = closewait(tree.dir, ['--write-baseline', 'closewait-baseline.json']);
    assert.equal(written.status, 0, written.stderr);
    assert.match(written.stderr, /wrote 2 findings to closewait-baseline\.json/);
  }
  commitAll(tree.dir, 'reports: legacy status');
  write(tree.dir, CONTROLLER, SECOND_CONTROLLER);
  commitAll(tree.dir, 'reports: header and status');
  return tree;
}

describe('scan --diff-base', () => {
  let repo: { dir: string; cleanup: () => void };
  before(() => {
    repo = twoCommitRepository();
  });
  after(() => repo.cleanup());

  test('the second commit really adds two findings and moves an old one 20 lines down', () => {
    assert.equal(ADDED_METHODS.split('\n').length, 20);
    const all = findingsOf(closewait(repo.dir, ['--format', 'json']));
    const oldLine = lineOf(FIRST_CONTROLLER, 'http.execute(new HttpGet(url));');
    assert.deepEqual(summary(all), [
      `unclosed-resource warning ${LEGACY}:${lineOf(LEGACY_JAVA, 'http.execute')}`,
      `self-call error ${CONTROLLER}:${lineOf(SECOND_CONTROLLER, 'localhost:8080')}`,
      `unclosed-resource warning ${CONTROLLER}:${lineOf(SECOND_CONTROLLER, 'url + "/status"')}`,
      `unclosed-resource warning ${CONTROLLER}:${oldLine + 20}`,
    ]);
  });

  test('reports exactly the two findings the last commit adds', () => {
    const run = closewait(repo.dir, ['--format', 'json', '--diff-base', 'HEAD~1']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(summary(findingsOf(run)), [
      `self-call error ${CONTROLLER}:${lineOf(SECOND_CONTROLLER, 'localhost:8080')}`,
      `unclosed-resource warning ${CONTROLLER}:${lineOf(SECOND_CONTROLLER, 'url + "/status"')}`,
    ]);
    assert.match(run.stderr, /^closewait: reviewing changes since [0-9a-f]{12} \(merge base with HEAD~1\): 1 changed file$/m);
    assert.match(run.stderr, /^closewait: not shown: 2 findings in code the change does not touch$/m);
  });

  test('from a subfolder: paths relative to it, changes still found, self-call declaration followed', () => {
    const run = closewait(join(repo.dir, 'src/main'), ['--format', 'json', '--diff-base', 'HEAD~1']);
    const findings = findingsOf(run);
    assert.deepEqual(summary(findings), [
      `self-call error java/com/example/ReportController.java:${lineOf(SECOND_CONTROLLER, 'localhost:8080')}`,
      `unclosed-resource warning java/com/example/ReportController.java:${lineOf(SECOND_CONTROLLER, 'url + "/status"')}`,
    ]);
    assert.deepEqual(findings[0].related, [{ file: 'resources/application.properties', line: 1, message: 'port 8080 is declared here (server.port)' }]);
  });

  test('--fail-on: the self-call from a request handler is an error, the unclosed response a warning', () => {
    assert.equal(closewait(repo.dir, ['--diff-base', 'HEAD~1']).status, 1, 'default threshold: warning');
    assert.equal(closewait(repo.dir, ['--diff-base', 'HEAD~1', '--fail-on', 'error']).status, 1, 'the self-call is an error');
    assert.equal(closewait(repo.dir, ['--diff-base', 'HEAD~1', '--fail-on', 'info']).status, 1);
    const warningsOnly = closewait(repo.dir, ['--diff-base', 'HEAD~1', '--rule', 'unclosed-resource', '--fail-on', 'error']);
    assert.equal(warningsOnly.status, 0, 'a warning does not fail --fail-on error');
    assert.match(warningsOnly.stdout, /1 finding \(1 warning\) in 1 file/);
    assert.equal(closewait(repo.dir, ['--diff-base', 'HEAD~1', '--rule', 'unclosed-resource']).status, 1, 'but fails the default');
    assert.equal(closewait(repo.dir, ['--diff-base', 'HEAD', '--fail-on', 'info']).status, 0, 'nothing changed since HEAD');
  });

  test('--format github: one workflow command per new finding, paths from the repository root', () => {
    const json = findingsOf(closewait(repo.dir, ['--format', 'json', '--diff-base', 'HEAD~1']));
    const [selfCall, unclosed] = json;
    assert.match(selfCall.message, /^Self-referential HTTP call: RestTemplate calls http:\/\/localhost:8080\/reports\/header, and this application listens on port 8080/);
    const source = SECOND_CONTROLLER.split('\n');
    const selfLine = lineOf(SECOND_CONTROLLER, 'localhost:8080');
    const unclosedLine = lineOf(SECOND_CONTROLLER, 'url + "/status"');
    const expected = [
      `::error file=${CONTROLLER},line=${selfLine},col=${source[selfLine - 1].indexOf('rest.getForObject') + 1},endLine=${selfLine},` +
        `endColumn=${source[selfLine - 1].lastIndexOf(')') + 2},title=closewait self-call::${selfCall.message}`,
      `::warning file=${CONTROLLER},line=${unclosedLine},col=${source[unclosedLine - 1].indexOf('http.execute') + 1},endLine=${unclosedLine},` +
        `endColumn=${source[unclosedLine - 1].lastIndexOf(')') + 2},title=closewait unclosed-resource::${unclosed.message}`,
    ];
    const run = closewait(repo.dir, ['--format', 'github', '--diff-base', 'HEAD~1']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), [...expected, '']);
    // From a subfolder GitHub still needs the path from the repository root.
    const nested = closewait(join(repo.dir, 'src/main/java'), ['--format', 'github', '--diff-base', 'HEAD~1', '.']);
    assert.deepEqual(nested.stdout.split('\n'), [expected[1], '']); // no ports in src/main/java: no self-call
  });

  test('--format markdown: a heading with counts, a table per file with rule links, what was left out', () => {
    const [selfCall, unclosed] = findingsOf(closewait(repo.dir, ['--format', 'json', '--diff-base', 'HEAD~1']));
    const run = closewait(repo.dir, ['--format', 'markdown', '--diff-base', 'HEAD~1']);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), [
      '## CloseWait: 2 new findings (1 error, 1 warning) in 1 file',
      '',
      `### \`${CONTROLLER}\``,
      '',
      '| Line | Severity | Rule | Message |',
      '| ---: | --- | --- | --- |',
      `| ${selfCall.line} | error | [self-call](${helpUri('self-call')}) | ${selfCall.message}<br>↳ port 8080 is declared here (server.port) (\`${PROPERTIES}:1\`) |`,
      `| ${unclosed.line} | warning | [unclosed-resource](${helpUri('unclosed-resource')}) | ${unclosed.message} |`,
      '',
      `<sub>CloseWait ${VERSION} · 2 files scanned · not shown: 2 findings in code this change does not touch</sub>`,
      '',
    ]);
    assert.equal(helpUri('self-call'), 'https://github.com/closewait/closewait/blob/main/docs/rules/self-call.md');
  });

  test('--format markdown with nothing new: a friendly line', () => {
    const run = closewait(repo.dir, ['--format', 'markdown', '--diff-base', 'HEAD']);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.split('\n'), [
      '## CloseWait: no new findings',
      '',
      '✅ Nothing in this change leaves a socket open, waits without a limit or calls its own server, as far as CloseWait can tell.',
      '',
      `<sub>CloseWait ${VERSION} · 2 files scanned · not shown: 4 findings in code this change does not touch</sub>`,
      '',
    ]);
  });
});

describe('scan --baseline', () => {
  test('a baseline written at the first commit hides the old findings at the second, moved or not', () => {
    const { dir, cleanup } = twoCommitRepository({ baselineInFirstCommit: true });
    try {
      const baseline = JSON.parse(readFileSync(join(dir, 'closewait-baseline.json'), 'utf8'));
      assert.equal(baseline.tool, 'closewait');
      assert.equal(baseline.version, 1);
      assert.deepEqual(
        baseline.findings.map((e: Record<string, unknown>) => Object.keys(e)),
        [['rule', 'file', 'fingerprint', 'line', 'message'], ['rule', 'file', 'fingerprint', 'line', 'message']],
      );
      assert.deepEqual(
        baseline.findings.map((e: { file: string; line: number }) => `${e.file}:${e.line}`),
        [`${LEGACY}:${lineOf(LEGACY_JAVA, 'http.execute')}`, `${CONTROLLER}:${lineOf(FIRST_CONTROLLER, 'http.execute')}`],
        'sorted by file',
      );

      const run = closewait(dir, ['--format', 'json', '--baseline', 'closewait-baseline.json']);
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(summary(findingsOf(run)), [
        `self-call error ${CONTROLLER}:${lineOf(SECOND_CONTROLLER, 'localhost:8080')}`,
        `unclosed-resource warning ${CONTROLLER}:${lineOf(SECOND_CONTROLLER, 'url + "/status"')}`,
      ]);
      assert.match(run.stderr, /^closewait: not shown: 2 accepted in the baseline$/m);
      assert.doesNotMatch(run.stderr, /matched no finding/);

      // The same baseline from a subfolder: its paths are relative to its own folder, not to where the scan runs.
      const nested = closewait(join(dir, 'src'), ['--format', 'json', '--baseline', '../closewait-baseline.json']);
      assert.deepEqual(summary(findingsOf(nested)), [
        `self-call error main/java/com/example/ReportController.java:${lineOf(SECOND_CONTROLLER, 'localhost:8080')}`,
        `unclosed-resource warning main/java/com/example/ReportController.java:${lineOf(SECOND_CONTROLLER, 'url + "/status"')}`,
      ]);

      // Accept the new findings too: nothing is reported, and the markdown says so.
      assert.equal(closewait(dir, ['--write-baseline', 'closewait-baseline.json']).status, 0);
      const accepted = closewait(dir, ['--format', 'markdown', '--baseline', 'closewait-baseline.json']);
      assert.equal(accepted.status, 0, accepted.stderr);
      assert.equal(accepted.stdout.split('\n')[0], '## CloseWait: no new findings');
      assert.match(accepted.stdout, /not shown: 4 accepted in the baseline<\/sub>/);

      // Fix the old leak: its entry no longer matches anything, and the run says how to refresh.
      const closed = LEGACY_JAVA.replace(
        '        CloseableHttpResponse response = http.execute(new HttpGet(url));\n        return response.getEntity().toString();\n',
        '        try (CloseableHttpResponse response = http.execute(new HttpGet(url))) {\n            return response.getEntity().toString();\n        }\n',
      );
      assert.notEqual(closed, LEGACY_JAVA);
      write(dir, LEGACY, closed);
      const fixed = closewait(dir, ['--format', 'json', '--baseline', 'closewait-baseline.json']);
      assert.deepEqual(findingsOf(fixed), []);
      assert.match(fixed.stderr, /^closewait: 1 baseline entry matched no finding \(fixed, changed, or not scanned\); --write-baseline closewait-baseline\.json refreshes the file$/m);
    } finally {
      cleanup();
    }
  });

  test('matching is a multiset: two identical findings need two entries, and the new copy is the one reported', () => {
    const method = (body: string) =>
      LEGACY_JAVA.replace(
        '        CloseableHttpResponse response = http.execute(new HttpGet(url));\n        return response.getEntity().toString();\n',
        body,
      );
    const once = '        CloseableHttpResponse response = http.execute(new HttpGet(url));\n        return response.getEntity().toString();\n';
    const twice =
      '        CloseableHttpResponse first = http.execute(new HttpGet(url));\n' + // the copy, added above the original
      '        CloseableHttpResponse response = http.execute(new HttpGet(url));\n        return response.getEntity().toString() + first;\n';
    const { dir, cleanup } = tempTree({ [LEGACY]: method(once) });
    try {
      initRepository(dir);
      assert.equal(closewait(dir, ['--write-baseline', 'baseline.json']).status, 0);
      commitAll(dir, 'one leak');
      write(dir, LEGACY, method(twice));
      const all = findingsOf(closewait(dir, ['--format', 'json']));
      assert.equal(all.length, 2);
      assert.equal(all[0].fingerprint, all[1].fingerprint, 'same function, same source: same fingerprint');

      const baselineOnly = findingsOf(closewait(dir, ['--format', 'json', '--baseline', 'baseline.json']));
      assert.equal(baselineOnly.length, 1, 'one entry accepts one of the two');
      // With the diff known, the entry goes to the untouched original and the added copy is reported.
      const both = findingsOf(closewait(dir, ['--format', 'json', '--baseline', 'baseline.json', '--diff-base', 'HEAD']));
      assert.deepEqual(summary(both), [`unclosed-resource warning ${LEGACY}:${lineOf(method(twice), 'first = http.execute')}`]);
    } finally {
      cleanup();
    }
  });

  test('a missing or malformed baseline is a usage error', () => {
    const { dir, cleanup } = tempTree({ 'src/App.java': 'class App {}\n', 'bad.json': '{"tool":"closewait"', 'other.json': '{"version":1}', 'future.json': '{"tool":"closewait","version":2,"findings":[]}' });
    try {
      const missing = closewait(dir, ['--baseline', 'nope.json']);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /cannot read baseline nope\.json: no such file/);
      const bad = closewait(dir, ['--baseline', 'bad.json']);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /baseline bad\.json is not valid JSON/);
      const other = closewait(dir, ['--baseline', 'other.json']);
      assert.equal(other.status, 2);
      assert.match(other.stderr, /other\.json is not a CloseWait baseline/);
      const future = closewait(dir, ['--baseline', 'future.json']);
      assert.equal(future.status, 2);
      assert.match(future.stderr, /written by a newer CloseWait \(format version 2\)/);
    } finally {
      cleanup();
    }
  });
});

describe('scan --diff-base: what counts as changed', () => {
  test('a self-call is new when only the port declaration changed', () => {
    const handler = `${CONTROLLER_HEAD}${ADDED_METHODS}}\n`;
    const { dir, cleanup } = tempTree({ [PROPERTIES]: '# reports service\nserver.port=9090\n', [CONTROLLER]: handler });
    try {
      initRepository(dir);
      commitAll(dir, 'reports on 9090');
      assert.deepEqual(findingsOf(closewait(dir, ['--format', 'json', '--rule', 'self-call'])), [], 'port 8080 is not ours yet');
      write(dir, PROPERTIES, '# reports service\nserver.port=8080\n');
      commitAll(dir, 'move reports to 8080');
      // Run from a subfolder: the declaration's path has to be mapped to the repository root as well.
      const run = closewait(join(dir, 'src'), ['--format', 'json', '--rule', 'self-call', '--diff-base', 'HEAD~1']);
      const findings = findingsOf(run);
      assert.deepEqual(summary(findings), [`self-call error main/java/com/example/ReportController.java:${lineOf(handler, 'localhost:8080')}`]);
      assert.deepEqual(findings[0].related?.map((r) => `${r.file}:${r.line}`), ['main/resources/application.properties:2']);
      // The unclosed response in the same untouched file is not new.
      assert.deepEqual(findingsOf(closewait(dir, ['--format', 'json', '--rule', 'unclosed-resource', '--diff-base', 'HEAD~1'])), []);
    } finally {
      cleanup();
    }
  });

  test('uncommitted edits and untracked files count; multi-line findings are annotated by lines only', () => {
    const { dir, cleanup } = twoCommitRepository();
    try {
      // An uncommitted edit of the old leak's line, and a new untracked file with a leak split over two lines.
      write(dir, CONTROLLER, SECOND_CONTROLLER.replace('http.execute(new HttpGet(url));', 'http.execute(new HttpGet(url + "/legacy"));'));
      const extra = LEGACY_JAVA.replace('class Legacy', 'class Extra')
        .replace('Legacy(', 'Extra(')
        .replace('http.execute(new HttpGet(url));', 'http.execute(\n            new HttpGet(url));');
      write(dir, 'src/main/java/com/example/Extra.java', extra);
      const run = closewait(dir, ['--format', 'json', '--diff-base', 'HEAD']);
      assert.deepEqual(summary(findingsOf(run)), [
        `unclosed-resource warning src/main/java/com/example/Extra.java:${lineOf(extra, 'http.execute(')}`,
        `unclosed-resource warning ${CONTROLLER}:${lineOf(SECOND_CONTROLLER, 'new HttpGet(url));')}`,
      ]);
      const github = closewait(dir, ['--format', 'github', '--diff-base', 'HEAD', '--rule', 'unclosed-resource', 'src/main/java/com/example/Extra.java']);
      const start = lineOf(extra, 'http.execute(');
      assert.deepEqual(github.stdout.split('\n'), [
        `::warning file=src/main/java/com/example/Extra.java,line=${start},endLine=${start + 1},title=closewait unclosed-resource::` +
          'CloseableHttpResponse is never closed: wrap it in try-with-resources (or call EntityUtils.consume(response.getEntity()) in a finally block).',
        '',
      ]);
    } finally {
      cleanup();
    }
  });

  test('compares with the merge base, not with the tip of the other branch', () => {
    const { dir, cleanup } = twoCommitRepository();
    try {
      // main moves on after topic branched: it edits the old leak's line in Legacy.java.
      write(dir, LEGACY, LEGACY_JAVA.replace('new HttpGet(url)', 'new HttpGet(url + "?v=2")'));
      commitAll(dir, 'legacy: v2');
      git(dir, 'checkout', '-q', '-b', 'topic', 'HEAD~2');
      write(dir, 'src/main/java/com/example/Topic.java', LEGACY_JAVA.replace(/Legacy/g, 'Topic'));
      commitAll(dir, 'topic: one more leak');
      // Against main's tip, topic's unchanged Legacy.java line would look changed; against the merge base it is not.
      const run = closewait(dir, ['--format', 'json', '--diff-base', 'main']);
      assert.deepEqual(summary(findingsOf(run)), [`unclosed-resource warning src/main/java/com/example/Topic.java:${lineOf(LEGACY_JAVA, 'http.execute')}`]);
      const tip = git(dir, 'rev-parse', 'main').trim();
      const base = git(dir, 'merge-base', 'main', 'HEAD').trim();
      assert.notEqual(tip, base);
      assert.match(run.stderr, new RegExp(`reviewing changes since ${base.slice(0, 12)} \\(merge base with main\\)`));
    } finally {
      cleanup();
    }
  });

  test('outside a git repository, or with an unknown ref: exit 2 and a clear message', () => {
    const { dir, cleanup } = tempTree({ 'src/App.java': 'class App {}\n', [LEGACY]: LEGACY_JAVA });
    try {
      const outside = closewait(dir, ['--diff-base', 'main']);
      assert.equal(outside.status, 2);
      assert.match(outside.stderr, /^closewait scan: .* is not inside a git repository$/m);
      assert.equal(outside.stdout, '');
      // The review formats themselves need no repository: paths then stay relative to the current folder.
      const github = closewait(join(dir, 'src/main'), ['--format', 'github']);
      assert.equal(github.status, 1, github.stderr);
      assert.match(github.stdout, /^::warning file=java\/com\/example\/Legacy\.java,line=15,col=42,/);
      initRepository(dir);
      commitAll(dir, 'app');
      const unknown = closewait(dir, ['--diff-base', 'no-such-branch']);
      assert.equal(unknown.status, 2);
      assert.match(unknown.stderr, /^closewait scan: unknown git ref 'no-such-branch'/m);
      // A local name: fetching would not help, listing the refs that exist does.
      assert.match(unknown.stderr, /git branch -a and git log --oneline list valid ones/);
      assert.doesNotMatch(unknown.stderr, /fetch/);
      // A remote's branch that was never fetched: fetch it.
      spawnSync('git', ['remote', 'add', 'origin', join(dir, 'nowhere.git')], { cwd: dir });
      const remote = closewait(dir, ['--diff-base', 'origin/main']);
      assert.equal(remote.status, 2);
      assert.match(remote.stderr, /unknown git ref 'origin\/main': fetch it first \(git fetch origin main;/);
      const option = closewait(dir, ['--diff-base', '--cached']);
      assert.equal(option.status, 2);
      const severity = closewait(dir, ['--fail-on', 'fatal']);
      assert.equal(severity.status, 2);
      assert.match(severity.stderr, /unknown severity 'fatal' for --fail-on \(expected error, warning, info\)/);
    } finally {
      cleanup();
    }
  });
});

describe('review building blocks', () => {
  test('GitHub escaping: % CR LF in messages, also : and , in properties', () => {
    assert.equal(escapeData('100% done\r\nnext: a, b'), '100%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
  });

  test('unified diff: hunks, deletions, new and deleted files, quoted names, content that looks like headers', () => {
    const diff = [
      'diff --git a/src/A.java b/src/A.java',
      'index 1111111..2222222 100644',
      '--- a/src/A.java',
      '+++ b/src/A.java',
      '@@ -3,0 +4,2 @@ class A {',
      '+++ b/looks-like-a-header',
      '+@@ -1 +1 @@',
      '@@ -10,2 +11,0 @@',
      '-gone',
      '-gone too',
      '@@ -20 +20 @@',
      '-old',
      '+new',
      '\\ No newline at end of file',
      'diff --git a/Gone.java b/Gone.java',
      'deleted file mode 100644',
      '--- a/Gone.java',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-x',
      '-y',
      'diff --git "a/sp ace/\\303\\244.java" "b/sp ace/\\303\\244.java"',
      '--- "a/sp ace/\\303\\244.java"',
      '+++ "b/sp ace/\\303\\244.java"',
      '@@ -0,0 +1 @@',
      '+new file',
      'diff --git a/x y.ts b/x y.ts',
      '--- a/x y.ts\t',
      '+++ b/x y.ts\t',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '',
    ].join('\n');
    const changes = parseUnifiedDiff(diff);
    assert.equal(changes.touches('src/A.java', 4, 4), true);
    assert.equal(changes.touches('src/A.java', 5, 5), true);
    assert.equal(changes.touches('src/A.java', 6, 10), false);
    assert.equal(changes.touches('src/A.java', 11, 11), false, 'a deletion after line 11 does not touch line 11 alone');
    assert.equal(changes.touches('src/A.java', 11, 12), true, 'but a range across it');
    assert.equal(changes.touches('src/A.java', 20, 20), true);
    assert.equal(changes.touches('src/A.java', 21, 30), false);
    assert.equal(changes.touches('looks-like-a-header', 1, 1), false);
    assert.equal(changes.touches('Gone.java', 1, 2), false);
    assert.equal(changes.touches('sp ace/ä.java', 1, 1), true);
    assert.equal(changes.touches('x y.ts', 1, 1), true);
    assert.equal(changes.size, 3);
    assert.equal(unquote('"a\\"b\\\\c\\td"'), 'a"b\\c\td');
    const untracked = new ChangedLines();
    untracked.addWholeFile('New.java');
    assert.equal(untracked.touches('New.java', 400, 401), true);
  });
});
