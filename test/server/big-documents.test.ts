// Big documents are analysed on the server's background worker: a 5 MB file neither blocks hovers and other
// documents nor goes without findings, its edits are followed like a small file's, and one that runs out of time
// says so once, not on every keystroke.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { bigJava, BIG_JAVA_LEAK as LEAK } from '../../bench/corpus';
import { analyzeFile, loadAllLanguages, parseSource, type AnalyzeOptions } from '../../src/analysis';
import { startServer, type LspClient, type StartedServer } from './lsp-client';

function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`).sort();
}

/** A fresh analysis of `text`, given all the time it needs: what the published diagnostics must equal. */
function fresh(path: string, text: string, options: AnalyzeOptions = {}): string[] {
  const file = parseSource(path, text, 'java', undefined, 600_000);
  try {
    return analyzeFile(file, { ...options, deadlineMs: 600_000 }).findings.map((f) => `${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1} ${f.rule}`).sort();
  } finally {
    file.tree.delete();
  }
}

before(loadAllLanguages);

describe('language server: a 5 MB document', () => {
  let server: StartedServer;
  let client: LspClient;
  const text = bigJava(4.9 * 1024 * 1024);

  before(async () => {
    server = await startServer('big');
    client = server.client;
  });

  after(() => server.stop());

  test('is analysed in the background: a hover is answered meanwhile, then its findings appear and follow edits', async () => {
    await client.open('Big.java', text, 'java');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The server is parsing and checking 5 MB: it answers a hover all the same.
    assert.equal(await client.hover('Other.java', 0, 0), null);
    assert.equal(client.published.filter((p) => p.uri === client.uri('Big.java')).length, 0, 'the hover was answered before the big file was analysed');
    const diagnostics = await client.diagnosticsFor('Big.java', { version: 1, timeoutMs: 180_000 });
    const expected = fresh('Big.java', text);
    assert.ok(expected.length > 200, `the generated file has findings (${expected.length})`);
    assert.deepEqual(summary(diagnostics), expected);

    // A leak typed into a method in the middle shows up; the rest stays as it was.
    const line = text.slice(0, text.indexOf('public int method6001(')).split('\n').length;
    const version = await client.change('Big.java', [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: LEAK }]);
    const edited = await client.diagnosticsFor('Big.java', { version, timeoutMs: 60_000 });
    assert.equal(edited.length, diagnostics.length + 2);
    assert.deepEqual(edited.filter((d) => d.range.start.line === line).map((d) => d.code).sort(), ['missing-timeout', 'unclosed-resource']);
  });

  test('its quick fixes come from the background too', async () => {
    const leak = client.diagnostics('Big.java').find((d) => d.code === 'unclosed-resource')!;
    const actions = await client.codeActions('Big.java', leak);
    assert.ok(actions.some((a) => /try-with-resources/.test(a.title)), actions.map((a) => a.title).join(', '));
  });
});

describe('language server: big documents, edited', () => {
  test('a small document that grows big by a paste, then 200 quick edits: the diagnostics equal a fresh analysis', async () => {
    const { client, stop } = await startServer('grow');
    try {
      let text = 'class Small {\n}\n';
      await client.open('Grow.java', text, 'java');
      await client.diagnosticsFor('Grow.java', { version: 1 });
      const paste = bigJava(400 * 1024).replace('public class Generated {\n', '').replace(/}\n$/, '');
      await client.change('Grow.java', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: paste }]);
      text = `class Small {\n${paste}}\n`;
      let state = 7;
      const random = (n: number) => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return (state >>> 8) % n;
      };
      const position = (offset: number) => {
        const before = text.slice(0, offset);
        return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
      };
      const pieces = ['x', ' ', '(', ')', '{', '}', ';', '\n', 'close();', LEAK, '// '];
      let version = 2;
      for (let i = 0; i < 200; i++) {
        const start = random(text.length + 1);
        const end = Math.min(text.length, start + (random(4) === 0 ? random(8) : 0));
        const insert = pieces[random(pieces.length)];
        const range = { start: position(start), end: position(end) };
        text = text.slice(0, start) + insert + text.slice(end);
        version = await client.change('Grow.java', [{ range, text: insert }]);
      }
      const published = await client.diagnosticsFor('Grow.java', { version, timeoutMs: 120_000 });
      assert.ok(client.logs.some((l) => /^Grow\.java is analysed in the background/.test(l)), client.logs.join('\n'));
      assert.deepEqual(summary(published), fresh('Grow.java', text));
    } finally {
      await stop();
    }
  });

  test("a workspace with big files: the background worker warms up and prepares their findings; a file opened as on disk gets them at once, one changed since is analysed, and edits are followed before and after the worker makes the prepared file's tree", async () => {
    const text = bigJava(400 * 1024);
    const other = bigJava(300 * 1024);
    const files = { 'src/main/java/Big.java': text, 'src/main/java/Other.java': other, 'src/main/java/Small.java': 'class Small {}\n' };
    const { client, stop } = await startServer('warm', { files });
    try {
      const warmed = () => client.logs.find((l) => l.startsWith('the background analysis is warmed up'));
      for (let waited = 0; !warmed() && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      const log = warmed() ?? client.logs.join('\n');
      const [, largest, prepared, big, chars] =
        /for the workspace's big files \((\d+) K characters the largest\) in \d+ ms; the findings of (\d+) of (\d+) prepared \((\d+) K characters\) in \d+ ms$/.exec(log) ?? assert.fail(log);
      assert.deepEqual([largest, prepared, big, chars].map(Number), [Math.round(text.length / 1024), 2, 2, Math.round((text.length + other.length) / 1024)], log);

      // As on disk: the prepared findings, which equal a fresh analysis.
      const path = 'src/main/java/Big.java';
      await client.open(path, text, 'java');
      assert.deepEqual(summary(await client.diagnosticsFor(path, { version: 1, timeoutMs: 120_000 })), fresh(path, text));
      assert.ok(client.logs.includes(`${path}: the findings prepared at start-up (it is as on disk)`), client.logs.join('\n'));
      // Changed since start-up: analysed when opened.
      const otherPath = 'src/main/java/Other.java';
      const changed = other.replace('public int method2(', 'public int renamed2(');
      assert.notEqual(changed, other);
      await client.open(otherPath, changed, 'java');
      assert.deepEqual(summary(await client.diagnosticsFor(otherPath, { version: 1, timeoutMs: 120_000 })), fresh(otherPath, changed));
      assert.ok(!client.logs.some((l) => l.startsWith(`${otherPath}: the findings prepared`)), client.logs.join('\n'));

      // Edits right away (before the worker, idle, has made the prepared file's tree) and after it.
      let current = text;
      for (const [wait, method] of [[0, 'method6('], [1_500, 'method7(']] as const) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        const line = current.slice(0, current.indexOf(`public int ${method}`)).split('\n').length;
        const version = await client.change(path, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: LEAK }]);
        const lines = current.split('\n');
        current = [...lines.slice(0, line), LEAK.slice(0, -1), ...lines.slice(line)].join('\n');
        assert.deepEqual(summary(await client.diagnosticsFor(path, { version, timeoutMs: 120_000 })), fresh(path, current));
      }
    } finally {
      await stop();
    }
    // Without a big file the worker is not started for nothing (about 45 MB).
    const small = await startServer('cold', { files: { 'src/main/java/Small.java': 'class Small {}\n' } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.ok(!small.client.logs.some((l) => l.includes('background analysis')), small.client.logs.join('\n'));
    } finally {
      await small.stop();
    }
  });

  test('a big file opened while the worker warms up is analysed, and not prepared again behind it', async () => {
    const text = bigJava(300 * 1024);
    const files = { 'src/main/java/Big.java': text, 'src/main/java/Other.java': bigJava(400 * 1024) };
    const { client, stop } = await startServer('warm-open', { files });
    try {
      // The facts are read and the warm-up has begun: the worker gets the document before any file to prepare.
      const path = 'src/main/java/Big.java';
      await client.open(path, text, 'java');
      assert.deepEqual(summary(await client.diagnosticsFor(path, { version: 1, timeoutMs: 120_000 })), fresh(path, text));
      const warmed = () => client.logs.find((l) => l.startsWith('the background analysis is warmed up'));
      for (let waited = 0; !warmed() && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(warmed() ?? client.logs.join('\n'), /; the findings of 1 of 2 prepared \(\d+ K characters\)/);
      assert.ok(!client.logs.some((l) => l.startsWith(`${path}: the findings prepared`)), client.logs.join('\n'));
    } finally {
      await stop();
    }
  });

  test('a big test file: its findings are hidden and counted for the summary, and shown when closewait.testCode says so', async () => {
    // The policy applies in the background as on the main thread.
    const { client, stop } = await startServer('big-test');
    try {
      const path = 'src/test/java/com/example/generated/GeneratedTest.java';
      const text = bigJava(400 * 1024);
      const expected = fresh(path, text, { testCode: 'report' });
      assert.ok(expected.length > 10, `the generated file has findings (${expected.length})`);
      await client.open(path, text, 'java');
      assert.deepEqual(await client.diagnosticsFor(path, { version: 1, timeoutMs: 120_000 }), []);
      assert.ok(client.logs.some((l) => l.startsWith('src/test/java/com/example/generated/GeneratedTest.java is analysed in the background')), client.logs.join('\n'));
      assert.ok(client.logs.some((l) => /GeneratedTest\.java: findings not shown because it is test code/.test(l)), client.logs.join('\n'));
      assert.deepEqual(await client.connection.sendRequest('closewait/summary'), { hiddenInTests: expected.length });
      client.settings = { testCode: 'report' };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { closewait: client.settings } });
      assert.deepEqual(summary(await client.diagnosticsFor(path, { accept: (d) => d.length > 0, timeoutMs: 120_000 })), expected);
      assert.deepEqual(await client.connection.sendRequest('closewait/summary'), { hiddenInTests: 0 });
    } finally {
      await stop();
    }
  });

  test('a big document that runs out of time: no findings, and one message however many keystrokes', async () => {
    const { client, stop } = await startServer('slow', { env: { CLOSEWAIT_BACKGROUND_BUDGET_MS: '1' } });
    try {
      const text = bigJava(400 * 1024);
      await client.open('Slow.java', text, 'java');
      assert.deepEqual(await client.diagnosticsFor('Slow.java', { version: 1, timeoutMs: 60_000 }), []);
      let version = 1;
      for (let i = 0; i < 20; i++) {
        version = await client.change('Slow.java', [{ range: { start: { line: 7, character: 8 }, end: { line: 7, character: 8 } }, text: 'x' }]);
        assert.deepEqual(await client.diagnosticsFor('Slow.java', { version }), []);
      }
      assert.equal(client.messages.length, 1, JSON.stringify(client.messages));
      assert.match(client.messages[0].message, /^CloseWait: Slow\.java is too large for live analysis \(parsing took longer than 0\.001 s\)/);
      assert.equal(client.logs.filter((l) => l.startsWith('Slow.java is not analysed')).length, 1, client.logs.join('\n'));
    } finally {
      await stop();
    }
  });
});
