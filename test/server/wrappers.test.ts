// The language server judges calls of a project's HTTP wrappers and resource factories through workspace facts: a
// caller's finding appears and disappears as the wrapper's file (closed, in another file) changes on disk.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { loadAllLanguages } from '../../src/analysis';
import { repoRoot } from '../helpers';
import { lineOf, LspClient, messageOf } from './lsp-client';

const WRAPPER = 'src/main/java/com/acme/net/Http.java';
const CALLER = 'src/main/java/com/acme/app/Downloads.java';

before(loadAllLanguages);

/** A language server on a copy of a fixture workspace (a Maven project), its facts read. */
async function serverOn(fixture: string): Promise<{ root: string; client: LspClient }> {
  const root = mkdtempSync(join(tmpdir(), 'closewait-lsp-facts-'));
  cpSync(join(repoRoot, fixture), root, { recursive: true });
  writeFileSync(join(root, 'pom.xml'), '<project><artifactId>acme</artifactId></project>\n');
  const client = new LspClient({ root });
  await client.initialize();
  await client.factsReady();
  return { root, client };
}

/** Writes a closed file of the workspace and tells the server, as the editor's file watcher would. */
async function changeOnDisk(client: LspClient, root: string, path: string, text: string): Promise<void> {
  writeFileSync(join(root, path), text);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(path), type: 2 }] });
}

describe('language server: project wrappers as workspace facts', () => {
  let root: string;
  let client: LspClient;

  before(async () => {
    ({ root, client } = await serverOn('test/fixtures/missing-timeout/java-workspace'));
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test("a caller's finding follows the wrapper's file: gone once the wrapper sets a read timeout, back when it drops it", async () => {
    const caller = readFileSync(join(root, CALLER), 'utf8');
    const line = lineOf(caller, 'URLConnection con = Http.open(url, Proxy.NO_PROXY); // expect');
    const atLine = (d: Diagnostic[]) => d.filter((x) => x.code === 'missing-timeout' && x.range.start.line === line);
    await client.open(CALLER, caller, 'java');
    const before = atLine(await client.diagnosticsFor(CALLER, { accept: (d) => atLine(d).length > 0 }));
    assert.match(messageOf(before[0]), /^Http\.open \(src\/main\/java\/com\/acme\/net\/Http\.java:\d+\) sets no read timeout/);

    const wrapper = readFileSync(join(root, WRAPPER), 'utf8');
    const bounded = wrapper.replace('con.setConnectTimeout(CONNECT_MS);\n        return con;', 'con.setConnectTimeout(CONNECT_MS);\n        con.setReadTimeout(10_000);\n        return con;');
    assert.notEqual(bounded, wrapper, 'the wrapper fixture changed shape');
    await changeOnDisk(client, root, WRAPPER, bounded);
    const after = await client.diagnosticsFor(CALLER, { accept: (d) => atLine(d).length === 0 });
    // Only the finding that depended on the wrapper went: the caller's other findings stay.
    assert.ok(after.some((d) => d.code === 'missing-timeout'), 'the other wrapper calls are still reported');

    await changeOnDisk(client, root, WRAPPER, wrapper);
    await client.diagnosticsFor(CALLER, { accept: (d) => atLine(d).length === 1 });
  });
});

describe('language server: project resource factories as workspace facts', () => {
  const FACTORY = 'src/main/java/com/acme/http/HttpUtils.java';
  const USER = 'src/main/java/com/acme/app/Sandbox.java';
  let root: string;
  let client: LspClient;

  before(async () => {
    ({ root, client } = await serverOn('test/fixtures/unclosed-resource/java-workspace'));
  });

  after(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test("a caller's leak follows the factory's file: gone once the factory may hand back a kept socket, back when it does not", async () => {
    const user = readFileSync(join(root, USER), 'utf8');
    const line = lineOf(user, 'Socket socket = HttpUtils.connectTo(host, 7000); // expect');
    const atLine = (d: Diagnostic[]) => d.filter((x) => x.code === 'unclosed-resource' && x.range.start.line === line);
    await client.open(USER, user, 'java');
    const before = atLine(await client.diagnosticsFor(USER, { accept: (d) => atLine(d).length > 0 }));
    assert.match(messageOf(before[0]), /^Socket returned by HttpUtils\.connectTo\(\) is never closed/);

    const factory = readFileSync(join(root, FACTORY), 'utf8');
    const shared = factory.replace('Socket socket = new Socket(); // ok: returned to the caller', 'if (port == 0) {\n            return SHARED;\n        }\n        Socket socket = new Socket(); // ok: returned to the caller').replace('private Response last;', 'private Response last;\n    private static final Socket SHARED = new Socket();');
    assert.notEqual(shared, factory, 'the factory fixture changed shape');
    await changeOnDisk(client, root, FACTORY, shared);
    const after = await client.diagnosticsFor(USER, { accept: (d) => atLine(d).length === 0 });
    assert.ok(after.some((d) => d.code === 'unclosed-resource'), 'the response of requestCall is still reported');

    await changeOnDisk(client, root, FACTORY, factory);
    await client.diagnosticsFor(USER, { accept: (d) => atLine(d).length === 1 });
  });
});
