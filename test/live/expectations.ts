// What each live capture must yield: the verdict, its confidence and its evidence. The live test asserts these on
// fresh captures, the fixture test on the stored ones (test/fixtures/dumps/live/<scenario>/), so both hold the same
// product to the same facts. Numbers are read from the capture itself (its pids, ports and rows), never restated.
import assert from 'node:assert/strict';
import { analyzeDump, type DumpReport, type VerdictJson } from '../../src/dump/index';
import { ssRows, type Capture, type SsRow } from './harness';

/** The capture as a responder pastes it: every file an input, in file-name order. */
export function analyzeCapture(capture: Capture): DumpReport {
  return analyzeDump(
    Object.keys(capture)
      .sort()
      .map((name) => ({ name, text: capture[name] })),
  );
}

function kinds(report: DumpReport): string {
  return report.verdicts.map((v) => `${v.kind} ${v.confidence}`).join(', ') || 'none';
}

function first(report: DumpReport, kind: VerdictJson['kind']): VerdictJson {
  const verdict = report.verdicts[0];
  assert.equal(verdict?.kind, kind, `the first verdict is ${kind}; verdicts: ${kinds(report)}`);
  return verdict;
}

/** `jcmd <pid> Thread.print` starts with `<pid>:`. */
function jcmdPid(capture: Capture): number {
  const m = /^(\d+):/.exec(capture['thread-dump.txt'] ?? '');
  assert.ok(m, 'the thread dump starts with the pid jcmd attached to');
  return Number(m[1]);
}

function reportPid(capture: Capture): number {
  return (JSON.parse(capture['node-report.json']) as { header: { processId: number } }).header.processId;
}

function rows(capture: Capture): SsRow[] {
  return ssRows(capture['ss.txt']);
}

function listeningPort(capture: Capture, pid: number): number {
  const row = rows(capture).find((r) => r.state === 'LISTEN' && r.pid === pid);
  assert.ok(row, `pid ${pid} listens in ss.txt`);
  return row.localPort;
}

function frameName(v: VerdictJson): string {
  const frame = v.frames[0];
  return frame === undefined ? '(none)' : `${frame.class}.${frame.method}`;
}

/** Index of ss.txt among the inputs of analyzeCapture. */
function ssInput(capture: Capture): number {
  return Object.keys(capture).sort().indexOf('ss.txt');
}

interface SelfCallWant {
  pool: RegExp;
  client: string;
  frame: RegExp;
  /** How ss prints the loopback address: `[::ffff:127.0.0.1]` for a JVM's dual-stack socket, `127.0.0.1` with preferIPv4Stack. */
  address: string;
}

function selfCallDeadlock(report: DumpReport, capture: Capture, want: SelfCallWant): void {
  const pid = jcmdPid(capture);
  const port = listeningPort(capture, pid);
  const listed = rows(capture);
  assert.equal(listed.find((r) => r.state === 'LISTEN' && r.pid === pid)?.local, want.address, 'the listener is the one the scenario asked for');
  const inner = listed.filter((r) => r.pid === pid && r.peerPort === port && r.localPort !== port && r.state === 'ESTAB');
  const accepted = listed.filter((r) => r.localPort === port && inner.some((c) => c.localPort === r.peerPort));

  const v = first(report, 'self-call-deadlock');
  assert.ok(v.confidence >= 0.9, `confidence ${v.confidence}`);
  assert.equal(v.evidence.details.basis, 'proven');
  assert.equal(v.evidence.details.port, String(port));
  assert.equal(v.evidence.details.pid, String(pid));
  assert.match(v.evidence.details.pool ?? '', want.pool);
  assert.equal(v.evidence.details.client, want.client);
  // Both ends of every inner call are in the listing, each inner request still unread on the accepted side.
  assert.equal(v.evidence.counts.bothEnds, inner.length);
  assert.equal(v.evidence.counts.unansweredInnerRequests, accepted.filter((r) => r.recvQ > 0).length);
  assert.ok(inner.length > 0 && accepted.length === inner.length);
  // The evidence shows them in pairs: the caller's row, then the row it arrives on.
  const evidence = v.evidence.lines.filter((l) => l.input === ssInput(capture)).map((l) => ssRows(l.text)[0]);
  const [caller, callee] = evidence;
  assert.ok(caller.pid === pid && caller.peerPort === port, `first evidence row is an inner call: ${JSON.stringify(caller)}`);
  assert.ok(callee.localPort === port && callee.peerPort === caller.localPort, `second evidence row is its accepted end: ${JSON.stringify(callee)}`);
  // The code link is the application frame that made the call.
  assert.match(frameName(v), want.frame);
  assert.ok(!report.verdicts.some((o) => o.kind === 'socket-leak'), `no socket leak beside it: ${kinds(report)}`);
}

function noVerdictAbove(report: DumpReport, limit: number): void {
  const loud = report.verdicts.filter((v) => v.confidence > limit);
  assert.deepEqual(loud.map((v) => `${v.kind} ${v.confidence}`), [], `no verdict above ${limit}`);
}

const MAPPED = '[::ffff:127.0.0.1]';
const IPV4 = '127.0.0.1';

export const EXPECTATIONS: Record<string, (report: DumpReport, capture: Capture) => void> = {
  'tomcat-apache-self-call': (report, capture) =>
    selfCallDeadlock(report, capture, {
      pool: /^http-nio-127\.0\.0\.1-\d+-exec$/,
      client: 'Apache HttpClient',
      frame: /^live\.SelfCallTomcat\$ReportServlet\.fetchFragment$/,
      address: MAPPED,
    }),
  'httpserver-urlconnection-self-call': (report, capture) =>
    selfCallDeadlock(report, capture, { pool: /^http-worker$/, client: 'HttpURLConnection', frame: /^live\.SelfCallHttpServer\.getWithUrlConnection$/, address: MAPPED }),
  'httpserver-urlconnection-ipv4-self-call': (report, capture) =>
    selfCallDeadlock(report, capture, { pool: /^pool-\d+-thread$/, client: 'HttpURLConnection', frame: /^live\.SelfCallHttpServer\.getWithUrlConnection$/, address: IPV4 }),
  'httpserver-okhttp-self-call': (report, capture) =>
    selfCallDeadlock(report, capture, { pool: /^http-worker$/, client: 'OkHttp', frame: /^live\.SelfCallHttpServer\.lambda\$fetcher\$\d+$/, address: MAPPED }),
  'httpserver-okhttp-ipv4-self-call': (report, capture) =>
    selfCallDeadlock(report, capture, { pool: /^pool-\d+-thread$/, client: 'OkHttp', frame: /^live\.SelfCallHttpServer\.lambda\$fetcher\$\d+$/, address: IPV4 }),
  'httpserver-jdk-httpclient-self-call': (report, capture) =>
    selfCallDeadlock(report, capture, { pool: /^http-worker$/, client: 'java.net.http.HttpClient', frame: /^live\.SelfCallHttpServer\.lambda\$fetcher\$\d+$/, address: MAPPED }),

  'tomcat-apache-pool-exhaustion': (report, capture) => {
    const pid = jcmdPid(capture);
    const listed = rows(capture);
    const backend = listed.find((r) => r.state === 'LISTEN' && r.pid !== pid);
    assert.ok(backend, 'the backend listens in ss.txt');
    const leased = listed.filter((r) => r.pid === pid && r.peerPort === backend.localPort);
    const parked = capture['thread-dump.txt'].split('\n\n').filter((block) => block.includes('AbstractConnPool.getPoolEntryBlocking')).length;

    const v = first(report, 'pool-exhaustion');
    assert.ok(v.confidence >= 0.75, `confidence ${v.confidence}`);
    assert.equal(v.evidence.details.pool, 'PoolingHttpClientConnectionManager');
    assert.equal(v.evidence.details.route, `127.0.0.1:${backend.localPort}`);
    assert.equal(v.evidence.counts.waitingThreads, parked);
    // maxPerRoute is 10: ten connections leased for good, the backend has closed them all (CLOSE_WAIT).
    assert.equal(v.evidence.counts.connectionsToPeer, leased.length);
    assert.equal(leased.length, 10);
    assert.equal(v.evidence.counts.closedByPeer, leased.filter((r) => r.state === 'CLOSE-WAIT').length);
    assert.match(frameName(v), /^live\.PoolExhaustionTomcat\$QuoteServlet\.askBackend$/);
    assert.ok(!report.verdicts.some((o) => o.kind === 'socket-leak' || o.kind === 'self-call-deadlock'), `no leak or self-call beside it: ${kinds(report)}`);
  },

  'socket-server-leak': (report, capture) => {
    const pid = jcmdPid(capture);
    const port = listeningPort(capture, pid);
    const closeWait = rows(capture).filter((r) => r.state === 'CLOSE-WAIT' && r.localPort === port && r.pid === pid);
    const v = first(report, 'socket-leak');
    assert.ok(v.confidence >= 0.75, `confidence ${v.confidence}`);
    assert.equal(v.evidence.details.endpoint, `on local port ${port}`);
    assert.equal(v.evidence.details.direction, 'inbound');
    assert.equal(v.evidence.counts.closeWait, closeWait.length);
    assert.equal(v.evidence.counts.readingThreads, 0);
    assert.equal(report.verdicts.length, 1, kinds(report));
  },

  'node-server-never-ends': (report, capture) => {
    const pid = reportPid(capture);
    const port = listeningPort(capture, pid);
    const held = rows(capture).filter((r) => r.pid === pid && r.localPort === port && r.state === 'ESTAB');
    const v = first(report, 'slow-peer');
    assert.ok(v.confidence > 0.5 && v.confidence < 0.9, `confidence ${v.confidence}`);
    assert.deepEqual([v.evidence.details.port, v.evidence.details.pid, v.evidence.details.eventLoop], [String(port), String(pid), 'idle']);
    assert.equal(v.evidence.counts.waitingConnections, held.length);
    assert.match(v.summary, /res\.end\(\)/);
    assert.equal(report.verdicts.length, 1, kinds(report));
    // From ss alone these look like idle keep-alive connections: no verdict without the report.
    assert.deepEqual(analyzeCapture({ 'ss.txt': capture['ss.txt'] }).verdicts, []);
  },

  'node-fetch-unread-bodies': (report, capture) => {
    const pid = reportPid(capture);
    const server = rows(capture).find((r) => r.state === 'LISTEN');
    assert.ok(server, 'the server listens in ss.txt');
    const closeWait = rows(capture).filter((r) => r.pid === pid && r.state === 'CLOSE-WAIT' && r.peerPort === server.localPort);
    const v = first(report, 'socket-leak');
    assert.ok(v.confidence >= 0.75, `confidence ${v.confidence}`);
    assert.equal(v.evidence.details.endpoint, `to 127.0.0.1:${server.localPort}`);
    assert.equal(v.evidence.details.pid, String(pid));
    assert.match(v.evidence.details.runtime ?? '', /^Node\.js v\d+/);
    assert.equal(v.evidence.counts.closeWait, closeWait.length);
    assert.equal(v.evidence.counts.stoppedReading, closeWait.length);
    assert.match(v.summary, /fetch\(\) Response whose body is never read/);
    // The listing alone names the same leak, less surely: the report is what shows Node stopped reading.
    const listingOnly = first(analyzeCapture({ 'ss.txt': capture['ss.txt'] }), 'socket-leak');
    assert.ok(listingOnly.confidence < v.confidence);
    assert.match(listingOnly.summary, /node --report-on-signal/);
  },

  'tomcat-healthy': (report) => noVerdictAbove(report, 0.5),
  'node-healthy': (report) => noVerdictAbove(report, 0.5),
};
