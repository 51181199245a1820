// Verdict fixtures: test/fixtures/dumps/verdicts/<kind>/<positive|negative>-<case>/ hold the files of one incident
// (a dump, a listing, or both). A positive case must yield a verdict of its kind, a negative one must not. The
// numbers asserted below are the ones the fixtures were written with (count the rows: grep -c CLOSE_WAIT ...).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDump, type DumpReport, type VerdictJson, type VerdictKind } from '../../src/dump/index';
import { analyzeDirectory, fixtureRoot } from './support';

const KINDS: VerdictKind[] = ['self-call-deadlock', 'socket-leak', 'pool-exhaustion', 'java-deadlock', 'port-exhaustion', 'slow-peer'];
const root = join(fixtureRoot, 'verdicts');
const reports = new Map<string, DumpReport>();

function report(kind: VerdictKind, name: string): DumpReport {
  const key = `${kind}/${name}`;
  let found = reports.get(key);
  if (found === undefined) reports.set(key, (found = analyzeDirectory(join(root, kind, name))));
  return found;
}

function verdict(kind: VerdictKind, name: string): VerdictJson {
  const found = report(kind, name).verdicts.filter((v) => v.kind === kind);
  assert.equal(found.length, 1, `${kind}/${name}: one ${kind} verdict, got ${report(kind, name).verdicts.map((v) => v.kind).join(', ') || 'none'}`);
  return found[0];
}

function frameNames(v: VerdictJson): string[] {
  return v.frames.map((f) => `${f.class.slice(f.class.lastIndexOf('.') + 1)}.${f.method}(${f.file}:${f.line})`);
}

function threadNames(r: DumpReport, v: VerdictJson): string[] {
  return v.threads.map((id) => r.threads.items.find((t) => t.id === id)?.name ?? id);
}

describe('every verdict kind has at least two positive and two negative fixtures', () => {
  for (const kind of KINDS) {
    const cases = readdirSync(join(root, kind));
    test(kind, () => {
      assert.ok(cases.filter((c) => c.startsWith('positive-')).length >= 2, `positive cases of ${kind}`);
      assert.ok(cases.filter((c) => c.startsWith('negative-')).length >= 2, `negative cases of ${kind}`);
    });
    for (const name of cases) {
      const positive = name.startsWith('positive-');
      test(`${kind}/${name} ${positive ? 'yields' : 'does not yield'} ${kind}`, () => {
        const kinds = report(kind, name).verdicts.map((v) => v.kind);
        assert.equal(kinds.includes(kind), positive, `verdicts: ${kinds.join(', ') || 'none'}`);
      });
    }
  }
});

describe('self-call-deadlock', () => {
  test('loopback: workers of 8080 wait on HTTP calls to 127.0.0.1:8080 that the same pid makes: near-certain', () => {
    const v = verdict('self-call-deadlock', 'positive-loopback');
    assert.ok(v.confidence >= 0.9, `confidence ${v.confidence}`);
    assert.equal(v.evidence.details.basis, 'proven');
    assert.equal(v.evidence.details.pool, 'http-nio-8080-exec');
    // 10 outbound loopback connections of pid 4242 to :8080, 8 of them with their inbound end listed.
    assert.equal(v.evidence.counts.selfConnections, 18);
    assert.equal(v.evidence.counts.closeWait, 23);
    assert.equal(v.evidence.counts.stuckWorkers, 10);
    assert.deepEqual(frameNames(v), ['FragmentLoader.load(FragmentLoader.java:58)', 'PageController.renderAsync(PageController.java:120)']);
    const r = report('self-call-deadlock', 'positive-loopback');
    const link = r.links.find((l) => l.reason === 'self-call');
    assert.equal(link?.threads.length, 10);
    assert.equal(link?.sockets.length, 18);
  });

  test("own address: Apache HttpClient calls https://192.168.40.12:8443 from the server's own pool", () => {
    const v = verdict('self-call-deadlock', 'positive-own-address');
    assert.ok(v.confidence >= 0.9);
    assert.equal(v.title, 'Self-call deadlock on port 8443');
    assert.equal(v.evidence.details.pool, 'https-jsse-nio-8443-exec');
    assert.equal(v.evidence.counts.selfConnections, 10);
    assert.equal(v.evidence.counts.closeWait, 12);
    assert.deepEqual(frameNames(v), ['InventoryClient.reserve(InventoryClient.java:112)']);
    assert.match(v.summary, /HTTP response \(Apache HttpClient\)/);
  });

  // The proof does not depend on the pool's name or the HTTP client: both ends of connections to its own port,
  // workers blocked under a call, no free worker or inner requests left unread.
  test('Jetty (pool qtp…) with RestTemplate over HttpURLConnection on JDK 17: proven, the code link is the caller', () => {
    const v = verdict('self-call-deadlock', 'positive-jetty-resttemplate');
    assert.equal(v.evidence.details.basis, 'proven');
    assert.equal(v.evidence.details.pool, 'qtp1149319664');
    assert.equal(v.evidence.details.client, 'HttpURLConnection');
    // 6 callers on 127.0.0.1 → :8080, each with its accepted end (Recv-Q 187: the inner request nobody read).
    assert.deepEqual([v.evidence.counts.bothEnds, v.evidence.counts.unansweredInnerRequests, v.evidence.counts.stuckWorkers, v.evidence.counts.closeWait], [6, 6, 6, 9]);
    assert.ok(v.confidence >= 0.9, `confidence ${v.confidence}`);
    assert.deepEqual(frameNames(v), ['PriceClient.currentPrice(PriceClient.java:41)']);
    assert.match(v.summary, /process 31337 \(java\) owns both ends of 6 connections to its own port 8080/);
  });

  test('Undertow (XNIO-1 task-N) blocked in WebClient … block(): a reactive wait under a request is a call too', () => {
    const v = verdict('self-call-deadlock', 'positive-undertow-webclient-block');
    assert.equal(v.evidence.details.basis, 'proven');
    assert.equal(v.evidence.details.pool, 'XNIO-1 task');
    assert.equal(v.evidence.details.waitingIn, 'in Mono.block');
    assert.deepEqual([v.evidence.counts.bothEnds, v.evidence.counts.stuckWorkers], [4, 4]);
    assert.deepEqual(frameNames(v), ['InventoryGateway.reserve(InventoryGateway.java:52)']);
  });

  test('a Netty server handing work to an executor of any name that calls its own port with Apache HttpClient 5', () => {
    const v = verdict('self-call-deadlock', 'positive-netty-executor-apache5');
    assert.equal(v.evidence.details.basis, 'proven');
    assert.equal(v.evidence.details.pool, 'report-exec');
    assert.equal(v.evidence.details.client, 'Apache HttpClient');
    // Netty's event loops read the inner requests (Recv-Q 0); the executor has no worker left to run them.
    assert.deepEqual([v.evidence.counts.bothEnds, v.evidence.counts.unansweredInnerRequests, v.evidence.counts.stuckWorkers], [3, 0, 3]);
    assert.deepEqual(frameNames(v), ['ChartRenderer.render(ChartRenderer.java:64)']);
  });

  test('calling itself with workers to spare: named, but not as a deadlock, and not above 0.5', () => {
    const v = verdict('self-call-deadlock', 'positive-calling-itself-idle-workers');
    assert.equal(v.evidence.details.basis, 'calling-itself');
    assert.equal(v.title, 'Self-call on port 8080 (not deadlocked yet)');
    assert.ok(v.confidence <= 0.5, `confidence ${v.confidence}`);
    assert.match(v.summary, /not deadlocked at this moment \(3 workers idle/);
  });

  test('the evidence shows both ends of each call side by side', () => {
    const v = verdict('self-call-deadlock', 'positive-jetty-resttemplate');
    const rows = v.evidence.lines.filter((l) => l.input === 1).map((l) => l.text.split(/\s+/).slice(3, 5).join(' '));
    assert.deepEqual(rows.slice(0, 4), ['127.0.0.1:41822 127.0.0.1:8080', '127.0.0.1:8080 127.0.0.1:41822', '127.0.0.1:41836 127.0.0.1:8080', '127.0.0.1:8080 127.0.0.1:41836']);
  });

  test('listing only: the self-connections are there, the stuck pool is not visible: middling confidence, asks for a dump', () => {
    const v = verdict('self-call-deadlock', 'positive-listing-only');
    assert.equal(v.evidence.details.basis, 'no-dump');
    assert.ok(v.confidence < verdict('self-call-deadlock', 'positive-loopback').confidence);
    assert.equal(v.evidence.counts.selfConnections, 12);
    assert.equal(v.evidence.counts.closeWait, 14);
    assert.match(v.summary, /thread dump/);
  });

  test('a local health checker (another pid) connecting to 8080 is not a self-call', () => {
    const r = report('self-call-deadlock', 'negative-idle-healthcheck');
    assert.deepEqual(r.verdicts, []);
  });

  test('workers busy in database reads leave CLOSE_WAIT on 8080 but call no one on 8080', () => {
    const kinds = report('self-call-deadlock', 'negative-database-waits').verdicts.map((v) => v.kind);
    assert.deepEqual(kinds, ['slow-peer']);
  });
});

describe('socket-leak', () => {
  test('40 CLOSE_WAIT to 93.184.216.34:443 and no thread reading: the application never closes responses', () => {
    const v = verdict('socket-leak', 'positive-outbound-http');
    assert.equal(v.evidence.details.endpoint, 'to 93.184.216.34:443');
    assert.deepEqual([v.evidence.counts.closeWait, v.evidence.counts.readingThreads, v.evidence.counts.unreadData], [40, 0, 15]);
    assert.equal(v.sockets.length, 40);
    assert.ok(v.confidence >= 0.75);
    assert.match(v.summary, /never called close\(\)/);
  });

  test('120 CLOSE_WAIT to an IPv6 peer, listing only: lower confidence, asks for a dump', () => {
    const v = verdict('socket-leak', 'positive-listing-only');
    assert.equal(v.evidence.details.endpoint, 'to [2606:4700::6810:85e5]:443');
    assert.equal(v.evidence.counts.closeWait, 120);
    assert.equal(v.evidence.counts.unreadData, 24);
    assert.ok(v.confidence < verdict('socket-leak', 'positive-outbound-http').confidence);
    assert.match(v.summary, /thread dump/);
  });

  test('twelve threads still reading from the peer whose twelve connections are in CLOSE_WAIT: no leak, no slow peer', () => {
    assert.deepEqual(report('socket-leak', 'negative-being-read').verdicts, []);
  });
});

describe('pool-exhaustion', () => {
  test('25 threads wait in AbstractConnPool while exactly 2 connections to the peer exist: the default per-route limit', () => {
    const v = verdict('pool-exhaustion', 'positive-apache-httpclient');
    assert.equal(v.evidence.details.library, 'Apache HttpClient 4');
    assert.deepEqual([v.evidence.counts.waitingThreads, v.evidence.counts.connectionsToPeer], [25, 2]);
    assert.equal(v.evidence.details.route, '10.30.0.8:443');
    assert.equal(v.evidence.details.pool, 'PoolingHttpClientConnectionManager');
    assert.equal(v.title, 'Apache HttpClient 4 connection pool exhausted: route 10.30.0.8:443');
    assert.equal(v.evidence.details.defaultLimit, 'yes');
    assert.ok(v.confidence >= 0.85);
    assert.deepEqual(frameNames(v), ['PaymentGatewayClient.authorize(PaymentGatewayClient.java:77)']);
  });

  test('12 threads wait in HikariPool.getConnection while its 10 connections read from PostgreSQL', () => {
    const v = verdict('pool-exhaustion', 'positive-hikari');
    assert.equal(v.evidence.details.library, 'HikariCP');
    assert.equal(v.evidence.details.pool, 'HikariPool');
    assert.deepEqual([v.evidence.counts.waitingThreads, v.evidence.counts.connectionsToPeer], [12, 10]);
    assert.deepEqual(frameNames(v), ['OrderRepository.findOpen(OrderRepository.java:57)']);
    // The slow database behind it is named too.
    assert.equal(report('pool-exhaustion', 'positive-hikari').verdicts.find((x) => x.kind === 'slow-peer')?.evidence.details.peer, '10.0.3.10:5432');
  });

  test('every worker of pool-3-thread waits in FutureTask.get: the executor starves itself', () => {
    const v = verdict('pool-exhaustion', 'positive-executor');
    assert.equal(v.title, 'Executor pool-3-thread exhausted');
    assert.deepEqual(threadNames(report('pool-exhaustion', 'positive-executor'), v), ['pool-3-thread-1', 'pool-3-thread-2', 'pool-3-thread-3', 'pool-3-thread-4']);
    assert.deepEqual(frameNames(v), ['ReportAssembler.assemble(ReportAssembler.java:88)']);
  });
});

describe('java-deadlock', () => {
  test('two monitors taken in opposite order, without a JVM report: computed from the lock lines', () => {
    const v = verdict('java-deadlock', 'positive-computed-monitors');
    assert.equal(v.confidence, 0.9);
    assert.equal(v.evidence.details.reportedByJvm, 'no');
    assert.equal(v.evidence.counts.waitingBehind, 3);
    const r = report('java-deadlock', 'positive-computed-monitors');
    assert.deepEqual(threadNames(r, v).slice(0, 2).sort(), ['order-sync-1', 'order-sync-2']);
    assert.deepEqual(frameNames(v).sort(), ['OrderBook.cancel(OrderBook.java:151)', 'StockLedger.reserve(StockLedger.java:64)']);
  });

  test('two ReentrantLocks: parking to wait for one, holding the other as an ownable synchronizer', () => {
    const v = verdict('java-deadlock', 'positive-reentrantlock');
    assert.deepEqual(threadNames(report('java-deadlock', 'positive-reentrantlock'), v).sort(), ['transfer-1', 'transfer-2']);
    assert.deepEqual(frameNames(v), ['Transfers.move(Transfers.java:48)']);
  });

  test('jcmd JSON of JDK 25: blockedOn and monitorsOwned', () => {
    const r = report('java-deadlock', 'positive-jcmd-json');
    const v = verdict('java-deadlock', 'positive-jcmd-json');
    assert.deepEqual(threadNames(r, v).sort(), ['ledger-auditor', 'ledger-writer']);
    assert.deepEqual(frameNames(v).sort(), ['Account.balance(Account.java:41)', 'Journal.append(Journal.java:52)']);
    assert.deepEqual(r.threads.byState, { WAITING: 2, BLOCKED: 2, RUNNABLE: 1 });
  });

  test('a dump that repeats its threads (two pastes spliced): the cycle is between the holders the lock table shows', () => {
    const text = readFileSync(join(root, 'java-deadlock', 'positive-computed-monitors', 'jstack.txt'), 'utf8');
    const threads = text.slice(text.indexOf('\n"') + 1);
    const r = analyzeDump([{ name: 'spliced.txt', text: `${text}\n${threads}` }]);
    const v = r.verdicts.filter((x) => x.kind === 'java-deadlock');
    assert.equal(v.length, 1);
    const copies = r.threads.items.filter((t) => t.name === 'order-sync-1' || t.name === 'order-sync-2');
    assert.equal(copies.length, 4);
    // The first copies, in dump order: each holds the lock the other waits for, as the lock table says.
    assert.deepEqual(v[0].threads.slice(0, 2), copies.slice(0, 2).map((t) => t.id));
    for (const lock of r.locks.filter((l) => v[0].evidence.details.locks.includes(l.address))) assert.ok(v[0].threads.slice(0, 2).includes(lock.holder ?? ''), lock.address);
    assert.equal(v[0].evidence.counts.waitingBehind, 3 * 2 + 2);
  });

  test('Object.wait() releases its monitor: a `locked` line above `waiting on` the same object is no edge', () => {
    assert.deepEqual(report('java-deadlock', 'negative-wait-releases').verdicts, []);
  });
});

describe('port-exhaustion', () => {
  test('970 connections to 10.9.8.7:80 in a 1,000-port range printed by sysctl', () => {
    const v = verdict('port-exhaustion', 'positive-linux-sysctl');
    assert.equal(v.evidence.details.range, '50000-50999');
    assert.deepEqual([v.evidence.counts.connections, v.evidence.counts.timeWait, v.evidence.counts.rangeSize], [970, 950, 1000]);
    assert.ok(v.confidence >= 0.9);
    assert.match(v.summary, /tcp_tw_reuse/);
    assert.match(v.summary, /never enable net\.ipv4\.tcp_tw_recycle/);
    assert.match(v.summary, /keep-alive/);
  });

  test('Windows: the range from `netsh int ipv4 show dynamicport tcp`, 760 of 1,000 ports used', () => {
    const v = verdict('port-exhaustion', 'positive-windows-netsh');
    assert.equal(v.evidence.details.range, '60000-60999');
    assert.deepEqual([v.evidence.counts.connections, v.evidence.counts.timeWait], [760, 700]);
    assert.ok(v.confidence < verdict('port-exhaustion', 'positive-linux-sysctl').confidence);
  });

  test("27,000 TIME_WAIT to one database in Linux's default range of 28,232 ports", () => {
    const rows = ['Proto Recv-Q Send-Q Local Address           Foreign Address         State'];
    for (let k = 0; k < 27000; k++) rows.push(`tcp        0      0 10.0.4.21:${32768 + k}         10.0.7.7:5432           TIME_WAIT`);
    const [v] = analyzeDump(rows.join('\n')).verdicts;
    assert.equal(v?.kind, 'port-exhaustion');
    assert.equal(v.evidence.details.range, '32768-60999');
    assert.equal(v.evidence.counts.connections, 27000);
  });
});

describe('slow-peer', () => {
  test('30 workers read from 10.3.3.3:8443 over 30 open connections, none closed by the peer', () => {
    const v = verdict('slow-peer', 'positive-apache-httpclient');
    assert.equal(v.evidence.details.peer, '10.3.3.3:8443');
    assert.equal(v.evidence.details.client, 'Apache HttpClient');
    assert.deepEqual([v.evidence.counts.readingThreads, v.evidence.counts.connectionsToPeer], [30, 30]);
    assert.ok(v.confidence >= 0.8);
    assert.deepEqual(frameNames(v), ['PricingClient.fetchQuote(PricingClient.java:64)']);
  });

  test('OkHttp on JDK 17 (NioSocketImpl) towards an IPv6 peer', () => {
    const v = verdict('slow-peer', 'positive-okhttp-ipv6');
    assert.equal(v.title, 'Slow peer: [2001:db8:4::10]:443');
    assert.equal(v.evidence.details.client, 'OkHttp');
    assert.deepEqual(frameNames(v), ['RecommendationClient.fetch(RecommendationClient.kt:48)']);
  });

  test('when the peer has closed some of them (CLOSE_WAIT), it is not merely slow', () => {
    assert.equal(report('slow-peer', 'negative-peer-closes').verdicts.filter((v) => v.kind === 'slow-peer').length, 0);
  });
});

describe('no verdict when nothing stands out', () => {
  test('an idle server and a quiet listing', () => {
    const r = report('pool-exhaustion', 'negative-executor-has-idle');
    assert.deepEqual(r.verdicts, []);
    assert.deepEqual(report('socket-leak', 'negative-few').verdicts, []);
  });
});
