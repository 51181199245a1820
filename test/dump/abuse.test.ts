// Pastes built to break the analysis (issue 18): a 9 MB line that starts like a thread header, a deadlock cycle of
// 60,000 threads, two processes' rows on one port, a header cut mid-line, an input past the size limit. Each one is
// read to the end, with what could be read kept and what could not said.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDump } from '../../src/dump/index';
import { formatTextReport } from '../../src/cli/dump-report';
import { repoRoot } from './support';

const cli = join(repoRoot, 'dist', 'cli.js');

const JSTACK = [
  '2024-03-05 10:15:42',
  'Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode, sharing):',
  '',
  '"http-nio-8080-exec-1" #41 daemon prio=5 os_prio=0 cpu=12.5ms elapsed=100.1s tid=0x00007f2a10000001 nid=0x1001 waiting on condition  [0x00007f2a00001000]',
  '   java.lang.Thread.State: WAITING (parking)',
  '\tat jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)',
  '\tat java.util.concurrent.LinkedBlockingQueue.take(java.base@17.0.9/LinkedBlockingQueue.java:435)',
  '',
].join('\n');

/** A cycle: thread k holds lock k and waits for lock k+1 (the last waits for the first's). */
function deadlockCycle(threads: number): string {
  const out = ['Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode, sharing):', ''];
  const lock = (k: number): string => `0x0000000700${(k % threads).toString(16).padStart(6, '0')}`;
  for (let k = 0; k < threads; k++) {
    out.push(
      `"worker-${k}" #${k + 20} prio=5 os_prio=0 tid=0x00007f2a${k.toString(16).padStart(8, '0')} nid=0x${(k + 256).toString(16)} waiting for monitor entry  [0x00007f2a00001000]`,
      '   java.lang.Thread.State: BLOCKED (on object monitor)',
      '\tat com.example.Ledger.transfer(Ledger.java:42)',
      `\t- waiting to lock <${lock(k + 1)}> (a java.lang.Object)`,
      `\t- locked <${lock(k)}> (a java.lang.Object)`,
      '\tat com.example.Ledger.run(Ledger.java:20)',
      '',
    );
  }
  return out.join('\n');
}

describe('a 9 MB line that starts with a quote (issue 18, 11)', () => {
  const line = `"${'x'.repeat(9 * 1024 * 1024)}`;

  test('is read by a scan, not a backtracking regular expression: the dump pasted around it keeps its thread', () => {
    const report = analyzeDump([{ name: 'paste', text: `${JSTACK}${line}\n${JSTACK.split('\n').slice(3).join('\n')}` }]);
    assert.equal(report.threads.total, 2);
    assert.deepEqual(report.inputs[0].warnings, []);
    assert.equal(report.unparsed.total, 1);
  });

  test('with quotes inside, it is still one line not understood', () => {
    const quoted = `"a" ${'"b" '.repeat(2 * 1024 * 1024)}`;
    const report = analyzeDump([{ name: 'paste', text: `${JSTACK}${quoted}\n` }]);
    assert.equal(report.threads.total, 1);
    assert.equal(report.unparsed.total, 1);
  });
});

describe('a deadlock cycle of 60,000 threads (issue 18, 12)', () => {
  const report = analyzeDump([{ name: 'cycle.txt', text: deadlockCycle(60_000) }]);

  test('is found, and its summary names the first threads and counts the rest', () => {
    const deadlock = report.verdicts.find((v) => v.kind === 'java-deadlock');
    assert.ok(deadlock);
    assert.equal(deadlock.threads.length, 60_000);
    assert.equal(deadlock.title, 'Java deadlock between 60,000 threads');
    assert.ok(deadlock.summary.length < 5_000, `a readable summary, not ${deadlock.summary.length} characters`);
    assert.match(deadlock.summary, /"worker-0" waits for java\.lang\.Object <0x0000000700000001> held by "worker-1"; .*59,99\d more/);
    assert.ok(deadlock.evidence.lines.length <= 13);
  });

  test('the text report is printed: no recursion on its size', () => {
    const text = formatTextReport(report);
    assert.match(text, /1\. Java deadlock between 60,000 threads {2}\[java-deadlock, confidence 90%\]/);
  });
});

describe('sockets pasted twice and sockets of two processes (issue 18)', () => {
  const row = (pid: number, peer: number): string => `ESTAB      0      0      10.0.0.5:8080    10.0.0.9:${peer}   users:(("java",pid=${pid},fd=${peer - 40000}))`;
  const header = 'State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process';

  test('two processes with a row on the same port and peer are two sockets; the label and the report agree', () => {
    const listing = [header, row(100, 40001), row(200, 40001), row(100, 40002)].join('\n');
    const report = analyzeDump([{ name: 'ss.txt', text: listing }]);
    assert.equal(report.sockets.total, 3);
    assert.match(report.inputs[0].label, /3 sockets/);
  });

  test('the same row pasted twice (ss and netstat of one moment) is still one socket', () => {
    const netstat = 'tcp        0      0 10.0.0.5:8080           10.0.0.9:40001          ESTABLISHED 100/java';
    const report = analyzeDump([
      { name: 'ss.txt', text: [header, row(100, 40001)].join('\n') },
      { name: 'netstat.txt', text: ['Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name', netstat].join('\n') },
    ]);
    assert.equal(report.sockets.total, 1);
  });
});

describe('a thread header cut mid-line (issue 18)', () => {
  test('the thread is counted, and the input says its stack is cut short', () => {
    const cut = `${JSTACK}"http-nio-8080-exec-2" #42 daemon prio=5 os_prio=0 cpu=1.5ms elap`;
    const report = analyzeDump([{ name: 'cut.txt', text: cut }]);
    assert.equal(report.threads.total, 2);
    assert.ok(report.threads.items[1].truncated);
    assert.ok(report.inputs[0].warnings.includes("1 thread stack is cut short ('...' or a cut-off line)"), report.inputs[0].warnings.join('; '));
  });

  test('a complete last thread (a JVM thread with its state words) is not called cut', () => {
    const whole = `${JSTACK}"VM Periodic Task Thread" os_prio=0 cpu=10.5ms elapsed=100.2s tid=0x00007f2a10000099 nid=0x1099 waiting on condition\n`;
    const report = analyzeDump([{ name: 'whole.txt', text: whole }]);
    assert.deepEqual(report.inputs[0].warnings, []);
  });
});

describe('an input above the size limit', () => {
  test('closewait dump refuses it by its size, before reading it, with exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'closewait-huge-'));
    try {
      const huge = join(dir, 'huge.txt');
      // Sparse: 1.1 GiB of size, no disk and no memory.
      const fd = openSync(huge, 'w');
      writeFileSync(fd, JSTACK);
      closeSync(fd);
      spawnSync('truncate', ['-s', String(Math.round(1.1 * 1024 ** 3)), huge]);
      const run = spawnSync(process.execPath, [cli, 'dump', huge], { encoding: 'utf8' });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /closewait dump: cannot read .*huge\.txt: the input is 1,127 MiB, more than the 1,024 MiB \(1 GiB\) CloseWait analyses at once/);
      assert.equal(run.stdout, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('thread names that hold quotes', () => {
  test('a name of a quote and a space is read whole, up to the quote before #<number>', () => {
    const header = (name: string, n: number) =>
      `"${name}" #${n} [${4000 + n}] prio=5 os_prio=0 cpu=0.50ms elapsed=100.00s tid=0x00007f1c2c00${(4096 + n).toString(16)} nid=${4000 + n} waiting on condition  [0x00007f1bfa1fe000]\n   java.lang.Thread.State: WAITING (parking)\n\tat jdk.internal.misc.Unsafe.park(java.base@21.0.2/Native Method)\n`;
    const text = `Full thread dump OpenJDK 64-Bit Server VM (21.0.2+13-58 mixed mode, sharing):\n\n${header('" ', 30)}\n${header('say "hi": now', 31)}\n${header('plain', 32)}\n`;
    const names = analyzeDump([{ name: 'paste', text }]).threads.groups.flatMap((g) => g.names).sort();
    assert.deepEqual(names, ['" ', 'plain', 'say "hi": now']);
  });
});
