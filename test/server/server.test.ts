// The real bundled language server, driven over stdio: diagnostics, incremental edits, hovers, quick fixes,
// settings, watched files, the workspace scan and its cancellation, and a rule that throws.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic, InitializeResult } from 'vscode-languageserver-protocol';
import { analyzeText, loadAllLanguages, parseSource } from '../../src/analysis';
import { gatherFacts } from '../../src/analysis/facts';
import { countSyntaxErrors } from '../../src/analysis/parse/source';
import { repoRoot } from '../helpers';
import { applyEdits, lineOf, LspClient, messageOf } from './lsp-client';

const CONTROLLER = 'src/main/java/com/example/reports/ReportController.java';
const SEARCH_MANAGER = 'src/main/java/net/daum/crystal/core/execute/SearchManager.java';
const PROPERTIES = 'src/main/resources/application.properties';

function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'closewait-lsp-'));
  cpSync(join(repoRoot, 'examples/spring-service'), dir, { recursive: true });
  return dir;
}

function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`).sort();
}

before(loadAllLanguages);

describe('language server over stdio', () => {
  let root: string;
  let client: LspClient;
  let text: string;
  let init: InitializeResult;

  before(async () => {
    root = copyExample();
    text = readFileSync(join(root, CONTROLLER), 'utf8');
    client = new LspClient({ root });
    init = await client.initialize();
    assert.equal(init.serverInfo?.name, 'closewait');
    await client.factsReady();
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('publishes the same findings as the analysis library, as diagnostics with code, docs link, source and related information', async () => {
    await client.open(CONTROLLER, text, 'java');
    const diagnostics = await client.diagnosticsFor(CONTROLLER, { version: 1 });
    const files = ['pom.xml', PROPERTIES, CONTROLLER, 'src/main/java/com/example/reports/ReportApplication.java'].map((path) => ({
      path,
      text: readFileSync(join(root, path), 'utf8'),
    }));
    const expected = analyzeText(CONTROLLER, text, { facts: gatherFacts(files) });
    assert.equal(expected.skipped, undefined);
    if (expected.skipped) return;
    assert.deepEqual(summary(diagnostics), expected.findings.map((f) => `${f.line - 1}:${f.column - 1} ${f.rule}`).sort());
    assert.deepEqual(new Set(diagnostics.map((d) => d.code)), new Set(['self-call', 'unclosed-resource', 'missing-timeout', 'unbounded-wait']));
    for (const d of diagnostics) {
      assert.equal(d.source, 'closewait');
      assert.match(d.codeDescription?.href ?? '', new RegExp(`docs/rules/${d.code}\\.md$`));
    }
    const selfCall = diagnostics.find((d) => d.code === 'self-call')!;
    assert.equal(selfCall.range.start.line, lineOf(text, 'http://localhost:8080/reports/'));
    assert.equal(selfCall.severity, 1, 'an error: reached from the @GetMapping handler');
    assert.match(messageOf(selfCall), /listens on port 8080 \(server\.port at src\/main\/resources\/application\.properties:2\)/);
    assert.equal(selfCall.relatedInformation?.[0].location.uri, client.uri(PROPERTIES));
    assert.equal(selfCall.relatedInformation?.[0].location.range.start.line, 1);
  });

  test('incremental changes move, add and remove diagnostics', async () => {
    const before = client.diagnostics(CONTROLLER);
    let version = await client.change(CONTROLLER, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// a new first line\n' }]);
    const shifted = await client.diagnosticsFor(CONTROLLER, { version });
    assert.deepEqual(
      summary(shifted),
      summary(before.map((d) => ({ ...d, range: { start: { line: d.range.start.line + 1, character: d.range.start.character }, end: d.range.end } }))),
    );
    // A new leaking socket inside header(): one more unclosed-resource.
    const headerLine = lineOf(text, 'return "<h1>Report "') + 1;
    const leak = 'java.net.Socket probe = new java.net.Socket("localhost", 9); probe.getOutputStream().write(1);\n        ';
    version = await client.change(CONTROLLER, [{ range: { start: { line: headerLine, character: 8 }, end: { line: headerLine, character: 8 } }, text: leak }]);
    const added = await client.diagnosticsFor(CONTROLLER, { version });
    const leaks = added.filter((d) => d.code === 'unclosed-resource' && d.range.start.line === headerLine);
    assert.equal(leaks.length, 1);
    // And taking both edits back restores the original diagnostics.
    version = await client.change(CONTROLLER, [{ range: { start: { line: headerLine, character: 8 }, end: { line: headerLine + 1, character: 8 } }, text: '' }]);
    await client.diagnosticsFor(CONTROLLER, { version });
    version = await client.change(CONTROLLER, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, text: '' }]);
    const restored = await client.diagnosticsFor(CONTROLLER, { version });
    assert.deepEqual(summary(restored), summary(before));
  });

  test('hover on a flagged range explains the rule and shows the fix', async () => {
    const unclosed = client.diagnostics(CONTROLLER).find((d) => d.code === 'unclosed-resource')!;
    const hover = await client.hover(CONTROLLER, unclosed.range.start.line, unclosed.range.start.character + 2);
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '';
    assert.match(value, /CloseWait · `unclosed-resource`/);
    assert.match(value, /CLOSE_WAIT/);
    assert.match(value, /try \(CloseableHttpResponse response = client\.execute\(get\)\)/);
    // A Java finding shows the Java fix only, and the hover is short: heading and link, why in two lines, the fix.
    assert.match(value, /```java\n/);
    assert.doesNotMatch(value, /```ts\n/);
    assert.ok(value.split('\n').length <= 9, `${value.split('\n').length} lines:\n${value}`);
    assert.match(value, /^\*\*CloseWait · `unclosed-resource`\*\* \(warning\) · \[Read more about unclosed-resource\]\(https:\/\/github\.com\/closewait\/closewait\/blob\/main\/docs\/rules\/unclosed-resource\.md\)  $/m);
    assert.equal(await client.hover(CONTROLLER, 0, 0), null);
  });

  test('closewait/summary tells the status bar how many findings are hidden in test code (none by default)', async () => {
    assert.deepEqual(await client.connection.sendRequest('closewait/summary'), { hiddenInTests: 0 });
  });

  test('hover on a TypeScript finding shows the TypeScript fix; an untitled document by its language', async () => {
    // A Node module (it imports node:http): TypeScript in this Java workspace would otherwise be taken for browser code.
    const source = "import http from 'node:http';\nexport async function quote(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}\nexport const server = http.createServer();\n";
    for (const [path, languageId] of [['src/quote.ts', 'typescript'], ['src/untitled', 'typescript']] as const) {
      await client.open(path, source, languageId);
      const [missing] = (await client.diagnosticsFor(path, { accept: (d) => d.some((x) => x.code === 'missing-timeout') })).filter((d) => d.code === 'missing-timeout');
      const hover = await client.hover(path, missing.range.start.line, missing.range.start.character + 1);
      const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? String(hover.contents.value) : '';
      assert.match(value, /CloseWait · `missing-timeout`/);
      assert.match(value, /```ts\nconst res = await fetch\(url, \{ signal: AbortSignal\.timeout\(10_000\) \}\);\n```/);
      assert.doesNotMatch(value, /```java/);
    }
  });

  test('every quick fix removes its finding and leaves a file that parses', async () => {
    const diagnostics = client.diagnostics(CONTROLLER);
    const current = text;
    const seen = new Set<string>();
    for (const diagnostic of diagnostics) {
      const actions = await client.codeActions(CONTROLLER, diagnostic);
      assert.ok(actions.some((a) => a.title === `Ignore ${diagnostic.code} on this line`));
      for (const action of actions) {
        seen.add(action.title.replace(/'.*?'|\d+/g, ''));
        const edits = action.edit?.changes?.[client.uri(CONTROLLER)] ?? [];
        const fixed = applyEdits(current, edits);
        const parsed = parseSource(CONTROLLER, fixed, 'java');
        assert.equal(countSyntaxErrors(parsed.tree), 0, `${action.title} leaves a syntax error:\n${fixed}`);
        parsed.tree.delete();
        const version = await client.change(CONTROLLER, [{ text: fixed }]);
        const after = await client.diagnosticsFor(CONTROLLER, { version });
        const count = (list: Diagnostic[]) => list.filter((d) => d.code === diagnostic.code).length;
        assert.equal(count(after), count(diagnostics) - 1, `${action.title}: one ${diagnostic.code} fewer`);
        const restoreVersion = await client.change(CONTROLLER, [{ text: current }]);
        await client.diagnosticsFor(CONTROLLER, { version: restoreVersion });
      }
    }
    assert.ok([...seen].some((t) => t.startsWith('Wrap')), 'try-with-resources offered');
    assert.ok([...seen].some((t) => t.startsWith('Add setConnectTimeout')), 'HttpURLConnection timeouts offered');
    assert.ok([...seen].some((t) => t.startsWith('Add a RequestConfig')), 'RequestConfig offered');
    assert.ok([...seen].some((t) => t.startsWith('Wait at most')), 'bounded get offered');
  });

  test('settings change severities and switch rules off without a restart', async () => {
    client.settings = { rules: { 'missing-timeout': { severity: 'off' }, 'unclosed-resource': { severity: 'error' } } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { closewait: client.settings } });
    const changed = await client.diagnosticsFor(CONTROLLER, { accept: (d) => !d.some((x) => x.code === 'missing-timeout') });
    assert.ok(changed.every((d) => d.code !== 'unclosed-resource' || d.severity === 1));
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { closewait: {} } });
    await client.diagnosticsFor(CONTROLLER, { accept: (d) => d.some((x) => x.code === 'missing-timeout') });
  });

  test('test code gets no diagnostics unless closewait.testCode says so', async () => {
    const testFile = 'src/test/java/com/example/reports/ReportControllerTest.java';
    const leak = [
      'package com.example.reports;',
      'import java.net.Socket;',
      'class ReportControllerTest {',
      '  void probe() throws Exception {',
      '    Socket s = new Socket("localhost", 8080);',
      '    s.getInputStream().read();',
      '  }',
      '}',
    ].join('\n');
    await client.open(testFile, leak, 'java');
    assert.deepEqual(await client.diagnosticsFor(testFile), [], 'hidden by default');
    const apply = async (settings: Record<string, unknown>) => {
      client.settings = settings;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { closewait: settings } });
    };
    await apply({ testCode: 'info' });
    const asInfo = await client.diagnosticsFor(testFile, { accept: (d) => d.length > 0 });
    assert.ok(asInfo.some((d) => d.code === 'unclosed-resource') && asInfo.every((d) => d.severity === 3), 'info severity');
    await apply({ testCode: 'report' });
    const reported = await client.diagnosticsFor(testFile, { accept: (d) => d.some((x) => x.severity === 2) });
    assert.deepEqual([...new Set(reported.map((d) => d.code))].sort(), ['missing-timeout', 'unclosed-resource']);
    await apply({});
    await client.diagnosticsFor(testFile, { accept: (d) => d.length === 0 });
  });

  test('a changed application.properties re-evaluates self-call in open documents', async () => {
    const original = readFileSync(join(root, PROPERTIES), 'utf8');
    writeFileSync(join(root, PROPERTIES), original.replace('server.port=8080', 'server.port=9090'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(PROPERTIES), type: 2 }] });
    await client.diagnosticsFor(CONTROLLER, { accept: (d) => !d.some((x) => x.code === 'self-call') });
    writeFileSync(join(root, PROPERTIES), original);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(PROPERTIES), type: 2 }] });
    await client.diagnosticsFor(CONTROLLER, { accept: (d) => d.some((x) => x.code === 'self-call') });
  });

  test('a saved application.properties re-evaluates self-call even when no file watcher reports it', async () => {
    const original = readFileSync(join(root, PROPERTIES), 'utf8');
    const save = async () => client.connection.sendNotification('textDocument/didSave', { textDocument: { uri: client.uri(PROPERTIES) } });
    const sync = init.capabilities.textDocumentSync;
    assert.deepEqual(typeof sync === 'object' ? sync.save : undefined, { includeText: false }, 'the server asks for saves');
    await client.open(PROPERTIES, original, 'properties');
    writeFileSync(join(root, PROPERTIES), original.replace('server.port=8080', 'server.port=9090'));
    await save();
    await client.diagnosticsFor(CONTROLLER, { accept: (d) => d.length > 0 && !d.some((x) => x.code === 'self-call') });
    writeFileSync(join(root, PROPERTIES), original);
    await save();
    await client.diagnosticsFor(CONTROLLER, { accept: (d) => d.some((x) => x.code === 'self-call') });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: client.uri(PROPERTIES) } });
  });

  test('Scan Workspace publishes diagnostics for closed files with progress, and refreshes them when they change on disk', async () => {
    const result = await client.connection.sendRequest<{ files: number; findings: number; cancelled: boolean }>('workspace/executeCommand', {
      command: 'closewait.server.scanWorkspace',
      arguments: [],
    });
    assert.equal(result.cancelled, false);
    assert.equal(result.files, 4);
    const searchManager = await client.diagnosticsFor(SEARCH_MANAGER);
    const searchText = readFileSync(join(root, SEARCH_MANAGER), 'utf8');
    assert.ok(searchManager.some((d) => d.code === 'self-call' && d.range.start.line === lineOf(searchText, 'new HttpGet(url)')));
    const scanProgress = [...client.progress.values()].find((p) => p[0]?.kind === 'begin' && p[0].title === 'CloseWait: scanning the workspace');
    assert.ok(scanProgress, 'scan progress began');
    assert.equal(scanProgress.at(-1)?.kind, 'end');
    // The closed file changes on disk: its diagnostics follow.
    writeFileSync(join(root, SEARCH_MANAGER), searchText.replace('"http://localhost:8080/ROOT/docs/"', '"http://static.internal/docs/"'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(SEARCH_MANAGER), type: 2 }] });
    await client.diagnosticsFor(SEARCH_MANAGER, { accept: (d) => !d.some((x) => x.code === 'self-call') && d.length > 0 });
  });
});

describe('language server: cancellation and failures', () => {
  test('a workspace scan can be cancelled from its progress', async () => {
    const root = mkdtempSync(join(tmpdir(), 'closewait-lsp-big-'));
    const leak = readFileSync(join(repoRoot, 'test/fixtures/unclosed-resource/java/Sockets.java'), 'utf8');
    for (let i = 0; i < 400; i++) {
      mkdirSync(join(root, `m${i % 20}`), { recursive: true });
      writeFileSync(join(root, `m${i % 20}`, `Sockets${i}.java`), leak.replace('class Sockets', `class Sockets${i}`));
    }
    const client = new LspClient({ root });
    try {
      await client.initialize();
      await client.factsReady(60_000);
      const scan = client.connection.sendRequest<{ files: number; cancelled: boolean }>('workspace/executeCommand', { command: 'closewait.server.scanWorkspace' });
      let token: string | number | undefined;
      await client.until(
        () => {
          for (const [t, values] of client.progress) {
            if (values[0]?.kind === 'begin' && values[0].title === 'CloseWait: scanning the workspace' && values.some((v) => v.kind === 'report' && v.percentage)) token = t;
          }
          return token !== undefined;
        },
        60_000,
        'scan progress',
      );
      await client.connection.sendNotification('window/workDoneProgress/cancel', { token });
      const result = await scan;
      assert.equal(result.cancelled, true);
      assert.ok(result.files < 400, `stopped early (${result.files} files)`);
      assert.ok(client.logs.some((l) => /workspace scan cancelled/.test(l)));
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a rule that throws is logged and the other rules still report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'closewait-lsp-fault-'));
    const client = new LspClient({ root, env: { CLOSEWAIT_FAULTY_RULE: '1' } });
    try {
      await client.initialize();
      await client.factsReady();
      const source = '// closewait-fault\nclass Faulty {\n    void f() throws Exception {\n        java.net.Socket s = new java.net.Socket("h", 1);\n        s.getInputStream().read();\n    }\n}\n';
      await client.open('Faulty.java', source, 'java');
      const diagnostics = await client.diagnosticsFor('Faulty.java', { version: 1 });
      assert.ok(diagnostics.some((d) => d.code === 'unclosed-resource'));
      await client.until(() => client.logs.some((l) => /rule faulty-rule failed on Faulty\.java: faulty-rule failed on purpose/.test(l)), 5_000, 'failure log');
      // And a document that does not parse at all still gets an answer.
      const version = await client.change('Faulty.java', [{ text: '}}}} class ((( {{ \u0000' }]);
      assert.deepEqual(await client.diagnosticsFor('Faulty.java', { version }), []);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('language server: 1,000 random edits', () => {
  test('after a burst of random incremental edits the published diagnostics equal a fresh analysis of the final text', async () => {
    const root = copyExample();
    const client = new LspClient({ root });
    try {
      await client.initialize();
      await client.factsReady();
      let text = readFileSync(join(root, CONTROLLER), 'utf8');
      await client.open(CONTROLLER, text, 'java');
      await client.diagnosticsFor(CONTROLLER, { version: 1 });
      let state = 20251125;
      const random = (n: number) => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return (state >>> 8) % n;
      };
      const position = (offset: number) => {
        const before = text.slice(0, offset);
        const line = before.split('\n').length - 1;
        return { line, character: offset - (before.lastIndexOf('\n') + 1) };
      };
      const pieces = ['x', 'a', ' ', '(', ')', '{', '}', ';', '"', '\n', 'close();', 'new java.net.Socket("h", 1);', '// ', 'return null;'];
      let version = 1;
      for (let i = 0; i < 1000; i++) {
        const start = random(text.length + 1);
        const end = Math.min(text.length, start + (random(4) === 0 ? random(8) : 0));
        const insert = end > start && random(2) === 0 ? '' : pieces[random(pieces.length)];
        const range = { start: position(start), end: position(end) };
        text = text.slice(0, start) + insert + text.slice(end);
        version = await client.change(CONTROLLER, [{ range, text: insert }]);
      }
      const published = await client.diagnosticsFor(CONTROLLER, { version, timeoutMs: 60_000 });
      const files = ['pom.xml', PROPERTIES, 'src/main/java/com/example/reports/ReportApplication.java'].map((path) => ({
        path,
        text: readFileSync(join(root, path), 'utf8'),
      }));
      const fresh = analyzeText(CONTROLLER, text, { facts: gatherFacts([...files, { path: CONTROLLER, text }]) });
      assert.equal(fresh.skipped, undefined);
      if (fresh.skipped) return;
      const expected = fresh.findings.map((f) => `${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1} ${f.rule} ${f.message}`).sort();
      const actual = published.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${messageOf(d)}`).sort();
      assert.deepEqual(actual, expected);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
