// The report as the CLI prints it and the panel reads it: the JSON contract, stable ids that link threads, groups,
// sockets and verdicts, the Markdown export, and which frames count as the user's code.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { analyzeDump, count, isApplicationFrame, reportToMarkdown, summarizeSocketTable, type DumpReport } from '../../src/dump/index';
import { analyzeDirectory, analyzeFiles, corpus, fixture, fixtureRoot, incidentRoot } from './support';

const incident = analyzeFiles(['jstack.txt', 'netstat.txt', 'lsof.txt'].map((f) => join(incidentRoot, f)));
const loopback = analyzeDirectory(join(fixtureRoot, 'verdicts', 'self-call-deadlock', 'positive-loopback'));
const sap = analyzeFiles([corpus('threaddumps/tda-old__sapdump.log')]);

describe('JSON contract', () => {
  test('threads, sockets, verdicts and unparsed come first, with the names of the contract', () => {
    assert.deepEqual(Object.keys(incident).slice(0, 4), ['threads', 'sockets', 'verdicts', 'unparsed']);
    for (const key of ['total', 'byState', 'groups', 'pools']) assert.ok(key in incident.threads, `threads.${key}`);
    for (const key of ['total', 'byState', 'listening', 'byLocalPort']) assert.ok(key in incident.sockets, `sockets.${key}`);
    const [verdict] = incident.verdicts;
    assert.deepEqual(Object.keys(verdict).filter((k) => !['id', 'title', 'why'].includes(k)), ['kind', 'confidence', 'summary', 'evidence', 'threads', 'sockets', 'frames']);
    assert.match(verdict.why, /CLOSE_WAIT/);
    assert.deepEqual(Object.keys(verdict.frames[0]), ['class', 'method', 'file', 'line']);
  });

  test('plain data: survives JSON.stringify and JSON.parse unchanged', () => {
    for (const report of [incident, loopback, sap]) assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });

  test('every confidence is within 0..1 and verdicts come most confident first', () => {
    const many = analyzeDirectory(join(fixtureRoot, 'verdicts', 'pool-exhaustion', 'positive-hikari'));
    assert.ok(many.verdicts.length >= 2);
    for (const report of [incident, loopback, many]) {
      const confidences = report.verdicts.map((v) => v.confidence);
      assert.ok(confidences.every((c) => c >= 0 && c <= 1));
      assert.deepEqual(confidences, [...confidences].sort((a, b) => b - a));
    }
  });

  test('threads by state: every thread counted once, the states in the order the dumps first show them', () => {
    const several = analyzeFiles([fixture('over-time/jcmd-three-dumps.txt'), corpus('threaddumps/tda-old__sapdump.log'), join(incidentRoot, 'jstack.txt')]);
    for (const report of [incident, sap, several]) {
      const expected = new Map<string, number>();
      for (const t of report.threads.items) expected.set(t.state, (expected.get(t.state) ?? 0) + 1);
      assert.deepEqual(Object.entries(report.threads.byState), [...expected]);
    }
    assert.ok(Object.keys(several.threads.byState).length >= 4);
  });

  test('per-input metadata for the panel: name, label, formats, counts', () => {
    assert.deepEqual(
      incident.inputs.map((i) => [i.name, i.formats, i.threads, i.sockets]),
      [
        ['jstack.txt', ['hotspot'], 1, 0],
        ['netstat.txt', ['netstat-linux'], 0, 7],
        ['lsof.txt', ['lsof'], 0, 7],
      ],
    );
  });
});

describe('ids and links', () => {
  function checkIds(report: DumpReport): void {
    const threadIds = new Set(report.threads.items.map((t) => t.id));
    const socketIds = new Set(report.sockets.items.map((s) => s.id));
    const groupIds = new Set(report.threads.groups.map((g) => g.id));
    assert.equal(threadIds.size, report.threads.items.length, 'thread ids are unique');
    assert.equal(socketIds.size, report.sockets.items.length, 'socket ids are unique');
    assert.equal(groupIds.size, report.threads.groups.length, 'group ids are unique');
    for (const t of report.threads.items) assert.ok(groupIds.has(t.group), `group of ${t.id}`);
    const threadRefs = [
      ...report.threads.groups.flatMap((g) => g.threads),
      ...report.threads.pools.flatMap((p) => p.threads),
      ...report.links.flatMap((l) => l.threads),
      ...report.verdicts.flatMap((v) => v.threads),
    ];
    const socketRefs = [...report.sockets.table.flatMap((r) => r.sockets), ...report.links.flatMap((l) => l.sockets), ...report.verdicts.flatMap((v) => v.sockets)];
    for (const id of threadRefs) assert.ok(threadIds.has(id), `thread ${id}`);
    for (const id of socketRefs) assert.ok(socketIds.has(id), `socket ${id}`);
    assert.equal(report.threads.groups.reduce((n, g) => n + g.count, 0), report.threads.total, 'every thread is in one group');
  }

  test('every id a group, pool, link, verdict or table row names exists', () => {
    checkIds(incident);
    checkIds(loopback);
    checkIds(sap);
  });

  test('the same input gives the same ids (stable for the panel across re-analysis)', () => {
    const again = analyzeDirectory(join(fixtureRoot, 'verdicts', 'self-call-deadlock', 'positive-loopback'));
    assert.deepEqual(again.verdicts.map((v) => [v.id, v.threads, v.sockets]), loopback.verdicts.map((v) => [v.id, v.threads, v.sockets]));
  });

  test('a CLOSE_WAIT row of the table leads to the workers of its port, and back', () => {
    const row = loopback.sockets.table.find((r) => r.state === 'CLOSE_WAIT' && r.port === 8080);
    assert.ok(row);
    const links = loopback.links.filter((l) => l.sockets.some((id) => row.sockets.includes(id)));
    const threads = new Set(links.flatMap((l) => l.threads));
    const names = [...threads].map((id) => loopback.threads.items.find((t) => t.id === id)?.name);
    assert.equal(names.length, 10);
    assert.ok(names.every((n) => n?.startsWith('http-nio-8080-exec-')));
  });

  test('a dump is joined only with the sockets of its own process', () => {
    const dump = [
      '$ jstack 1111',
      '"http-nio-8080-exec-1" #40 daemon prio=5 os_prio=0 tid=0x00007f0000001000 nid=0x101 waiting on condition [0x00007e0000001000]',
      '   java.lang.Thread.State: WAITING (parking)',
      '\tat jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)',
      '\tat java.util.concurrent.FutureTask.get(java.base@17.0.9/FutureTask.java:190)',
      '\tat com.acme.web.Page.render(Page.java:12)',
    ];
    const rows = ['tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      2222/java'];
    for (let k = 0; k < 12; k++) rows.push(`tcp        1      0 10.0.0.5:8080           10.9.0.${k + 1}:${40000 + k}       CLOSE_WAIT  2222/java`);
    const report = analyzeDump([...dump, ...rows].join('\n'));
    assert.equal(report.dumps[0].pid, 1111);
    assert.deepEqual(report.links, []);
    assert.equal(report.verdicts.filter((v) => v.kind === 'self-call-deadlock').length, 0);
  });

  test('folded for reading: one row per port, direction and state, with its remote hosts', () => {
    const [first] = summarizeSocketTable(loopback.sockets.table);
    assert.deepEqual([first.port, first.direction, first.state, first.count, first.remoteHosts.length], [8080, 'inbound', 'CLOSE_WAIT', 23, 23]);
    assert.match(reportToMarkdown(loopback), /\| 8080 \| inbound \| CLOSE_WAIT \| 23 \| 23 hosts: 10\.20\.0\.15, 10\.20\.1\.16, 10\.20\.2\.17, \.\.\. \|/);
  });

  test('the socket table groups by port, remote host and state, with counts', () => {
    const rows = loopback.sockets.table.filter((r) => r.state === 'ESTABLISHED' && r.port === 5432);
    assert.deepEqual(rows.map((r) => [r.direction, r.remoteHost, r.count, r.pids]), [['outbound', '10.0.3.10', 10, [4242]]]);
    assert.equal(loopback.sockets.table.reduce((n, r) => n + r.count, 0), loopback.sockets.total);
  });
});

describe('reportToMarkdown', () => {
  test('an incident ticket: verdicts, evidence lines, the socket and thread tables', () => {
    const markdown = reportToMarkdown(loopback);
    assert.match(markdown, /^# Thread dump and socket analysis\n/);
    assert.match(markdown, /### 1\. Self-call deadlock on port 8080 \(self-call-deadlock, confidence 99%\)/);
    assert.match(markdown, /\| connections from the process to its own port \| 18 \|/);
    assert.match(markdown, /```text\njstack\.txt:\d+ {2}"http-nio-8080-exec-/);
    assert.match(markdown, /\| http-nio-8080-exec \| 8080 \| 10 \| 10 \| 10 \| 0 \|/);
    assert.match(markdown, /> at com\.acme\.portal\.content\.FragmentLoader\.load\(FragmentLoader\.java:58\)/);
  });

  test('says so when nothing stands out; thread names are inline code', () => {
    const report = analyzeDump('"a|b" #1 prio=5 os_prio=0 tid=0x1 nid=0x2 runnable [0x0]\n   java.lang.Thread.State: RUNNABLE\n\tat com.x.Y.run(Y.java:1)\n');
    const markdown = reportToMarkdown(report);
    assert.match(markdown, /Nothing stands out/);
    assert.match(markdown, /: `a\|b`$/m);
  });

  test('markup in a thread name stays text in the Markdown report (Copy report as Markdown)', () => {
    const report = analyzeDump('"<img src=x onerror=alert(1)>" #1 prio=5 os_prio=0 tid=0x1 nid=0x2 runnable [0x0]\n   java.lang.Thread.State: RUNNABLE\n"<script>alert(2)</script>" #2 prio=5 os_prio=0 tid=0x3 nid=0x4 runnable [0x0]\n   java.lang.Thread.State: BLOCKED\n');
    assert.equal(report.threads.items[0].name, '<img src=x onerror=alert(1)>');
    const html = new MarkdownIt({ html: true }).render(reportToMarkdown(report));
    assert.doesNotMatch(html, /<img|<script/);
    assert.match(html, /<code>&lt;img src=x onerror=alert\(1\)&gt;<\/code>/);
    assert.match(html, /<code>&lt;script&gt;alert\(2\)&lt;\/script&gt;<\/code>/);
  });
});

describe('isApplicationFrame', () => {
  test("the user's own classes", () => {
    for (const c of ['net.daum.crystal.core.execute.SearchManager', 'com.acme.portal.web.PageController', 'NativeHeapBreaker', 'de.beispiel.größe.Berechnung']) {
      assert.equal(isApplicationFrame(c), true, c);
    }
  });

  test('JDK, servers, frameworks, clients, drivers and generated classes are not', () => {
    for (const c of [
      'java.util.concurrent.FutureTask',
      'jdk.internal.misc.Unsafe',
      'sun.nio.ch.NioSocketImpl',
      'com.sun.proxy.$Proxy12',
      'org.apache.catalina.core.ApplicationFilterChain',
      'org.apache.tomcat.util.net.NioEndpoint$SocketProcessor',
      'org.apache.http.impl.client.CloseableHttpClient',
      'io.netty.channel.nio.NioEventLoop',
      'org.eclipse.jetty.server.HttpChannel',
      'org.springframework.web.servlet.DispatcherServlet',
      'okhttp3.internal.connection.RealCall',
      'com.zaxxer.hikari.pool.HikariPool',
      'org.postgresql.core.PGStream',
      'kotlinx.coroutines.BlockingCoroutine',
      'com.acme.reports.ReportAssembler$$Lambda$412/0x0000000800a4e440',
      'jdk.internal.reflect.GeneratedMethodAccessor211',
      'sun.reflect.GeneratedMethodAccessor211',
    ]) {
      assert.equal(isApplicationFrame(c), false, c);
    }
  });

  test('group stacks flag the application frames the panel links to the editor', () => {
    const group = incident.threads.groups[0];
    assert.deepEqual(group.frames.map((f) => f.app), [false, false, false, false, false, true, true]);
    assert.equal(group.appFrame?.line, 104);
  });
});

describe('labels of inputs', () => {
  test('a thread dump by tool, JDK and count; a listing by command and count', () => {
    assert.equal(analyzeFiles([fixture('formats/kill3-catalina.out')]).inputs[0].label, 'jstack, JDK 11, 10 threads');
    assert.equal(analyzeFiles([corpus('threaddumps/tda__intellij_dump.json')]).inputs[0].label, 'jcmd Thread.dump_to_file (JSON), JDK 21, 8 threads');
    assert.equal(analyzeFiles([corpus('threaddumps/openj9-docs__dump_javadump.md__javacore-excerpts.txt')]).inputs[0].label, 'OpenJ9 javacore, JDK 9, 2 threads');
    assert.equal(loopback.inputs[1].label, 'ss -tanp, 60 sockets');
  });
});

describe('numbers in the report', () => {
  test('counts are grouped by thousands as en-US writes them, for any whole number', () => {
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.nat(2_000_000), fc.constant(Number.MIN_SAFE_INTEGER)), (n) => count(n) === n.toLocaleString('en-US')));
  });
});
