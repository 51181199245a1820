// The panel <-> host protocol: both sides act only on messages their guard accepts, so anything malformed, of
// another version (extra keys) or unknown is ignored. These are the guards the extension host runs on what the
// webview posts, and the panel on what the host posts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isHostToPanel, isPanelToHost, routeMessage, type PanelToHost } from '../../src/panel/protocol';

const openFrame = { type: 'openFrame', class: 'net.daum.crystal.core.execute.SearchManager', method: 'search', file: 'SearchManager.java', line: 104 };

describe('panel -> host', () => {
  test('accepts each message type in its exact shape', () => {
    const valid: PanelToHost[] = [
      { type: 'ready' },
      openFrame as PanelToHost,
      { ...openFrame, file: null, line: null } as PanelToHost,
      { ...openFrame, class: 'Foo', file: 'Foo.kt' } as PanelToHost,
      { type: 'copyMarkdown', markdown: '# Thread dump and socket analysis\n' },
      { type: 'exportJson', json: '{\n  "threads": {}\n}\n' },
      { type: 'readDroppedUris', slot: 'sockets', uris: ['file:///var/log/netstat.txt', 'vscode-remote://ssh-remote%2Bbox/tmp/jstack.txt'] },
      { type: 'log', level: 'error', text: 'the analysis failed' },
    ];
    for (const message of valid) assert.ok(isPanelToHost(message), JSON.stringify(message));
  });

  test('rejects malformed, extended and unknown messages', () => {
    const invalid: unknown[] = [
      null,
      'ready',
      [],
      { type: 'ready', extra: 1 },
      { type: 'openFile', path: '/etc/passwd' },
      { ...openFrame, line: 0 },
      { ...openFrame, line: 10.5 },
      { ...openFrame, line: '104' },
      { ...openFrame, file: '../../etc/passwd' },
      { ...openFrame, file: 'C:\\src\\Y.java' },
      { ...openFrame, file: '**/*.java' },
      { ...openFrame, file: '{a,b}.java' },
      { ...openFrame, file: '..' },
      { ...openFrame, class: '' },
      { ...openFrame, class: 'com.x.Y method' },
      { ...openFrame, class: 'x'.repeat(1001) },
      { ...openFrame, method: 7 },
      { ...openFrame, extra: true },
      { type: 'openFrame', class: openFrame.class, method: 'search', file: 'SearchManager.java' },
      { type: 'copyMarkdown', markdown: 42 },
      { type: 'exportJson', json: '<html>' },
      { type: 'exportJson', json: '[1,2]' },
      { type: 'readDroppedUris', slot: 'sockets', uris: [] },
      { type: 'readDroppedUris', slot: 'sockets', uris: ['not a uri'] },
      { type: 'readDroppedUris', slot: 'elsewhere', uris: ['file:///a'] },
      { type: 'readDroppedUris', slot: 'threads', uris: Array.from({ length: 9 }, (_, k) => `file:///f${k}`) },
      { type: 'log', level: 'debug', text: 'x' },
    ];
    for (const message of invalid) assert.equal(isPanelToHost(message), false, JSON.stringify(message)?.slice(0, 120));
  });
});

describe('host -> panel', () => {
  test('accepts setInput, setInputBytes and notice; rejects the rest', () => {
    assert.ok(isHostToPanel({ type: 'setInput', slot: 'threads', name: 'jstack.txt', text: '"main" #1' }));
    assert.ok(isHostToPanel({ type: 'setInputBytes', slot: 'sockets', name: 'netstat.txt', bytes: new Uint8Array([116, 99, 112]) }));
    assert.ok(isHostToPanel({ type: 'notice', level: 'warning', text: 'SearchManager.java is not in this workspace' }));
    for (const message of [
      { type: 'setInput', slot: 'threads', name: 'x', text: 5 },
      { type: 'setInput', slot: 'both', name: 'x', text: '' },
      { type: 'setInputBytes', slot: 'threads', name: 'x', bytes: [1, 2, 3] },
      { type: 'notice', level: 'info', text: 'x', html: '<b>x</b>' },
      { type: 'notice', level: 'loud', text: 'x' },
      { type: 'eval', code: 'alert(1)' },
      undefined,
    ]) {
      assert.equal(isHostToPanel(message), false, JSON.stringify(message));
    }
  });
});

test('routeMessage runs the handler of a valid message only', async () => {
  const calls: string[] = [];
  const handlers = {
    ready: () => void calls.push('ready'),
    openFrame: (m: { line: number | null }) => void calls.push(`openFrame ${m.line}`),
    copyMarkdown: () => void calls.push('copy'),
    exportJson: () => void calls.push('export'),
    readDroppedUris: () => void calls.push('drop'),
    log: () => void calls.push('log'),
  };
  assert.equal(await routeMessage(openFrame, isPanelToHost, handlers), true);
  assert.equal(await routeMessage({ type: 'ready' }, isPanelToHost, handlers), true);
  assert.equal(await routeMessage({ type: 'openFrame', class: 'x' }, isPanelToHost, handlers), false);
  assert.equal(await routeMessage({ type: 'toString' }, isPanelToHost, handlers), false);
  assert.equal(await routeMessage({ type: 'constructor' }, isPanelToHost, handlers), false);
  assert.deepEqual(calls, ['openFrame 104', 'ready']);
});
