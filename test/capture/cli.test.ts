// `closewait capture` refusing what it cannot capture, as a user meets it (the built CLI): usage errors, a pid that
// is gone or is no JVM or Node.js process, a name that matches nothing or several processes. Exit 2 with a message
// that says what to do; nothing is written. (Captures that work are in test/live/capture.test.ts.)
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, tempTree } from '../helpers';

const started: ChildProcess[] = [];

function idle(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore' });
  started.push(child);
  return child;
}

after(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('closewait capture: usage', () => {
  test('--help prints the usage with the targets and the exit codes; exit 0', () => {
    const run = runCli(['capture', '--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: closewait capture <target>/);
    assert.match(run.stdout, /docker:<container>/);
    assert.match(run.stdout, /k8s:<pod>\[\/<container>\]/);
    assert.match(run.stdout, /Exit codes: 0 every capture was taken .* 3 some part is missing/s);
  });

  for (const [args, message] of [
    [[], /no target: name a pid, a process name, docker:<container> or k8s:<pod>/],
    [['1', '2'], /one target at a time, not '1' and '2'/],
    [['1', '--dumps', '0'], /--dumps must be a number from 1 to 100, not '0'/],
    [['1', '--dumps=101'], /--dumps must be a number from 1 to 100/],
    [['1', '--interval', 'soon'], /--interval must be a duration such as 5s, 500ms or 1m, not 'soon'/],
    [['1', '--timeout', '10ms'], /--timeout must be a duration .* \(at least 1s\)/],
    [['1', '--format', 'sarif'], /--format must be text or json, not 'sarif'/],
    [['1', '--out'], /--out needs a folder/],
    [['1', '--verbose'], /unknown option '--verbose'/],
    [['4711', '-n', 'prod'], /-n and --context apply to k8s:<pod> targets only/],
    [['k8s:Bad_Pod'], /'Bad_Pod' is not <pod> or <pod>\/<container>/],
  ] as const) {
    test(`${args.join(' ') || '(nothing)'}: exit 2`, () => {
      const run = runCli(['capture', ...args]);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }
});

describe('closewait capture: targets it cannot capture', () => {
  test('a pid no process has', async () => {
    const gone = idle(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const run = runCli(['capture', String(gone.pid)]);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, `closewait capture: no process ${gone.pid} on this machine\n`);
  });

  test('a pid that is neither a JVM nor Node.js', () => {
    const sleeper = idle('sleep', ['60']);
    const run = runCli(['capture', String(sleeper.pid)]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`pid ${sleeper.pid} \\(sleep\\) is neither a JVM nor a Node\\.js process`));
  });

  test('a name that matches no process, and one that matches two: each names what runs, nothing is written', async () => {
    const marker = `closewait-capture-cli-${process.pid}-${Date.now()}`;
    const { dir, cleanup } = tempTree({});
    try {
      const none = runCli(['capture', marker], { cwd: dir });
      assert.equal(none.status, 2);
      assert.match(none.stderr, new RegExp(`no JVM or Node\\.js process matches '${marker}'`));

      const a = idle(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker]);
      const b = idle(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker]);
      await waitFor(() => [a, b].every((c) => existsSync(`/proc/${c.pid}/cmdline`)));
      const two = runCli(['capture', marker], { cwd: dir });
      assert.equal(two.status, 2);
      assert.match(two.stderr, new RegExp(`2 processes match '${marker}': name one by its pid`));
      for (const child of [a, b]) assert.match(two.stderr, new RegExp(`\\n {2}pid ${child.pid} node \\(Node\\.js \\[eval\\]`));
      assert.doesNotMatch(two.stderr, new RegExp(`pid ${process.pid}\\b`), 'never the capture itself or the test running it');
      assert.deepEqual(readdirSync(dir), [], 'nothing written');
      assert.ok(!existsSync(join(dir, '.closewait')));
    } finally {
      cleanup();
    }
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}
