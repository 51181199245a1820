// The language server under random but well-formed LSP traffic: every method it handles, with odd values where a
// careful editor would send ordinary ones (URIs that are no local path, reversed and out-of-range positions, stale
// versions, NUL bytes and lone surrogates, malformed settings and globs, diagnostics it never published, unknown
// commands), params missing altogether, and a client that now and then refuses the server's own requests. After
// every sequence the process must be up and answering, nothing may slip past the handlers, and at the end it must
// still find a leak where there is one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { LspClient, startServer, type StartedServer } from './lsp-client';

const LEAK = 'class Leak {\n  void send() throws Exception {\n    java.net.Socket s = new java.net.Socket("h", 1);\n    s.getInputStream().read();\n  }\n}\n';
const TS_LEAK = "import net from 'node:net';\nexport function f() {\n  const s = net.connect(80, 'localhost');\n  s.write('x');\n}\n";
const REFUSABLE = ['client/registerCapability', 'window/workDoneProgress/create', 'workspace/configuration'];

/** One message to the server: a notification or a request (whose answer may be an error, but must come). */
type Message = { readonly kind: 'notify' | 'request'; readonly method: string; readonly params: unknown };

function arbitraries(uriOf: (path: string) => string) {
  const uri = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(uriOf('A.java'), uriOf('b.ts'), uriOf('c.tsx'), uriOf('d.js'), uriOf('application.properties')) },
    { weight: 2, arbitrary: fc.constantFrom('file://fileserver/share/E.java', 'file:///a%2Fb/F.java', 'file:///c/%E0%A4%A/G.java', 'untitled:Untitled-1', 'file:', '', 'file:///', 'http://example.com/h.ts', 'file:///tmp/../../etc/i.java') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `file:///odd/${encodeURIComponent(s)}.java`) },
  );
  const number = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.constantFrom(2 ** 31 - 1, Number.MAX_SAFE_INTEGER, 1.5));
  const position = fc.record({ line: number, character: number });
  const range = fc.record({ start: position, end: position });
  const text = fc.oneof(
    fc.constantFrom(LEAK, TS_LEAK, LEAK.replace(/\n/g, '\r'), `${LEAK}\0`, '\uD800 lone surrogate', '', 'x'.repeat(300 * 1024), `class Big {\n${'  void f() { new java.net.Socket("h", 1); }\n'.repeat(8_000)}}\n`),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  const change = fc.oneof(fc.record({ range, text }), fc.record({ text }), fc.record({ range, rangeLength: number, text }));
  const textDocument = fc.record({ uri, languageId: fc.constantFrom('java', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'plaintext', '', 'JAVA'), version: number, text });
  const settings = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record({
      closewait: fc.record({
        rules: fc.dictionary(fc.constantFrom('unclosed-resource', 'missing-timeout', 'unbounded-wait', 'self-call', 'no-such-rule'), fc.record({ severity: fc.oneof(fc.constantFrom('off', 'info', 'warning', 'error', 'default', 'loud'), fc.jsonValue({ maxDepth: 1 })) })),
        exclude: fc.array(fc.oneof(fc.constantFrom('[', '**/{', '\\', '**', '*.java', '{a,b', '(?', '**/**/**/**/x'), fc.string({ maxLength: 8 })), { maxLength: 3 }),
        selfCall: fc.record({ extraHosts: fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })), { maxLength: 3 }) }),
      }),
    }),
  );
  const diagnostic = fc.record({
    range,
    source: fc.constantFrom('closewait', 'other'),
    message: fc.string({ maxLength: 20 }),
    code: fc.oneof(fc.constantFrom('unclosed-resource', 'missing-timeout', 'unbounded-wait', 'self-call', 'nope'), fc.integer()),
    data: fc.oneof(fc.constant(undefined), fc.record({ rule: fc.constantFrom('unclosed-resource', 'missing-timeout', 'nope'), fingerprint: fc.string({ maxLength: 20 }), resource: fc.string({ maxLength: 10 }) }), fc.jsonValue({ maxDepth: 2 })),
  });
  const message: fc.Arbitrary<Message> = fc.oneof(
    { weight: 4, arbitrary: textDocument.map((doc) => ({ kind: 'notify' as const, method: 'textDocument/didOpen', params: { textDocument: doc } })) },
    {
      weight: 6,
      arbitrary: fc.record({ uri, version: number, changes: fc.array(change, { maxLength: 4 }) }).map(({ uri, version, changes }) => ({
        kind: 'notify' as const,
        method: 'textDocument/didChange',
        params: { textDocument: { uri, version }, contentChanges: changes },
      })),
    },
    { weight: 2, arbitrary: uri.map((u) => ({ kind: 'notify' as const, method: 'textDocument/didClose', params: { textDocument: { uri: u } } })) },
    { weight: 2, arbitrary: settings.map((s) => ({ kind: 'notify' as const, method: 'workspace/didChangeConfiguration', params: { settings: s } })) },
    {
      weight: 2,
      arbitrary: fc.array(fc.record({ uri, type: fc.integer({ min: -1, max: 5 }) }), { maxLength: 4 }).map((changes) => ({ kind: 'notify' as const, method: 'workspace/didChangeWatchedFiles', params: { changes } })),
    },
    { weight: 3, arbitrary: fc.record({ uri, position }).map(({ uri, position }) => ({ kind: 'request' as const, method: 'textDocument/hover', params: { textDocument: { uri }, position } })) },
    {
      weight: 3,
      arbitrary: fc.record({ uri, range, diagnostics: fc.array(diagnostic, { maxLength: 3 }) }).map(({ uri, range, diagnostics }) => ({
        kind: 'request' as const,
        method: 'textDocument/codeAction',
        params: { textDocument: { uri }, range, context: { diagnostics } },
      })),
    },
    {
      weight: 1,
      arbitrary: fc.record({ command: fc.constantFrom('closewait.server.scanWorkspace', 'closewait.nope', ''), arguments: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }) }).map((params) => ({ kind: 'request' as const, method: 'workspace/executeCommand', params })),
    },
    { weight: 1, arbitrary: fc.record({ id: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })) }).map((params) => ({ kind: 'notify' as const, method: '$/cancelRequest', params })) },
    { weight: 1, arbitrary: fc.record({ token: fc.oneof(fc.integer(), fc.string({ maxLength: 4 })) }).map((params) => ({ kind: 'notify' as const, method: 'window/workDoneProgress/cancel', params })) },
    // Params missing or of the wrong shape altogether.
    {
      weight: 2,
      arbitrary: fc
        .record({
          method: fc.constantFrom('textDocument/didOpen', 'textDocument/didChange', 'textDocument/didClose', 'workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles', 'textDocument/hover', 'textDocument/codeAction', 'workspace/executeCommand'),
          params: fc.oneof(fc.constant(null), fc.constant({}), fc.jsonValue({ maxDepth: 2 })),
        })
        .map(({ method, params }) => ({ kind: method.startsWith('textDocument/hover') || method.endsWith('codeAction') || method.endsWith('executeCommand') ? ('request' as const) : ('notify' as const), method, params })),
    },
  );
  return { message, refusals: fc.subarray(REFUSABLE) };
}

/** Sends a request and waits for its answer, whatever it is; fails only if none comes or the server exits. */
async function answered(client: LspClient, method: string, params: unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    client.connection.sendRequest(method, params).then(
      () => 'answered',
      () => 'answered',
    ),
    client.exited.then(() => 'exited'),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve('no answer within 60 s'), 60_000))),
  ]);
  clearTimeout(timer);
  assert.equal(outcome, 'answered', `${method} ${JSON.stringify(params)?.slice(0, 300)}\n${client.logs.slice(-20).join('\n')}`);
}

/** fc.assert, with the counterexample cut short: its documents run to hundreds of kilobytes. */
async function check<T>(property: fc.IAsyncPropertyWithHooks<T>, parameters: fc.Parameters<T>): Promise<void> {
  const details = await fc.check(property, parameters);
  if (!details.failed) return;
  const shorten = (_: string, value: unknown) => (typeof value === 'string' && value.length > 120 ? `${value.slice(0, 120)}… (${value.length} characters)` : value);
  throw new Error(`failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath}): ${String(details.errorInstance)}\ncounterexample: ${JSON.stringify(details.counterexample, shorten)}`);
}

async function assertUpAndAnswering(client: LspClient): Promise<void> {
  await answered(client, 'textDocument/hover', { textDocument: { uri: client.uri('Nothing.java') }, position: { line: 0, character: 0 } });
  assert.equal(client.exit, undefined, `the server exited: ${JSON.stringify(client.exit)}`);
  const slipped = client.logs.filter((l) => /unexpected failure|failed with message|Unhandled/i.test(l));
  assert.deepEqual(slipped, [], 'every failure is handled where it happens');
}

describe('language server: protocol fuzz', () => {
  let server: StartedServer;
  let client: LspClient;

  before(async () => {
    server = await startServer('fuzz', { files: { 'Closed.java': LEAK, 'application.properties': 'server.port=8080\n' } });
    client = server.client;
  });

  after(() => server.stop());

  test('random sequences of odd messages to every method, with refused requests: the server stays up and answers', async () => {
    const { message, refusals } = arbitraries((path) => client.uri(path));
    let sent = 0;
    await check(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 25 }), refusals, async (messages, refused) => {
        client.refusing.clear();
        for (const method of refused) client.refusing.add(method);
        const requests: Promise<void>[] = [];
        for (const m of messages) {
          if (m.kind === 'notify') await client.connection.sendNotification(m.method, m.params);
          else requests.push(answered(client, m.method, m.params));
          sent++;
        }
        await Promise.all(requests);
        await assertUpAndAnswering(client);
      }),
      { seed: 0x0c105e, numRuns: 40, endOnFailure: true },
    );
    assert.ok(sent > 200, `${sent} messages sent`);

    // And it still does its job: settings back to normal, a leak gets its diagnostics.
    client.refusing.clear();
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.open('Final.java', LEAK, 'java');
    const diagnostics = await client.diagnosticsFor('Final.java', { version: 1, accept: (d) => d.length === 2 });
    assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['missing-timeout', 'unclosed-resource']);
  });
});

describe('language server: odd initialize params', () => {
  test('odd roots, folders, capabilities and options: initialize answers and the server works', async () => {
    const root = mkdtempSync(join(tmpdir(), 'closewait-lsp-init-'));
    const folder = fc.oneof(fc.constantFrom('file://fileserver/share', 'file:///a%2Fb', 'untitled:x', '', 'file:///does/not/exist'), fc.constant(`file://${root}`));
    const params = fc.record({
      processId: fc.oneof(fc.constant(null), fc.integer()),
      rootUri: fc.oneof(fc.constant(null), folder),
      workspaceFolders: fc.oneof(
        fc.constant(null),
        fc.constant(undefined),
        fc.array(fc.oneof(fc.record({ uri: folder, name: fc.string({ maxLength: 5 }) }), fc.constant(null), fc.record({ uri: fc.integer() })), { maxLength: 3 }),
      ),
      // (Capabilities themselves must be there: vscode-languageserver reads them before the server sees the request.)
      capabilities: fc.oneof(fc.constant({}), fc.record({ workspace: fc.record({ configuration: fc.boolean(), didChangeWatchedFiles: fc.record({ dynamicRegistration: fc.boolean() }) }), window: fc.record({ workDoneProgress: fc.boolean() }) })),
      initializationOptions: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.record({ settings: fc.jsonValue({ maxDepth: 3 }) })),
    });
    try {
      for (const sample of fc.sample(params, { seed: 0x0c105e, numRuns: 12 })) {
        const client = new LspClient({ root, refuse: fc.sample(fc.subarray(REFUSABLE), { seed: sample.processId ?? 1, numRuns: 1 })[0] });
        try {
          const init = await client.connection.sendRequest<{ serverInfo?: { name: string } }>('initialize', sample);
          assert.equal(init.serverInfo?.name, 'closewait', JSON.stringify(sample));
          await client.connection.sendNotification('initialized', {});
          await client.open('Leak.java', LEAK, 'java');
          const diagnostics = await client.diagnosticsFor('Leak.java', { version: 1 });
          assert.ok(diagnostics.length === 2 || sample.initializationOptions !== undefined, JSON.stringify(sample));
          await assertUpAndAnswering(client);
        } finally {
          await client.stop();
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
