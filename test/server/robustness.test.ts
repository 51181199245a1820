// The language server under messages an ordinary editor rarely sends: URIs that are no local path, clients that
// refuse the server's requests, reversed ranges, old Mac line endings. No message may end the server, and it must
// keep answering and keep its diagnostics right.
import assert from 'node:assert/strict';
import { existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, loadAllLanguages } from '../../src/analysis';
import { startServer, type LspClient, type StartedServer } from './lsp-client';

const LEAK = 'class Leak {\n  void send() throws Exception {\n    java.net.Socket s = new java.net.Socket("h", 1);\n    s.getInputStream().read();\n  }\n}\n';

function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code}`).sort();
}

/** The server is up and answers a request. */
async function assertAnswering(client: LspClient): Promise<void> {
  assert.equal(client.exit, undefined, `the server exited: ${JSON.stringify(client.exit)}\n${client.logs.join('\n')}`);
  let timer: NodeJS.Timeout | undefined;
  const answer = await Promise.race([
    client.connection.sendRequest('textDocument/hover', { textDocument: { uri: client.uri('None.java') }, position: { line: 0, character: 0 } }),
    client.exited.then(() => 'exited'),
    new Promise((resolve) => (timer = setTimeout(() => resolve('no answer within 20 s'), 20_000))),
  ]);
  clearTimeout(timer);
  assert.equal(answer, null, 'a hover where nothing is found answers null');
  assert.equal(client.exit, undefined);
}

describe('language server: URIs that are no local path', () => {
  let server: StartedServer;
  let client: LspClient;

  before(async () => {
    server = await startServer('uris', { files: { 'Leak.java': LEAK } });
    client = server.client;
  });

  after(() => server.stop());

  const ODD = ['file://fileserver/share/A.java', 'file:///a%2Fb/B.java', 'file:///c/%E0%A4%A/C.java', 'file:D.java', 'untitled:Untitled-1', 'vscode-notebook-cell:/x.ts#a', ''];

  test('watched-file changes with them are ignored, and the server keeps answering', async () => {
    for (const uri of ODD) {
      for (const type of [1, 2, 3]) await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type }] });
    }
    await assertAnswering(client);
  });

  test('documents opened under them are analysed by language', async () => {
    for (const uri of ODD.filter((u) => u !== '')) {
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'java', version: 1, text: LEAK } });
      await client.until(() => client.published.some((p) => p.uri === uri), 20_000, `diagnostics for ${uri}`);
      const published = client.published.filter((p) => p.uri === uri).at(-1)!;
      assert.deepEqual(published.diagnostics.map((d) => d.code).sort(), ['missing-timeout', 'unclosed-resource'], uri);
    }
    await assertAnswering(client);
  });
});

describe('language server: a client that refuses its requests', () => {
  const REFUSABLE = ['client/registerCapability', 'window/workDoneProgress/create', 'workspace/configuration'];
  for (const refuse of [...REFUSABLE.map((method) => [method]), REFUSABLE]) {
    test(`refused ${refuse.join(', ')}: facts, diagnostics and the workspace scan still work`, () => refusing(refuse));
  }

  async function refusing(refuse: string[]): Promise<void> {
    const { client, stop } = await startServer('refuse', { files: { 'Closed.java': LEAK }, refuse });
    try {
      await client.open('Leak.java', LEAK, 'java');
      assert.equal((await client.diagnosticsFor('Leak.java', { version: 1 })).length, 2);
      const scan = await client.connection.sendRequest<{ files: number; findings: number }>('workspace/executeCommand', { command: 'closewait.server.scanWorkspace' });
      assert.deepEqual(scan, { files: 1, findings: 2, cancelled: false });
      await assertAnswering(client);
    } finally {
      await stop();
    }
  }
});

describe('language server: files that never end', { skip: !existsSync('/proc/self/pagemap') && 'no /proc/self/pagemap here' }, () => {
  test('start-up reads configuration and sources bounded: a link to /proc/self/pagemap costs nothing', async () => {
    const { client, stop } = await startServer('endless', {
      files: { 'Closed.java': LEAK },
      setup: (root) => {
        for (const name of ['application.properties', '.env', 'Endless.java', 'server.ts']) symlinkSync('/proc/self/pagemap', join(root, name));
      },
    });
    try {
      const scan = await client.connection.sendRequest<{ files: number; findings: number }>('workspace/executeCommand', { command: 'closewait.server.scanWorkspace' });
      assert.deepEqual(scan, { files: 2, findings: 2, cancelled: false });
      await assertAnswering(client);
    } finally {
      await stop();
    }
  });
});

describe('language server: edits as some editors send them', () => {
  let server: StartedServer;
  let client: LspClient;

  before(async () => {
    await loadAllLanguages();
    server = await startServer('edits');
    client = server.client;
  });

  after(() => server.stop());

  /** The published diagnostics, as positions and rules, next to a fresh analysis of `text` read with LF endings. */
  async function assertFresh(path: string, version: number, text: string): Promise<void> {
    const published = await client.diagnosticsFor(path, { version });
    const fresh = analyzeText(path, text.replace(/\r\n?/g, '\n'));
    assert.equal(fresh.skipped, undefined);
    const expected = fresh.skipped === undefined ? fresh.findings.map((f) => `${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1} ${f.rule}`) : [];
    assert.deepEqual(summary(published), expected.sort(), `after version ${version}`);
  }

  test('a change whose range is reversed (start after end) is applied from end to start, as TextDocument applies it', async () => {
    const clean = 'class Leak {\n  void send() throws Exception {\n    int n = 0;\n    int m = 1;\n  }\n}\n';
    await client.open('Reversed.java', clean, 'java');
    await assertFresh('Reversed.java', 1, clean);
    // Replace the two lines of the body, with the start and end of the range swapped.
    const insert = '    java.net.Socket s = new java.net.Socket("h", 1);\n    s.getInputStream().read();\n';
    const range = { start: { line: 4, character: 0 }, end: { line: 2, character: 0 } };
    let text = clean.replace('    int n = 0;\n    int m = 1;\n', insert);
    let version = await client.change('Reversed.java', [{ range, text: insert }]);
    await assertFresh('Reversed.java', version, text);
    assert.equal(client.diagnostics('Reversed.java').length, 2);
    // And the tree stays in step: a later ordinary edit is analysed right too.
    version = await client.change('Reversed.java', [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '    s.close();\n' }]);
    text = text.replace('  }\n}', '    s.close();\n  }\n}');
    await assertFresh('Reversed.java', version, text);
  });

  test('lone CR line endings: diagnostics on the lines the editor shows, through edits that make and break CR LF pairs', async () => {
    let text = '// a comment\rclass Leak {\r  void send() throws Exception {\r    java.net.Socket s = new java.net.Socket("h", 1);\r    s.getInputStream().read();\r  }\r}\r';
    await client.open('OldMac.java', text, 'java');
    await assertFresh('OldMac.java', 1, text);
    assert.equal(client.diagnostics('OldMac.java')[0]?.range.start.line, 3);
    // The editor's own text document applies each edit (CR, LF and CR LF each end a line; no position lies
    // inside a CR LF pair): the server must agree with it.
    let document = TextDocument.create('x', 'java', 1, text);
    const edits: ((t: string) => [number, number, string])[] = [
      (t) => [t.indexOf('\r') + 1, 0, '\n'], // the comment's CR becomes CR LF
      (t) => [t.indexOf('class'), 0, '\r\r'], // two blank lines, old Mac style
      (t) => [t.indexOf('\r\n'), 2, '\r'], // and back to a lone CR
      (t) => [t.indexOf('java.net'), 0, '\r    '], // Enter typed before the declaration
      (t) => [t.lastIndexOf('}') + 1, 0, '\n'], // an LF after the last brace, before its CR
      (t) => [t.indexOf('\r'), 1, ''], // the comment line joins the next
    ];
    for (const edit of edits) {
      const [at, remove, insert] = edit(document.getText());
      const change = { range: { start: document.positionAt(at), end: document.positionAt(at + remove) }, text: insert };
      const version = await client.change('OldMac.java', [change]);
      document = TextDocument.update(document, [change], version);
      await assertFresh('OldMac.java', version, document.getText());
    }
    assert.equal(client.diagnostics('OldMac.java').length, 2);
  });
});
