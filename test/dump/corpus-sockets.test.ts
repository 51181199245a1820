// Every socket listing of ../shared/corpus/sockets, with counts taken from the files (awk on the state column;
// SOURCES.md names the CLOSE_WAIT lines). Only TCP sockets are counted; UDP rows, UNIX sockets and the other
// sections of `netstat -a` and lsof are recognised and left out, not reported as unparsed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DumpReport, SocketJson } from '../../src/dump/index';
import { analyzeFiles, corpus } from './support';

function analyze(name: string): DumpReport {
  return analyzeFiles([corpus(`sockets/${name}`)]);
}

function socketAt(report: DumpReport, line: number): SocketJson {
  const found = report.sockets.items.find((s) => s.line === line);
  assert.ok(found, `socket on line ${line}`);
  return found;
}

describe('jc__osx-10.14.6_netstat.out (macOS netstat, names not numbers)', () => {
  const report = analyze('jc__osx-10.14.6_netstat.out');

  test('53 TCP connections: 47 ESTABLISHED, 5 CLOSE_WAIT, 1 TIME_WAIT; UDP, UNIX and kernel sections skipped', () => {
    assert.equal(report.sockets.total, 53);
    assert.deepEqual(report.sockets.byState, { ESTABLISHED: 47, CLOSE_WAIT: 5, TIME_WAIT: 1 });
    assert.equal(report.unparsed.total, 0);
    assert.equal(report.inputs[0].label, 'netstat (macOS/BSD), 53 sockets');
  });

  test('BSD addresses: host and port split at the last dot, service names mapped', () => {
    const first = socketAt(report, 3); // kbrazil-mac.attl.62979 40.77.18.167.https
    assert.deepEqual(first.local, { host: 'kbrazil-mac.attl', port: 62979 });
    assert.deepEqual(first.remote, { host: '40.77.18.167', port: 443, service: 'https' });
    const timeWait = socketAt(report, 55); // tcp6 ... 2600:9000:2202:9.https TIME_WAIT
    assert.deepEqual(timeWait.remote, { host: '2600:9000:2202:9', port: 443, service: 'https' });
    assert.equal(timeWait.state, 'TIME_WAIT');
  });

  test('a truncated service name (`..sunpr`) keeps the row, with an unknown port', () => {
    const closeWait = socketAt(report, 16); // tcp4 31 0 kbrazil-mac.attl.62664 93.87.236.35.bc..sunpr CLOSE_WAIT
    assert.equal(closeWait.state, 'CLOSE_WAIT');
    assert.equal(closeWait.recvQ, 31);
    assert.deepEqual(closeWait.remote, { host: '93.87.236.35.bc.', port: null, service: 'sunpr' });
  });

  test('five CLOSE_WAIT are too few for a leak verdict', () => {
    assert.equal(report.verdicts.filter((v) => v.kind === 'socket-leak').length, 0);
  });
});

describe('jc__windows_windows-10_netstat-aonb.out (Windows netstat -anob, CRLF)', () => {
  const report = analyze('jc__windows_windows-10_netstat-aonb.out');

  test('114 TCP connections: 51 LISTENING, 54 ESTABLISHED, 6 CLOSE_WAIT, 3 TIME_WAIT; 204 UDP rows skipped', () => {
    assert.equal(report.sockets.total, 114);
    assert.deepEqual(report.sockets.byState, { LISTEN: 51, ESTABLISHED: 54, CLOSE_WAIT: 6, TIME_WAIT: 3 });
    assert.equal(report.unparsed.total, 0);
    assert.equal(report.inputs[0].label, 'netstat -anob (Windows), 114 sockets');
  });

  test('the [executable] line below a row names its program: all six CLOSE_WAIT belong to SearchApp.exe', () => {
    const closeWait = report.sockets.items.filter((s) => s.state === 'CLOSE_WAIT');
    assert.deepEqual([...new Set(closeWait.map((s) => `${s.pid}/${s.program}`))], ['27568/SearchApp.exe']);
    assert.deepEqual(report.sockets.byProcess['27568/SearchApp.exe'].byState.CLOSE_WAIT, 6);
  });

  test('IPv6 listeners `[::]:135` and the LISTENING spelling', () => {
    const v6 = report.sockets.items.find((s) => s.local.host === '::' && s.local.port === 135);
    assert.equal(v6?.state, 'LISTEN');
    assert.ok(report.sockets.listening.some((l) => l.port === 135 && l.pid === 1712));
  });
});

describe('jc__ubuntu-18.04_ss-sudo-tulpen.out (ss -tulpen)', () => {
  const report = analyze('jc__ubuntu-18.04_ss-sudo-tulpen.out');

  test('58 TCP listeners; 15 UDP rows skipped', () => {
    assert.equal(report.sockets.total, 58);
    assert.deepEqual(report.sockets.byState, { LISTEN: 58 });
    assert.equal(report.unparsed.total, 0);
    assert.match(report.inputs[0].label, /^ss -t\w*p\w*, 58 sockets$/);
  });

  test('users:(("name",pid=N,fd=N)) names the owner; the first of several owners is kept', () => {
    const http = report.sockets.items.find((s) => s.local.port === 80);
    assert.deepEqual([http?.pid, http?.program], [24795, '/usr/sbin/apach']);
    const resolver = report.sockets.items.find((s) => s.local.host === '127.0.0.53');
    assert.deepEqual([resolver?.local.port, resolver?.program], [53, 'systemd-resolve']);
  });
});

describe('jc__ubuntu-18.04_netstat-sudo-aeep.out (netstat -aeep: user and inode columns, UNIX section)', () => {
  const report = analyze('jc__ubuntu-18.04_netstat-sudo-aeep.out');

  test('6 TCP sockets: 4 LISTEN, 2 ESTABLISHED; UDP, raw and 100+ UNIX rows skipped', () => {
    assert.equal(report.sockets.total, 6);
    assert.deepEqual(report.sockets.byState, { LISTEN: 4, ESTABLISHED: 2 });
    assert.equal(report.unparsed.total, 0);
  });

  test('service names (`localhost:domain`, `[::]:ssh`) and programs with spaces (`2322/sshd: kbrazil`)', () => {
    assert.deepEqual(socketAt(report, 3).local, { host: 'localhost', port: 53, service: 'domain' });
    assert.deepEqual(socketAt(report, 8).local, { host: '::', port: 22, service: 'ssh' });
    assert.deepEqual([socketAt(report, 6).pid, socketAt(report, 6).program], [2322, 'sshd: kbrazil']);
  });

  test('ssh to localhost is two processes (sshd and ssh), not a self-call', () => {
    assert.deepEqual(report.verdicts, []);
  });
});

describe('jc__ubuntu-18.04_lsof-sudo.out (lsof, every open file, a TID column)', () => {
  const report = analyze('jc__ubuntu-18.04_lsof-sudo.out');

  test('14 TCP rows are 5 sockets: one listed per task and per sharing process; 4 LISTEN, 1 ESTABLISHED', () => {
    assert.equal(report.sockets.total, 5);
    assert.deepEqual(report.sockets.byState, { LISTEN: 4, ESTABLISHED: 1 });
    assert.equal(report.inputs[0].label, 'lsof -i, 5 sockets');
  });

  test('the 2,800 other open files are understood as lsof rows, not reported as unparsed', () => {
    assert.equal(report.unparsed.total, 0);
  });

  test('NAME `kbrazil-ubuntu:ssh->192.168.71.1:65159`', () => {
    const ssh = report.sockets.items.find((s) => s.state === 'ESTABLISHED');
    assert.deepEqual(ssh?.local, { host: 'kbrazil-ubuntu', port: 22, service: 'ssh' });
    assert.deepEqual(ssh?.remote, { host: '192.168.71.1', port: 65159 });
  });
});

describe('jc__freebsd12_netstat-an.out (FreeBSD netstat -an)', () => {
  const report = analyze('jc__freebsd12_netstat-an.out');

  test('4 TCP sockets: 1 ESTABLISHED, 3 LISTEN; UDP and UNIX sockets skipped', () => {
    assert.equal(report.sockets.total, 4);
    assert.deepEqual(report.sockets.byState, { ESTABLISHED: 1, LISTEN: 3 });
    assert.equal(report.unparsed.total, 0);
    assert.equal(report.inputs[0].label, 'netstat -an (macOS/BSD), 4 sockets');
  });

  test('`192.168.71.163.22` and `*.22`', () => {
    assert.deepEqual(socketAt(report, 3).local, { host: '192.168.71.163', port: 22 });
    assert.deepEqual(socketAt(report, 3).remote, { host: '192.168.71.1', port: 56321 });
    assert.deepEqual(socketAt(report, 5).local, { host: '*', port: 22 });
  });
});
