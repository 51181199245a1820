// Socket listings responders paste besides netstat/ss/lsof: macOS and FreeBSD netstat with -A/-b/-T columns, and
// /proc/net/tcp(6) with `ls -l /proc/<pid>/fd` (captured on a real machine around a JVM left in CLOSE_WAIT:
// test/fixtures/dumps/generators/SlowIncident.java). Expected counts come from the files' own rows.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDump, type DumpReport } from '../../src/dump/index';
import { analyzeFiles, fixture, readInput } from './support';

function analyze(...paths: string[]): DumpReport {
  return analyzeFiles(paths.map(fixture));
}

const HEX_STATES: Record<string, string> = { '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT', '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING' };

function procRows(text: string): { state: string; inode: string; local: string }[] {
  return [...text.matchAll(/^\s*\d+: ([0-9A-F]+:[0-9A-F]{4}) [0-9A-F]+:[0-9A-F]{4} ([0-9A-F]{2}) (?:\S+\s+){5}(\d+)/gm)].map((m) => ({ local: m[1], state: HEX_STATES[m[2]], inode: m[3] }));
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

describe('/proc/net/tcp and /proc/net/tcp6', () => {
  test('/proc/net/tcp: every row, hex states and queues, IPv4 addresses in host byte order', () => {
    const text = readInput(fixture('sockets/proc-net-tcp.txt'));
    const rows = procRows(text);
    const report = analyze('sockets/proc-net-tcp.txt');
    assert.equal(report.inputs[0].label, `/proc/net/tcp, ${rows.length} sockets`);
    assert.deepEqual(report.sockets.byState, tally(rows.map((r) => r.state)));
    assert.equal(report.unparsed.total, 0);
    // 0100007F:2EE0 is 127.0.0.1:12000 on a little-endian machine.
    const first = /^\s*0: ([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2}):([0-9A-F]{4})/m.exec(text);
    assert.ok(first);
    const host = [first[4], first[3], first[2], first[1]].map((b) => Number.parseInt(b, 16)).join('.');
    assert.deepEqual(report.sockets.items[0].local, { host, port: Number.parseInt(first[5], 16) });
  });

  test('/proc/net/tcp6 + ls -l /proc/<pid>/fd: IPv4-mapped addresses, every socket tied to the pid by its inode', () => {
    const text = readInput(fixture('sockets/proc-net-tcp6-and-fd.txt'));
    const rows = procRows(text);
    const pid = Number(/ls -l \/proc\/(\d+)\/fd/.exec(text)?.[1]);
    const inodes = new Set([...text.matchAll(/ -> socket:\[(\d+)\]$/gm)].map((m) => m[1]));
    const tied = rows.filter((r) => inodes.has(r.inode));
    const report = analyze('sockets/proc-net-tcp6-and-fd.txt');
    assert.equal(report.inputs[0].label, `/proc/net/tcp6 + /proc/${pid}/fd, ${rows.length} sockets`);
    assert.deepEqual(report.sockets.byState, tally(rows.map((r) => r.state)));
    assert.equal(report.sockets.items.filter((s) => s.pid === pid).length, tied.length);
    assert.ok(tied.length > 0);
    assert.equal(report.unparsed.total, 0);
    const closeWait = report.sockets.items.filter((s) => s.state === 'CLOSE_WAIT');
    assert.ok(closeWait.every((s) => s.local.host === '127.0.0.1' && s.fd !== null));
    const leak = report.verdicts.find((v) => v.kind === 'socket-leak');
    assert.equal(leak?.evidence.counts.closeWait, closeWait.length);
    assert.equal(leak?.evidence.details.pid, String(pid));
  });

  test('the same moment through ss -tanpe: the same CLOSE_WAIT connections of the same pid', () => {
    const proc = analyze('sockets/proc-net-tcp6-and-fd.txt');
    const ss = analyze('sockets/ss-tanpe-beside-proc.txt');
    const pid = proc.sockets.items.find((s) => s.pid !== null)?.pid;
    const key = (r: DumpReport) => r.sockets.items.filter((s) => s.pid === pid && s.state === 'CLOSE_WAIT').map((s) => `${s.local.port}<-${s.remote.port}`).sort();
    assert.deepEqual(key(proc), key(ss));
  });
});

describe('macOS and FreeBSD netstat columns', () => {
  const bsdRows = (path: string) => [...readInput(fixture(path)).matchAll(/^(?:[0-9a-f]+\s+)*tcp\d*\s+\d+\s+\d+\s+(?:\d+\s+)?\S+\s+\S+[ \t]*(\w*)/gm)].map((m) => m[1]);

  for (const [path, label] of [
    ['sockets/netstat-macos-An.txt', 'netstat -aAn (macOS/BSD)'],
    ['sockets/netstat-macos-Abn.txt', 'netstat -aAbn (macOS/BSD)'],
    ['sockets/netstat-freebsd-An.txt', 'netstat -aAn (macOS/BSD)'],
  ] as const) {
    test(`${path}: the socket address (and flow hash) column skipped, states and queues read`, () => {
      const states = bsdRows(path);
      const report = analyze(path);
      assert.equal(report.inputs[0].label, `${label}, ${states.length} sockets`);
      assert.deepEqual(report.sockets.byState, tally(states));
      assert.equal(report.unparsed.total, 0);
      const closeWait = report.sockets.items.find((s) => s.state === 'CLOSE_WAIT');
      assert.equal(closeWait?.recvQ, 1);
    });
  }

  test('FreeBSD netstat -aT: three counters instead of the queues, no state column: states UNKNOWN, queues unknown', () => {
    const rows = bsdRows('sockets/netstat-freebsd-aT.txt');
    const report = analyze('sockets/netstat-freebsd-aT.txt');
    assert.equal(report.inputs[0].label, `netstat -Tn (macOS/BSD), ${rows.length} sockets`);
    assert.deepEqual(report.sockets.byState, { UNKNOWN: rows.length });
    assert.ok(report.sockets.items.every((s) => s.recvQ === null && s.sendQ === null));
    assert.deepEqual(report.sockets.items[1].remote, { host: '10.0.2.2', port: 51814 });
  });

  test('macOS netstat -anv: the pid column ties rows to a process', () => {
    const row = (pid: string) => `tcp4       1      0  192.168.1.20.8080  192.168.1.31.52110 CLOSE_WAIT     422          0 131072 131072  ${pid} 00102 00000000 0000000000001a2b 00000080 00000000      1      0 000001`;
    const old = analyzeDump(`${row('  4242      0')}\n`);
    assert.equal(old.sockets.items[0].pid, 4242);
    const named = analyzeDump(`${row('java:4242')}\n`);
    assert.deepEqual([named.sockets.items[0].pid, named.sockets.items[0].program], [4242, 'java']);
  });
});
