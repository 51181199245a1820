// `closewait dump` as a user runs it: the built bundle (npm run build) on files and standard input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { DumpReport } from '../../src/dump/index';
import { fixture, incidentRoot, repoRoot } from './support';

const cli = join(repoRoot, 'dist', 'cli.js');
const incident = ['jstack.txt', 'netstat.txt', 'lsof.txt'].map((f) => join(incidentRoot, f));

function run(args: string[], input?: string | Uint8Array): { status: number; stdout: string; stderr: string } {
  assert.ok(existsSync(cli), `${cli} is missing: run npm run build first`);
  const result = spawnSync(process.execPath, [cli, 'dump', ...args], { cwd: repoRoot, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('closewait dump: text report', () => {
  test('the original incident: verdicts first, then the socket table, then thread groups; exit 0', () => {
    const { status, stdout, stderr } = run(incident);
    assert.equal(status, 0, stderr);
    const verdicts = stdout.indexOf('Verdicts');
    const sockets = stdout.indexOf('Sockets: 14 TCP');
    const threads = stdout.indexOf('Threads: 1 in 1 dump');
    assert.ok(verdicts > 0 && verdicts < sockets && sockets < threads, stdout);
    assert.match(stdout, /1\. Self-call deadlock on port 8080 {2}\[self-call-deadlock, confidence \d+%\]/);
    assert.match(stdout, /Code: net\.daum\.crystal\.core\.execute\.SearchManager\.search\(SearchManager\.java:104\)/);
    // Most connections first: 10.51.31.149 has 5 CLOSE_WAIT (2 in netstat, 3 in lsof), .152 has 4, .150 has 3.
    assert.match(stdout, /8080 {3}inbound {4}CLOSE_WAIT +13 {2}4 hosts: 10\.51\.31\.149, 10\.51\.31\.152, 10\.51\.31\.150, \.\.\./);
    assert.match(stdout, /jstack\.txt:10 {2}at net\.daum\.crystal\.core\.execute\.SearchManager\.search\(SearchManager\.java:104\)/);
    assert.match(stdout, /http-apr-8080-exec {2}port 8080: 1 thread, 1 busy \(1 waiting\), 0 idle/);
    assert.match(stdout, /> at net\.daum\.crystal\.core\.execute\.SearchManager\.search\(SearchManager\.java:104\)/);
  });

  test('standard input (-): the three excerpts pasted together', () => {
    const paste = incident.map((f) => readFileSync(f, 'utf8')).join('\n');
    const { status, stdout } = run(['-'], paste);
    assert.equal(status, 0);
    assert.match(stdout, /stdin +jstack, 1 thread \+ netstat -tonp, 7 sockets \+ lsof -i, 7 sockets/);
    assert.match(stdout, /Self-call deadlock on port 8080/);
  });

  test('nothing standing out is said plainly', () => {
    const { status, stdout } = run([fixture('verdicts/pool-exhaustion/negative-executor-has-idle/jstack.txt')]);
    assert.equal(status, 0);
    assert.match(stdout, /Nothing stands out/);
  });
});

describe('closewait dump --format json', () => {
  test('the report JSON with the contract keys', () => {
    const { status, stdout } = run([...incident, '--format', 'json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as DumpReport;
    assert.deepEqual(Object.keys(report).slice(0, 4), ['threads', 'sockets', 'verdicts', 'unparsed']);
    assert.equal(report.verdicts[0].kind, 'self-call-deadlock');
    assert.equal(report.sockets.byState.CLOSE_WAIT, 13);
    assert.equal(report.threads.total, 1);
  });

  test('--format=json works too', () => {
    const { status, stdout } = run(['--format=json', fixture('sockets/ss-tan-old.txt')]);
    assert.equal(status, 0);
    assert.equal((JSON.parse(stdout) as DumpReport).sockets.total, 8);
  });
});

describe('bad input and usage errors', () => {
  test('a missing file: exit 2 and the reason', () => {
    const { status, stderr, stdout } = run(['no-such-dump.txt']);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /cannot read no-such-dump\.txt: no such file/);
  });

  test('a directory: exit 2', () => {
    const { status, stderr } = run([repoRoot]);
    assert.equal(status, 2);
    assert.match(stderr, /it is a directory/);
  });

  test('a Node.js diagnostic report is an input of its own, not an unreadable one', () => {
    const dir = fixture('live/node-fetch-unread-bodies');
    const { status, stdout, stderr } = run([`${dir}/node-report.json`, `${dir}/ss.txt`]);
    assert.equal(status, 0);
    assert.equal(stderr, '');
    assert.match(stdout, /Node\.js diagnostic report, v\d+\.\d+\.\d+, pid \d+, 16 TCP handles/);
    assert.match(stdout, /Socket leak: 16 CLOSE_WAIT to 127\.0\.0\.1:\d+/);
  });

  test('binary junk: exit 2, says it is binary', () => {
    const { status, stderr } = run([fixture('formats/garbage.bin')]);
    assert.equal(status, 2);
    assert.match(stderr, /garbage\.bin: binary data, not a thread dump or socket listing/);
  });

  test('a pipe given as a file (`<(jstack pid)`) whose first read is a few bytes gives the report of the file', () => {
    const file = join(repoRoot, 'test', 'fixtures', 'dumps', 'combined', 'jstack-and-ss.txt');
    const piped = spawnSync('bash', ['-c', 'node "$0" dump <(head -c 4 "$1"; sleep 0.3; tail -c +5 "$1") --format json', cli, file], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(piped.status, 0, piped.stderr);
    const direct = run([file, '--format', 'json']);
    const [fromPipe, fromFile] = [piped.stdout, direct.stdout].map((out) => JSON.parse(out) as DumpReport);
    // The prompt line `ops@web-3:~$ jstack 27000` is read as such, not left unparsed.
    assert.equal(fromPipe.unparsed.total, 0, JSON.stringify(fromPipe.unparsed));
    assert.equal(fromFile.unparsed.total, 0);
    assert.deepEqual(fromPipe.dumps, fromFile.dumps);
    assert.deepEqual(fromPipe.sockets, fromFile.sockets);
  });

  test('empty input on stdin: exit 2', () => {
    const { status, stderr } = run(['-'], '');
    assert.equal(status, 2);
    assert.match(stderr, /stdin: empty input/);
  });

  test('one unreadable input among good ones is reported, the rest analysed', () => {
    const { status, stdout, stderr } = run([fixture('formats/not-a-dump.txt'), ...incident]);
    assert.equal(status, 0);
    // Said once: in the report's inputs, not again on stderr and not twice on the line.
    assert.equal(stderr, '');
    const line = stdout.split('\n').find((l) => l.includes('not-a-dump.txt'));
    assert.match(line ?? '', /not-a-dump\.txt +no thread dump or socket listing recognised$/);
    assert.match(stdout, /Self-call deadlock on port 8080/);
    assert.match(stdout, /Not understood: 8 lines/);
  });

  test('a cut-off dump is analysed, and the cut is mentioned', () => {
    const { status, stdout } = run([fixture('formats/truncated.txt')]);
    assert.equal(status, 0);
    assert.match(stdout, /jstack, JDK 8, 4 threads \(1 thread stack is cut short/);
  });

  test('usage errors exit 2', () => {
    assert.equal(run([]).status, 2);
    assert.match(run(['--format', 'xml', incident[0]]).stderr, /--format must be text or json/);
    assert.match(run(['--verbose', incident[0]]).stderr, /unknown option '--verbose'/);
    assert.match(run(['-', '-']).stderr, /read only once/);
  });

  test('--help', () => {
    const { status, stdout } = run(['--help']);
    assert.equal(status, 0);
    assert.match(stdout, /Usage: closewait dump <file>\.\.\. \[--format text\|json\]/);
  });
});

describe('closewait dump: locks, top methods and several dumps', () => {
  const dumps = fixture('over-time/jcmd-three-dumps.txt');

  test('the text report adds the lock table, top running methods and the over-time view', () => {
    const { status, stdout, stderr } = run([dumps]);
    assert.equal(status, 0, stderr);
    const locks = stdout.indexOf('Locks: 3 contended');
    const methods = stdout.indexOf('Top running methods');
    const overTime = stdout.indexOf('Over time: 3 dumps of pid');
    assert.ok(locks > 0 && locks < methods && methods < overTime, stdout);
    assert.match(stdout, /held by "cache-loader" {2}\[dump 1\]\n {4}2 waiting to acquire: "price-reader-1", "price-reader-2"\n {4}taken at SlowIncident\.loadCache\(SlowIncident\.java:88\)/);
    assert.match(stdout, /Stuck in the same frames in every dump \(at least 24 s\):/);
    assert.match(stdout, /Pool fetch: busy 2 -> 4 -> 6/);
  });

  test('--format json carries them as data', () => {
    const { status, stdout } = run([dumps, '--format', 'json']);
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as DumpReport;
    assert.equal(report.locks.filter((l) => l.acquiring.length > 0).length, 3);
    assert.equal(report.topMethods[0].frame.text, 'SlowIncident.checksum(SlowIncident.java:78)');
    assert.deepEqual(report.overTime?.pools.map((p) => p.busy), [[2, 4, 6]]);
    assert.equal(report.overTime?.seconds, 24);
  });
});
