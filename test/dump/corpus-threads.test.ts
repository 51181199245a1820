// Every thread dump of ../shared/corpus/threaddumps, with facts read from the files themselves (grep for headers,
// `java.lang.Thread.State:` lines and the state words of headers without one). Threads that print no state line
// (GC, compiler and VM threads) take their state from the header: `runnable` is RUNNABLE, `waiting on condition`
// is WAITING.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DumpReport, ThreadJson } from '../../src/dump/index';
import { FrameTable } from '../../src/dump/threads/frame';
import { parseInput } from '../../src/dump/parse';
import { analyzeFiles, corpus, readInput } from './support';

function analyze(name: string): DumpReport {
  return analyzeFiles([corpus(`threaddumps/${name}`)]);
}

function thread(report: DumpReport, name: string, dump = 0): ThreadJson {
  const found = report.threads.items.find((t) => t.name === name && t.dump === dump);
  assert.ok(found, `thread "${name}" in dump ${dump}`);
  return found;
}

function groupOf(report: DumpReport, t: ThreadJson) {
  const group = report.threads.groups.find((g) => g.id === t.group);
  assert.ok(group, `group of ${t.name}`);
  return group;
}

describe('tda__java8dump.log (OpenJDK 25.91-b14, JDK 8)', () => {
  const report = analyze('tda__java8dump.log');

  test('21 threads: 15 with a state line (7 RUNNABLE, 2 TIMED_WAITING, 6 WAITING) and 6 VM threads (5 runnable, 1 waiting on condition)', () => {
    assert.equal(report.threads.total, 21);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 12, TIMED_WAITING: 2, WAITING: 7 });
    assert.equal(report.inputs[0].label, 'jstack, JDK 8, 21 threads');
    assert.equal(report.dumps[0].timestamp, '2016-07-12 14:02:38');
    assert.equal(report.unparsed.total, 0);
  });

  test('the shell prompt pasted into a lock line does not hide the lock', () => {
    // `- waiting on <0x00000000d7338608> irockel@spunky:~/Entwicklung/tda/tda-git/tda/dist$ (a java.lang.ref.ReferenceQueue$Lock)`
    const parsed = parseInput(readInput(corpus('threaddumps/tda__java8dump.log')), 0, 'java8', new FrameTable());
    const disposer = parsed.dumps[0].threads.find((t) => t.name === 'Java2D Disposer');
    assert.ok(disposer);
    assert.deepEqual(
      disposer.locks.map((l) => [l.kind, l.address, l.className]),
      [
        ['waiting-on', '0x00000000d7338608', 'java.lang.ref.ReferenceQueue$Lock'],
        ['locked', '0x00000000d7338608', 'java.lang.ref.ReferenceQueue$Lock'],
      ],
    );
  });

  test('the TDA class is application code, its frame a link target', () => {
    const group = groupOf(report, thread(report, 'Thread-2'));
    assert.deepEqual(group.appFrame && [group.appFrame.class, group.appFrame.method, group.appFrame.file, group.appFrame.line], [
      'com.pironet.tda.utils.MemoryStatusUpdater',
      'run',
      'StatusBar.java',
      124,
    ]);
    assert.equal(thread(report, 'Thread-2').activity, 'sleeping');
  });

  test('no verdict for an idle desktop application', () => {
    assert.deepEqual(report.verdicts, []);
  });
});

describe('tda__java11dump.log (OpenJDK 11.0.6, cpu= and elapsed=)', () => {
  const report = analyze('tda__java11dump.log');

  test('14 threads: main and Reference Handler with state lines, 12 JVM threads without', () => {
    assert.equal(report.threads.total, 14);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 13, WAITING: 1 });
    assert.equal(report.dumps[0].jdk, 11);
  });

  test('frames drop the module from the location; Tomcat main waits in accept', () => {
    const main = thread(report, 'main');
    assert.equal(main.activity, 'socket-accept');
    const top = groupOf(report, main).frames[0];
    assert.deepEqual([top.class, top.method, top.file, top.line], ['java.net.PlainSocketImpl', 'socketAccept', null, null]);
    assert.equal(groupOf(report, main).frames[4].text, 'org.apache.catalina.core.StandardServer.await(StandardServer.java:466)');
  });

  test('ParGC Thread#0..#9 form one pool of 10', () => {
    const pool = report.threads.pools.find((p) => p.name === 'ParGC Thread');
    assert.equal(pool?.size, 10);
  });
});

describe('tda__jstack_dump.log (JDK 21.0.9 on macOS, decimal nid, SMR info)', () => {
  const report = analyze('tda__jstack_dump.log');

  test('28 threads; the SMR block is understood, not reported as unparsed', () => {
    assert.equal(report.threads.total, 28);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 25, TIMED_WAITING: 1, WAITING: 2 });
    assert.equal(report.unparsed.total, 0);
    assert.equal(report.inputs[0].label, 'jstack, JDK 21, 28 threads');
  });

  test('JDK 19+ headers: `#9 [30467]`, nid in decimal', () => {
    const handler = thread(report, 'Reference Handler');
    assert.equal(handler.number, 9);
    assert.equal(handler.nid, '30467');
    assert.equal(handler.daemon, true);
    assert.equal(thread(report, 'JPS event loop').activity, 'selector');
  });
});

describe('tda__visualvmremote.log (VisualVM `"x" - Thread t@N`, CRLF)', () => {
  const report = analyze('tda__visualvmremote.log');

  test('119 threads although no header has prio=, tid= or nid=', () => {
    assert.equal(report.threads.total, 119);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 25, TIMED_WAITING: 24, WAITING: 70 });
    assert.equal(report.dumps[0].format, 'visualvm');
    assert.equal(report.inputs[0].label, 'VisualVM, JDK 6, 119 threads');
    assert.equal(report.unparsed.total, 0);
  });

  test('t@N is the thread number; CRLF leaves no carriage return in names or states', () => {
    const timer = thread(report, 'Timer-180');
    assert.equal(timer.number, 332);
    assert.equal(timer.state, 'TIMED_WAITING');
    assert.ok(report.threads.items.every((t) => !t.name.includes('\r')));
  });

  test('GlassFish worker pools of 20, with the port from their names', () => {
    const pools = Object.fromEntries(report.threads.pools.map((p) => [p.name, [p.size, p.port]]));
    assert.deepEqual(pools['httpSSLWorkerThread-8080'], [20, 8080]);
    assert.deepEqual(pools['httpSSLWorkerThread-8181'], [20, 8181]);
    assert.deepEqual(pools['httpWorkerThread-4848'], [20, 4848]);
  });

  test('RMI connection threads read from their clients: server-side reads, not a slow peer', () => {
    assert.equal(thread(report, 'RMI TCP Connection(24)-192.18.126.254').activity, 'socket-read');
    assert.deepEqual(report.verdicts, []);
  });
});

describe('tda__intellij_dump.json (jcmd Thread.dump_to_file -format=json, JDK 21.0.10)', () => {
  const report = analyze('tda__intellij_dump.json');

  test('8 threads of the <root> container; the three empty executor containers add none', () => {
    assert.equal(report.threads.total, 8);
    assert.deepEqual(
      report.threads.items.map((t) => t.name),
      ['Reference Handler', 'Finalizer', 'Signal Dispatcher', 'Notification Thread', 'Common-Cleaner', 'JPS event loop', 'DestroyJavaVM', 'Attach Listener'],
    );
    assert.equal(report.dumps[0].pid, 3862);
    assert.equal(report.dumps[0].jdk, 21);
    assert.equal(report.dumps[0].timestamp, '2026-01-25T15:46:04.439828Z');
  });

  test('JDK 21 JSON has no thread states: they are UNKNOWN, not guessed', () => {
    assert.deepEqual(report.threads.byState, { UNKNOWN: 8 });
  });

  test('stack strings lose the `java.base/` module prefix', () => {
    const loop = groupOf(report, thread(report, 'JPS event loop'));
    assert.equal(loop.frames.length, 11);
    assert.deepEqual([loop.frames[0].class, loop.frames[0].method], ['sun.nio.ch.KQueue', 'poll']);
    assert.deepEqual([loop.frames[4].class, loop.frames[4].file, loop.frames[4].line], ['io.netty.channel.nio.NioIoHandler', 'NioIoHandler.java', 646]);
    assert.equal(groupOf(report, thread(report, 'Signal Dispatcher')).frames.length, 0);
  });
});

describe('tda-old__sapdump.log (SAP JVM log: 2 dumps, 776 threads, mixed CR/LF/CRLF)', () => {
  const report = analyze('tda-old__sapdump.log');

  test('two dumps of 388 threads, kept apart with their timestamps', () => {
    assert.equal(report.threads.total, 776);
    assert.deepEqual(
      report.dumps.map((d) => [d.threads, d.timestamp, d.format, d.jdk]),
      [
        [388, 'Mon Feb  4 16:45:56 2008', 'sap', 5],
        [388, 'Mon Feb  4 16:49:14 2008', 'sap', 5],
      ],
    );
    assert.equal(report.inputs[0].label, 'SAP JVM, JDK 5, 2 dumps, 776 threads');
  });

  test('states per dump: state lines plus 10 runnable and 1 waiting-on-condition VM threads each', () => {
    const byState = (dump: number) => {
      const counts: Record<string, number> = {};
      for (const t of report.threads.items.filter((i) => i.dump === dump)) counts[t.state] = (counts[t.state] ?? 0) + 1;
      return counts;
    };
    assert.deepEqual(byState(0), { BLOCKED: 11, RUNNABLE: 70, TIMED_WAITING: 100, WAITING: 207 });
    assert.deepEqual(byState(1), { BLOCKED: 15, RUNNABLE: 65, TIMED_WAITING: 101, WAITING: 207 });
  });

  test('the same thread is followed across both dumps by its key', () => {
    const main = report.threads.items.filter((t) => t.name === 'main');
    assert.deepEqual(main.map((t) => [t.dump, t.key]), [
      [0, 'main#0x4f35'],
      [1, 'main#0x4f35'],
    ]);
  });

  test('SAP frames carry JVM method descriptors: `read([BII)I(Buffer.java:95)`', () => {
    const parsed = parseInput(readInput(corpus('threaddumps/tda-old__sapdump.log')), 0, 'sap', new FrameTable());
    const telnet = parsed.dumps[0].threads.find((t) => t.name === 'Thread-1533');
    assert.ok(telnet);
    assert.deepEqual([telnet.frames[0].class, telnet.frames[0].method, telnet.frames[0].native], ['java.lang.Object', 'wait', true]);
    assert.deepEqual([telnet.frames[2].class, telnet.frames[2].method, telnet.frames[2].file, telnet.frames[2].line], [
      'com.sap.engine.services.telnet.core.Buffer',
      'read',
      'Buffer.java',
      95,
    ]);
  });

  test('26 BLOCKED threads wait for locks held by RUNNABLE threads: no deadlock', () => {
    assert.equal(report.verdicts.filter((v) => v.kind === 'java-deadlock').length, 0);
  });

  test('the log before the first dump is reported as not understood, not dropped silently', () => {
    assert.ok(report.unparsed.total > 200);
    assert.equal(report.unparsed.inputs[0].sample[0].text, 'stdout/stderr redirection');
  });
});

describe('jthreaddump__deadlock.txt (OpenJDK 25, Java-level deadlock)', () => {
  const report = analyze('jthreaddump__deadlock.txt');

  test('33 threads; the quoted names of the deadlock section are not threads', () => {
    assert.equal(report.threads.total, 33);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 27, WAITING: 2, TIMED_WAITING: 2, BLOCKED: 2 });
    assert.equal(report.threads.items.filter((t) => t.name === 'DeadlockThread-A').length, 1);
    assert.equal(report.unparsed.total, 0);
  });

  test('one java-deadlock verdict, reported by the JVM, naming both threads and their frames', () => {
    const deadlocks = report.verdicts.filter((v) => v.kind === 'java-deadlock');
    assert.equal(deadlocks.length, 1);
    const [verdict] = deadlocks;
    assert.equal(verdict.confidence, 1);
    assert.equal(verdict.evidence.details.reportedByJvm, 'yes');
    const names = verdict.threads.map((id) => report.threads.items.find((t) => t.id === id)?.name).sort();
    assert.deepEqual(names, ['DeadlockThread-A', 'DeadlockThread-B']);
    assert.deepEqual(
      verdict.frames.map((f) => `${f.method}:${f.line}`).sort(),
      ['lambda$deadlockScenario$1:98', 'lambda$deadlockScenario$2:114'],
    );
  });
});

describe('jthreaddump__many-virtual-threads.txt (JDK 25 carriers, three deadlocks)', () => {
  const report = analyze('jthreaddump__many-virtual-threads.txt');

  test('54 threads: 25 with a state line, 10 carriers without one (nor nid=), 19 VM threads', () => {
    assert.equal(report.threads.total, 54);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 40, WAITING: 4, TIMED_WAITING: 3, BLOCKED: 7 });
    assert.equal(report.threads.items.filter((t) => t.carrying !== null).length, 10);
  });

  test("a carrier's stack starts with the frames of the virtual thread it runs", () => {
    const carrier = thread(report, 'ForkJoinPool-1-worker-1');
    assert.equal(carrier.carrying, '206');
    assert.equal(carrier.state, 'RUNNABLE');
    assert.equal(
      groupOf(report, carrier).frames[0].text,
      'me.bechberger.jthreaddump.test.ThreadDumpGenerator.lambda$manyVirtualThreadsScenario$1(ThreadDumpGenerator.java:439)',
    );
  });

  test('three deadlocks, told apart although two threads are named DeadlockThread-A', () => {
    const cycles = report.verdicts
      .filter((v) => v.kind === 'java-deadlock')
      .map((v) => v.threads.map((id) => report.threads.items.find((t) => t.id === id)).map((t) => `${t?.name}#${t?.number}`).sort().join(' '))
      .sort();
    assert.deepEqual(cycles, [
      'DeadlockCandidate-A#147 DeadlockCandidate-B#148',
      'DeadlockThread-A#201 DeadlockThread-B#202 DeadlockThread-C#203',
      'DeadlockThread-A#30 DeadlockThread-B#31',
    ]);
  });
});

describe('jthreaddump__scenarios_socket-io_dump-4.txt (JDK 25, threads in socket reads)', () => {
  const report = analyze('jthreaddump__scenarios_socket-io_dump-4.txt');

  test('41 threads: 40 quoted headers and the nameless header on line 481', () => {
    assert.equal(report.threads.total, 41);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 33, TIMED_WAITING: 6, WAITING: 2 });
    const nameless = report.threads.items.find((t) => t.name === '');
    assert.equal(nameless?.line, 481);
    assert.equal(nameless?.nid, '39171');
    assert.equal(report.unparsed.total, 0);
  });

  test('pool-2-thread-1, -2, -4 and -6 read sockets (NioSocketImpl.read); four readers are no slow peer', () => {
    const readers = report.threads.items.filter((t) => t.activity === 'socket-read').map((t) => t.name);
    assert.deepEqual(readers, ['pool-2-thread-1', 'pool-2-thread-2', 'pool-2-thread-4', 'pool-2-thread-6']);
    assert.equal(report.threads.pools.find((p) => p.name === 'pool-2-thread')?.size, 6);
    assert.deepEqual(report.verdicts, []);
  });
});

describe('jthreaddump__scenarios_thread-pool-exhaustion_dump-0.txt (JDK 25, a busy pool)', () => {
  const report = analyze('jthreaddump__scenarios_thread-pool-exhaustion_dump-0.txt');

  test('39 threads: 38 quoted headers and the nameless one on line 388', () => {
    assert.equal(report.threads.total, 39);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 33, TIMED_WAITING: 4, WAITING: 2 });
  });

  test('all four workers of pool-4-thread run (Math.random): busy, none waiting, so no pool-exhaustion', () => {
    const pool = report.threads.pools.find((p) => p.name === 'pool-4-thread');
    assert.deepEqual(pool && [pool.size, pool.busy, pool.waiting, pool.idle], [4, 4, 0, 0]);
    assert.equal(report.verdicts.filter((v) => v.kind === 'pool-exhaustion').length, 0);
  });
});

describe('spotify__test.html-sample-input.txt (Apple JDK 6, HotSpot 20.65)', () => {
  const report = analyze('spotify__test.html-sample-input.txt');

  test('54 threads, including headers with no blank line between them', () => {
    assert.equal(report.threads.total, 54);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 21, TIMED_WAITING: 13, WAITING: 20 });
    assert.ok(report.threads.items.some((t) => t.name === 'Concurrent Mark-Sweep GC Thread'));
    assert.ok(report.threads.items.some((t) => t.name === 'VM Periodic Task Thread'));
    assert.equal(report.dumps[0].jdk, 6);
  });

  test('lock addresses without 0x (`<7c0887da8>`) are read', () => {
    const parsed = parseInput(readInput(corpus('threaddumps/spotify__test.html-sample-input.txt')), 0, 'spotify', new FrameTable());
    const scheduler = parsed.dumps[0].threads.find((t) => t.name === 'JobScheduler FJ pool 0/4');
    assert.deepEqual(scheduler?.locks.map((l) => [l.kind, l.address, l.className]), [['parking', '7c0887da8', 'jsr166e.ForkJoinPool']]);
  });
});

describe('openj9-docs__dump_javadump.md__javacore-excerpts.txt (OpenJ9 javacore excerpt)', () => {
  const report = analyze('openj9-docs__dump_javadump.md__javacore-excerpts.txt');

  test('the THREADS section holds 2 threads: main (state:R) and Worker Thread 1 (state:B)', () => {
    assert.deepEqual(report.threads.items.map((t) => [t.name, t.state]), [
      ['main', 'RUNNABLE'],
      ['Worker Thread 1', 'BLOCKED'],
    ]);
    assert.equal(report.dumps[0].pid, 30285);
    assert.equal(report.dumps[0].jdk, 9);
    assert.equal(report.unparsed.total, 0);
  });

  test('javacore frames use slashes: `java/nio/DirectByteBuffer.<init>(DirectByteBuffer.java:127(Compiled Code))`', () => {
    const frames = groupOf(report, thread(report, 'main')).frames;
    assert.deepEqual([frames[1].class, frames[1].method, frames[1].file, frames[1].line], ['java.nio.DirectByteBuffer', '<init>', 'DirectByteBuffer.java', 127]);
    assert.deepEqual([frames[3].class, frames[3].app], ['NativeHeapBreaker', true]);
  });

  test('the LOCKS deadlock of Worker Threads 1, 2 and 3 is a java-deadlock verdict, with the one stack present', () => {
    const [verdict] = report.verdicts.filter((v) => v.kind === 'java-deadlock');
    assert.ok(verdict);
    assert.equal(verdict.evidence.counts.threads, 3);
    assert.equal(verdict.evidence.counts.stacksInPaste, 1);
    assert.deepEqual(verdict.frames, [{ class: 'WorkerThread', method: 'run', file: 'DeadLockTest.java', line: 35 }]);
  });
});
