// Our own fixtures for the formats and pastes the corpus lacks (test/fixtures/dumps/formats, sockets, combined):
// jcmd on JDK 21 with a carrier, kill -3 inside catalina.out, two dumps in one paste, a terminal-wrapped paste, a
// cut-off dump, Latin-1 and UTF-16 files, cut-off JSON, a javacore, junk; and one listing per socket tool.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDump, decodeDumpBytes, detectInput, type DumpReport, type ThreadJson } from '../../src/dump/index';
import { FrameTable } from '../../src/dump/threads/frame';
import { parseInput } from '../../src/dump/parse';
import { analyzeFiles, fixture, readInput } from './support';

function analyze(path: string): DumpReport {
  return analyzeFiles([fixture(path)]);
}

function named(report: DumpReport, name: string, dump = 0): ThreadJson {
  const found = report.threads.items.find((t) => t.name === name && t.dump === dump);
  assert.ok(found, `thread "${name}"`);
  return found;
}

function stackOf(report: DumpReport, name: string, dump = 0): string[] {
  const t = named(report, name, dump);
  return report.threads.groups.find((g) => g.id === t.group)?.frames.map((f) => f.text) ?? [];
}

describe('thread dump formats', () => {
  test('jcmd Thread.print on JDK 21: pid line, `#1 [48214]` headers, a carrier running virtual thread #71', () => {
    const report = analyze('formats/jcmd-thread-print-jdk21.txt');
    assert.equal(report.inputs[0].label, 'jcmd Thread.print, JDK 21, 9 threads');
    assert.equal(report.dumps[0].pid, 48213);
    assert.equal(named(report, 'main').number, 1);
    const carrier = named(report, 'ForkJoinPool-1-worker-3');
    assert.equal(carrier.carrying, '71');
    assert.equal(carrier.state, 'RUNNABLE');
    const stack = stackOf(report, 'ForkJoinPool-1-worker-3');
    assert.equal(stack[0], 'java.util.zip.Inflater.inflateBytesBytes(java.base@21.0.2/Native Method)');
    assert.equal(stack[3], 'com.acme.gateway.archive.Unpacker.unpack(Unpacker.java:44)');
    assert.equal(stack.length, 6 + 8);
  });

  test('kill -3 in catalina.out (CRLF): 10 threads; the log lines around, an exception trace included, are not a thread', () => {
    const report = analyze('formats/kill3-catalina.out');
    assert.equal(report.threads.total, 10);
    assert.equal(report.dumps[0].jdk, 11);
    // 2 log lines, the exception and its 2 frames before the dump, 1 log line after it.
    assert.equal(report.unparsed.total, 6);
    assert.deepEqual(report.inputs[0].warnings, []);
    assert.match(stackOf(report, 'http-nio-8080-exec-3')[0], /Unsafe\.park/);
    assert.ok(stackOf(report, 'VM Periodic Task Thread').length === 0);
  });

  test('two dumps in one paste are kept apart, and the stuck thread is followed across them', () => {
    const report = analyze('formats/two-dumps.txt');
    assert.deepEqual(
      report.dumps.map((d) => [d.threads, d.timestamp, d.pid]),
      [
        [12, '2024-12-01 10:00:00', 4242],
        [12, '2024-12-01 10:00:10', 4242],
      ],
    );
    const stuck = report.threads.items.filter((t) => t.name === 'http-nio-8080-exec-3');
    assert.deepEqual(stuck.map((t) => [t.dump, t.state, t.key]), [
      [0, 'BLOCKED', 'http-nio-8080-exec-3#43'],
      [1, 'BLOCKED', 'http-nio-8080-exec-3#43'],
    ]);
    assert.deepEqual(stackOf(report, 'http-nio-8080-exec-3', 0), stackOf(report, 'http-nio-8080-exec-3', 1));
    // The lock holder runs in both dumps: a slow holder, not a deadlock.
    assert.equal(report.verdicts.filter((v) => v.kind === 'java-deadlock').length, 0);
  });

  test('a paste from an 80-column terminal: wrapped headers, frames, lock lines and netstat rows are re-joined', () => {
    const report = analyze('formats/wrapped-terminal.txt');
    assert.equal(report.unparsed.total, 0);
    assert.deepEqual(report.threads.byState, { RUNNABLE: 3, WAITING: 1 });
    assert.equal(named(report, 'http-nio-8080-exec-1').state, 'RUNNABLE');
    assert.ok(stackOf(report, 'http-nio-8080-exec-1').includes('org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:231)'));
    assert.deepEqual(report.sockets.byState, { CLOSE_WAIT: 6 });
    assert.ok(report.sockets.items.every((s) => s.pid === 4242 && s.program === 'java' && s.timer?.startsWith('keepalive')));
    const parsed = parseInput(readInput(fixture('formats/wrapped-terminal.txt')), 0, 'wrapped', new FrameTable());
    const idle = parsed.dumps[0].threads.find((t) => t.name === 'http-nio-8080-exec-4');
    assert.equal(idle?.locks[0].className, 'java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject');
  });

  test('a dump cut off inside a frame: every thread kept, the cut one marked, a warning', () => {
    const report = analyze('formats/truncated.txt');
    assert.equal(report.threads.total, 4);
    assert.deepEqual(report.threads.items.filter((t) => t.truncated).map((t) => t.name), ['http-nio-8080-exec-4']);
    assert.match(report.inputs[0].warnings.join(' '), /cut short/);
    assert.equal(named(report, 'http-nio-8080-exec-4').activity, 'socket-read');
  });

  test('ISO-8859-1 bytes decode to the right names and frames', () => {
    const report = analyze('formats/latin1-names.txt');
    assert.deepEqual(report.threads.items.map((t) => t.name), ['Zähler-Aktualisierung', 'Größenberechnung-1']);
    const frame = report.threads.groups.find((g) => g.names[0] === 'Größenberechnung-1')?.appFrame;
    assert.deepEqual(frame && [frame.class, frame.method, frame.line], ['de.beispiel.größe.Berechnung', 'führeAus', 17]);
  });

  test('UTF-16LE with a BOM (PowerShell redirection), CRLF', () => {
    const report = analyze('formats/utf16le-powershell.txt');
    assert.equal(report.inputs[0].label, 'jstack, JDK 17, 7 threads');
    assert.equal(report.unparsed.total, 0);
  });

  test('jcmd JSON cut off inside a stack: the threads read so far, the last one marked cut', () => {
    const report = analyze('formats/jcmd-json-truncated.json');
    assert.deepEqual(report.threads.items.map((t) => [t.name, t.state, t.truncated]), [
      ['main', 'WAITING', false],
      ['ledger-writer', 'BLOCKED', false],
      ['ledger-auditor', 'BLOCKED', true],
    ]);
    assert.equal(report.dumps[0].pid, 40213);
  });

  test('OpenJ9 javacore: 4 Java threads, the anonymous native thread left out, J9 states mapped', () => {
    const report = analyze('formats/openj9-javacore.txt');
    assert.deepEqual(report.threads.items.map((t) => [t.name, t.state, t.stateDetail, t.number, t.daemon]), [
      ['main', 'WAITING', 'CW', 1, false],
      ['job-runner-1', 'WAITING', 'P', 28, true],
      ['job-runner-2', 'RUNNABLE', 'R', 29, true],
      ['Finalizer thread', 'RUNNABLE', 'R', 2, true],
    ]);
    assert.deepEqual([report.dumps[0].pid, report.dumps[0].jdk, report.dumps[0].timestamp], [5120, 17, '2024/12/06 14:22:31:118']);
    assert.equal(report.unparsed.total, 0);
    assert.equal(named(report, 'job-runner-2').activity, 'socket-read');
    const parsed = parseInput(readInput(fixture('formats/openj9-javacore.txt')), 0, 'javacore', new FrameTable());
    const runner = parsed.dumps[0].threads.find((t) => t.name === 'job-runner-1');
    assert.deepEqual(runner?.locks.map((l) => [l.kind, l.address, l.ownerName]), [['parking', '0x00000000FFF52E10', 'job-runner-2']]);
  });
});

describe('input that is no dump', () => {
  test('binary junk: a clear label and warning, nothing parsed, no exception', () => {
    const report = analyze('formats/garbage.bin');
    assert.equal(report.inputs[0].label, 'binary data');
    assert.match(report.inputs[0].warnings[0], /binary/);
    assert.equal(report.threads.total + report.sockets.total, 0);
  });

  test('empty input', () => {
    assert.equal(analyze('formats/empty.txt').inputs[0].label, 'empty');
    assert.equal(detectInput('').label, 'empty');
    assert.equal(detectInput('  \n\n').label, 'empty');
  });

  test('a build log: not recognised, its lines reported as unparsed', () => {
    const report = analyze('formats/not-a-dump.txt');
    assert.equal(report.inputs[0].label, 'not recognised');
    assert.equal(report.unparsed.total, 8);
    assert.equal(report.unparsed.inputs[0].sample[0].text, '[INFO] Scanning for projects...');
  });
});

describe('socket listing formats', () => {
  test('Linux netstat -tanp with IPv6 listeners, IPv4-mapped peers and every state', () => {
    const report = analyze('sockets/netstat-tanp-ipv6.txt');
    assert.equal(report.inputs[0].label, 'netstat -tanp, 12 sockets');
    assert.deepEqual(report.sockets.byState, { LISTEN: 3, ESTABLISHED: 4, CLOSE_WAIT: 1, TIME_WAIT: 1, SYN_SENT: 1, FIN_WAIT2: 1, LAST_ACK: 1 });
    const closeWait = report.sockets.items.find((s) => s.state === 'CLOSE_WAIT');
    assert.deepEqual([closeWait?.local, closeWait?.remote, closeWait?.recvQ], [{ host: '10.0.0.5', port: 8080 }, { host: '10.20.0.8', port: 51430 }, 1]);
    assert.deepEqual(report.sockets.items.find((s) => s.state === 'TIME_WAIT')?.local, { host: '::1', port: 8080 });
    assert.ok(report.sockets.listening.some((l) => l.port === 8080 && l.host === '::' && l.pid === 4242));
    assert.equal(report.sockets.items.find((s) => s.local.port === 22 && s.state === 'ESTABLISHED')?.program, 'sshd: deploy [p');
  });

  test('netstat -an without owners; UDP and the UNIX section skipped', () => {
    const report = analyze('sockets/netstat-an-linux.txt');
    assert.equal(report.sockets.total, 5);
    assert.ok(report.sockets.items.every((s) => s.pid === null));
    assert.equal(report.unparsed.total, 0);
  });

  test('old ss -tan: `:::8080`, `::ffff:` peers, ss state spellings', () => {
    const report = analyze('sockets/ss-tan-old.txt');
    assert.deepEqual(report.sockets.byState, { LISTEN: 2, ESTABLISHED: 1, CLOSE_WAIT: 2, TIME_WAIT: 1, SYN_SENT: 1, FIN_WAIT1: 1 });
    assert.deepEqual(report.sockets.items[1].local, { host: '::', port: 8080 });
    assert.deepEqual(report.sockets.items[2].remote, { host: '10.20.0.7', port: 51422 });
    assert.equal(report.inputs[0].label, 'ss -tan, 8 sockets');
  });

  test('lsof -nP -iTCP: bracketed IPv6, `*:8080 (LISTEN)`', () => {
    const report = analyze('sockets/lsof-nP-iTCP.txt');
    assert.equal(report.inputs[0].label, 'lsof -nP -i, 7 sockets');
    assert.deepEqual(report.sockets.byState, { LISTEN: 2, ESTABLISHED: 2, CLOSE_WAIT: 2, SYN_SENT: 1 });
    const loop = report.sockets.items[1];
    assert.deepEqual([loop.local, loop.remote, loop.pid], [{ host: '::1', port: 8080 }, { host: '::1', port: 51234 }, 4242]);
  });

  test('macOS netstat -p tcp -an: `::1.8080`, tcp46 `*.8080`', () => {
    const report = analyze('sockets/netstat-macos-ptcp-an.txt');
    assert.deepEqual(report.sockets.byState, { LISTEN: 2, ESTABLISHED: 2, CLOSE_WAIT: 2, TIME_WAIT: 1 });
    assert.deepEqual(report.sockets.items[0].local, { host: '*', port: 8080 });
    assert.deepEqual(report.sockets.items[1].local, { host: '::1', port: 8080 });
    assert.deepEqual(report.sockets.items[3].local, { host: '192.168.1.20', port: 8080 });
  });

  test('Windows netstat -ano: `[::1]:8080`, PID column', () => {
    const report = analyze('sockets/netstat-windows-ano.txt');
    assert.equal(report.inputs[0].label, 'netstat -ano (Windows), 8 sockets');
    assert.deepEqual(report.sockets.byState, { LISTEN: 2, ESTABLISHED: 3, CLOSE_WAIT: 2, TIME_WAIT: 1 });
    assert.deepEqual(report.sockets.items.find((s) => s.local.host === '::1')?.local, { host: '::1', port: 8080 });
  });
});

describe('a dump and a listing in one paste', () => {
  test('both are found, labelled and joined: the process of `jstack 27000` owns the sockets', () => {
    const report = analyze('combined/jstack-and-ss.txt');
    assert.equal(report.inputs[0].label, 'jstack, JDK 17, 8 threads + ss -tnp, 12 sockets');
    assert.equal(report.dumps[0].pid, 27000);
    assert.deepEqual(report.sockets.byState, { CLOSE_WAIT: 11, ESTABLISHED: 1 });
    const verdict = report.verdicts.find((v) => v.kind === 'self-call-deadlock');
    assert.equal(verdict?.evidence.counts.closeWait, 11);
    assert.equal(verdict?.evidence.counts.stuckWorkers, 3);
    assert.deepEqual(verdict?.frames.map((f) => `${f.class}.${f.method}:${f.line}`), ['com.acme.search.FanOut.collect:73']);
  });

  test('listing rows right below a stack are the listing\'s, and dump lines shaped like rows stay the dump\'s', () => {
    const text = readInput(fixture('combined/jstack-and-ss.txt'));
    const rows = text.split('\n').filter((l) => /^[A-Z-]+\s+\d+\s+\d+\s/.test(l));
    const dump = text.slice(0, text.indexOf('\n', text.lastIndexOf('\tat ')) + 1);
    // `Found 1 deadlock.` ends a dump; `Thread 12: (state = BLOCKED)` starts a `jstack -F` thread.
    const spliced = `${dump}${rows.join('\n')}\nFound 1 deadlock.\n\nThread 12: (state = BLOCKED)\n - java.lang.Object.wait(long) @bci=0 (Interpreted frame)\n`;
    const report = analyzeDump([{ name: 'spliced.txt', text: spliced }]);
    assert.equal(rows.length, 12);
    assert.equal(report.sockets.total, rows.length);
    assert.equal(report.unparsed.total, 0);
    assert.equal(report.threads.total, (dump.match(/^"/gm) ?? []).length + 1);
    assert.ok(report.threads.items.some((t) => t.name === 'Thread 12'));
  });

  test('detectInput labels the same paste without a full report', () => {
    const detected = detectInput(readInput(fixture('combined/jstack-and-ss.txt')));
    assert.deepEqual([detected.threads, detected.sockets, detected.dumps, detected.jdk], [8, 12, 1, 17]);
    assert.deepEqual(detected.formats, ['hotspot', 'ss']);
  });
});

describe('decodeDumpBytes', () => {
  const encode = (s: string) => new TextEncoder().encode(s);

  test('UTF-8, with and without a BOM', () => {
    assert.equal(decodeDumpBytes(encode('"Größe" #1')), '"Größe" #1');
    assert.equal(decodeDumpBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('"main" #1')])), '"main" #1');
  });

  test('bytes that are not UTF-8 are ISO-8859-1', () => {
    assert.equal(decodeDumpBytes(new Uint8Array([0x22, 0x5a, 0xe4, 0x68, 0x6c, 0x65, 0x72, 0x22])), '"Zähler"');
  });

  test('UTF-16 with either BOM, and UTF-16LE without one', () => {
    const text = '"main" #1 prio=5';
    const le = new Uint8Array([...text].flatMap((c) => [c.charCodeAt(0), 0]));
    const be = new Uint8Array([...text].flatMap((c) => [0, c.charCodeAt(0)]));
    assert.equal(decodeDumpBytes(new Uint8Array([0xff, 0xfe, ...le])), text);
    assert.equal(decodeDumpBytes(new Uint8Array([0xfe, 0xff, ...be])), text);
    assert.equal(decodeDumpBytes(le), text);
  });
});
