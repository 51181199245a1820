// The inspector client a Node.js capture talks through (our own WebSocket framing over net), against a real Node.js
// inspector: the handshake, answers of every frame length (7-bit, 16-bit and 64-bit lengths), exceptions, a target
// that goes away.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { inspectorTargets, InspectorSession } from '../../src/capture/inspector';

describe('the inspector client', () => {
  const target = spawn(process.execPath, ['--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let port = 0;

  before(async () => {
    let stderr = '';
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no inspector announced: ${stderr}`)), 15_000);
      target.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const m = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
  });
  after(() => {
    if (target.exitCode === null) target.kill('SIGKILL');
  });

  test('lists the target, evaluates in it: short, 16-bit and 64-bit frame lengths; exceptions say what was thrown', async () => {
    const urls = await inspectorTargets('127.0.0.1', port, 5_000);
    assert.equal(urls.length, 1);
    assert.match(urls[0], new RegExp(`^ws://127\\.0\\.0\\.1:${port}/[\\w-]+$`));
    const session = await InspectorSession.open(urls[0], 5_000);
    try {
      assert.equal(await session.evaluate('process.pid', 30_000), target.pid);
      // Deadlines generous enough for a machine under load: this checks the framing (a 2 MB answer arrives in many
      // TCP reads), not the speed.
      for (const length of [10, 1_000, 70_000, 1_000_000]) {
        const value = await session.evaluate(`'é'.repeat(${length})`, 60_000);
        assert.equal(typeof value === 'string' ? value.length : value, length, `a string of ${length} characters`);
      }
      assert.deepEqual(await session.evaluate('({ a: [1, "two"], b: null })', 30_000), { a: [1, 'two'], b: null });
      await assert.rejects(session.evaluate('null.boom', 30_000), /the expression threw: TypeError: Cannot read properties of null/);
      // Several requests in flight: each answer goes to its own request.
      const many = await Promise.all([1, 2, 3].map((n) => session.evaluate(`${n} * 7`, 30_000)));
      assert.deepEqual(many, [7, 14, 21]);
    } finally {
      session.close();
    }
  });

  test('nothing answering like an inspector: no targets; a session whose target dies rejects at once', async () => {
    assert.deepEqual(await inspectorTargets('127.0.0.1', 1, 2_000), []);
    const [url] = await inspectorTargets('127.0.0.1', port, 5_000);
    const session = await InspectorSession.open(url, 5_000);
    const pending = session.evaluate('for (;;) {}', 60_000);
    target.kill('SIGKILL');
    const started = Date.now();
    // A close or a reset, depending on how fast the kernel tears the connection down.
    await assert.rejects(pending, /the WebSocket connection (?:closed|was lost)|closed the WebSocket connection/);
    assert.ok(Date.now() - started < 10_000);
  });
});
