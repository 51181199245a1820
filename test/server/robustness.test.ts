// The language server under messages an ordinary editor rarely sends: URIs that are no local path, clients that
// refuse the server's requests, reversed ranges, old Mac line endings. No message may end the server, and it must
// keep answering and keep its diagnostics right.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LspClient } from './lsp-client';

const LEAK = 'class Leak {\n  void send() throws Exception {\n    java.net.Socket s = new java.net.Socket("h", 1);\n    s.getOutputStream().write(1);\n  }\n}\n';

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
  let root: string;
  let client: LspClient;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'closewait-lsp-uris-'));
    writeFileSync(join(root, 'Leak.java'), LEAK);
    client = new LspClient({ root });
    await client.initialize();
    await client.factsReady();
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

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
  test('refused registrations, progress and configuration: facts, diagnostics and the workspace scan still work', async () => {
    const root = mkdtempSync(join(tmpdir(), 'closewait-lsp-refuse-'));
    writeFileSync(join(root, 'Closed.java'), LEAK);
    const client = new LspClient({ root, refuse: ['client/registerCapability', 'window/workDoneProgress/create', 'workspace/configuration'] });
    try {
      await client.initialize();
      await client.factsReady();
      await client.open('Leak.java', LEAK, 'java');
      assert.equal((await client.diagnosticsFor('Leak.java', { version: 1 })).length, 2);
      const scan = await client.connection.sendRequest<{ files: number; findings: number }>('workspace/executeCommand', { command: 'closewait.server.scanWorkspace' });
      assert.deepEqual(scan, { files: 1, findings: 2, cancelled: false });
      await assertAnswering(client);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
