// What peers show beside verdicts, on dumps printed by real JVMs: the lock table, top running methods, several
// dumps over time (test/fixtures/dumps/over-time: three `jcmd Thread.print` of SlowIncident.java, 12 s apart), the
// over-time view feeding verdict confidence, and virtual threads pinning their carriers. Expectations are read from
// the dump text with plain patterns.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDump, type DumpReport } from '../../src/dump/index';
import { analyzeFiles, corpus, fixture, incidentRoot, readInput } from './support';

const threeDumps = readInput(fixture('over-time/jcmd-three-dumps.txt'));
const dumpTexts = threeDumps.split(/^(?=\$ jcmd)/m);

/** Thread name -> its state and first 8 frame lines, per dump, straight from the text; and the threads running our code. */
const ownCode = new Set<string>();
function stacksOf(text: string): Map<string, string> {
  const stacks = new Map<string, string>();
  for (const block of text.split(/\n(?=")/)) {
    const name = /^"([^"]+)"/.exec(block)?.[1];
    if (name === undefined) continue;
    const state = /java\.lang\.Thread\.State: (\w+)/.exec(block)?.[1] ?? '';
    stacks.set(name, `${state}|${(block.match(/^\tat .*$/gm) ?? []).slice(0, 8).join('|')}`);
    if (/^\tat SlowIncident/m.test(block)) ownCode.add(name);
  }
  return stacks;
}

function nameOf(report: DumpReport, id: string | null): string | undefined {
  return report.threads.items.find((t) => t.id === id)?.name;
}

describe('the lock table', () => {
  test('every contended monitor with its holder, where it was taken, and its waiters, per dump', () => {
    const report = analyzeFiles([fixture('over-time/jcmd-three-dumps.txt')]);
    const contended = report.locks.filter((l) => l.acquiring.length > 0);
    const address = /waiting to lock <(0x[0-9a-f]+)>/.exec(threeDumps)?.[1];
    assert.equal(contended.length, dumpTexts.length);
    for (const lock of contended) {
      assert.equal(lock.address, address);
      assert.equal(nameOf(report, lock.holder), 'cache-loader');
      assert.equal(lock.heldAt?.text, 'SlowIncident.loadCache(SlowIncident.java:88)');
      assert.deepEqual(lock.acquiring.map((id) => nameOf(report, id)), ['price-reader-1', 'price-reader-2']);
    }
    const waiting = report.locks.filter((l) => l.waitingForNotification.length > 0);
    assert.equal(waiting.length, (threeDumps.match(/- waiting on </g) ?? []).length);
  });

  test('JMX text: the ReentrantLock queue is an acquisition, Condition.await and Object.wait wait for a signal', () => {
    const report = analyzeFiles([fixture('formats/jmx-threadinfo-tostring.txt')]);
    const byHolder = (name: string) => report.locks.find((l) => nameOf(report, l.holder) === name);
    assert.deepEqual(byHolder('holder')?.acquiring.map((id) => nameOf(report, id)), ['http-worker-1', 'http-worker-2']);
    const ledger = byHolder('lock-owner');
    assert.equal(ledger?.kind, 'synchronizer');
    assert.deepEqual(ledger?.acquiring.map((id) => nameOf(report, id)), ['ledger-writer']);
    const notified = report.locks.flatMap((l) => l.waitingForNotification.map((id) => nameOf(report, id)));
    assert.ok(notified.includes('queue-consumer') && notified.includes('notifier-wait'));
    assert.equal(report.locks[0].acquiring.length, 2, 'the most contended lock comes first');
  });

  test('a holder known only by a waiter\'s `owned by` line is named, though its stack is missing', () => {
    const text = readInput(fixture('formats/actuator-threaddump.txt'));
    const cut = text.slice(0, text.indexOf('"holder"')) + text.slice(text.indexOf('"lock-owner"'));
    const report = analyzeDump(cut);
    const lock = report.locks.find((l) => l.acquiring.length === 2);
    assert.deepEqual([lock?.holder, lock?.holderName], [null, 'holder']);
  });
});

describe('top running methods', () => {
  test('the top frames of running application threads, counted over every dump', () => {
    const report = analyzeFiles([fixture('over-time/jcmd-three-dumps.txt')]);
    // report-builder and cache-loader both compute in checksum() in each of the three dumps.
    const expected = dumpTexts.reduce((n, d) => n + (d.match(/State: RUNNABLE\n\tat SlowIncident\.checksum/g) ?? []).length, 0);
    assert.equal(report.topMethods[0].frame.text, 'SlowIncident.checksum(SlowIncident.java:78)');
    assert.equal(report.topMethods[0].count, expected);
    assert.equal(report.topMethods[0].dumps, 3);
    assert.ok(report.topMethods.every((m) => !m.frame.text.includes('SocketDispatcher')), 'socket reads are waits, not running code');
  });
});

describe('several dumps over time', () => {
  const report = analyzeFiles([fixture('over-time/jcmd-three-dumps.txt')]);
  const stacks = dumpTexts.filter((d) => d.includes('"')).map(stacksOf);

  test('the series: the three dumps of pid 3809, 24 s apart by their timestamps', () => {
    const times = [...threeDumps.matchAll(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)$/gm)].map((m) => Date.parse(m[1].replace(' ', 'T')));
    assert.deepEqual(report.overTime?.dumps, [0, 1, 2]);
    assert.equal(report.overTime?.seconds, (times[2] - times[0]) / 1000);
    assert.equal(report.overTime?.pid, Number(/^\$ jcmd (\d+)/m.exec(threeDumps)?.[1]));
  });

  test('stuck: same state and frames in every dump, resting threads (accept, sleep, idle pools, JVM threads) left out', () => {
    const everywhere = [...stacks[0].keys()].filter((name) => stacks.every((s) => s.get(name) === stacks[0].get(name)));
    const resting = ['acceptor', 'silent-peer', 'main'];
    const jvm = everywhere.filter((name) => !ownCode.has(name) && !(stacks[0].get(name) ?? '').startsWith('BLOCKED'));
    const expected = everywhere.filter((name) => !resting.includes(name) && !jvm.includes(name));
    assert.deepEqual(report.overTime?.stuck.map((s) => s.name).sort(), expected.sort());
    assert.ok(expected.includes('fetch-1') && !expected.includes('fetch-3'), 'fetch-3 started after the first dump');
  });

  test('hot threads: the CPU time cpu= grew by, largest first', () => {
    const cpu = (name: string, d: string) => Number(new RegExp(`^"${name}" .*cpu=([\\d.]+)ms`, 'm').exec(d)?.[1]);
    const growth = (name: string) => Math.round((cpu(name, dumpTexts[2]) - cpu(name, dumpTexts[0])) * 100) / 100;
    assert.deepEqual(report.overTime?.hot.map((h) => [h.name, h.cpuMs]), [
      ['report-builder', growth('report-builder')],
      ['cache-loader', growth('cache-loader')],
    ]);
  });

  test('pools whose busy count rose: the fetch workers that each wait for a silent peer', () => {
    const workers = dumpTexts.filter((d) => d.includes('"')).map((d) => (d.match(/^"fetch-\d+"/gm) ?? []).length);
    assert.deepEqual(report.overTime?.pools, [{ name: 'fetch', busy: workers, size: workers }]);
  });

  test('one dump has no over-time view', () => {
    assert.equal(analyzeDump(dumpTexts[1]).overTime, null);
  });
});

describe('verdict confidence uses the over-time view', () => {
  const jstack = readFileSync(join(incidentRoot, 'jstack.txt'), 'utf8');
  const netstat = readFileSync(join(incidentRoot, 'netstat.txt'), 'utf8');
  const dated = (second: number) => jstack.replace(/^(\$ jstack \d+)$/m, `$1\n2024-03-05 14:20:${String(second).padStart(2, '0')}`);

  test('a self-call whose workers sit in the same frames in three dumps 20 s apart is surer than in one dump', () => {
    const once = analyzeDump([{ name: 'jstack', text: dated(0) }, { name: 'netstat', text: netstat }]).verdicts[0];
    const thrice = analyzeDump([{ name: 'jstack', text: [dated(0), dated(10), dated(20)].join('\n') }, { name: 'netstat', text: netstat }]).verdicts[0];
    assert.equal(once.kind, 'self-call-deadlock');
    assert.equal(thrice.kind, 'self-call-deadlock');
    assert.ok(thrice.confidence > once.confidence, `${thrice.confidence} > ${once.confidence}`);
    assert.equal(thrice.evidence.details.stuckFor, 'at least 20 s over 3 dumps');
    assert.equal(thrice.evidence.counts.stuckAcrossDumps, thrice.threads.length);
    assert.match(thrice.summary, /sat in the same frames for at least 20 s over 3 dumps/);
  });
});

describe('virtual threads pinning their carriers', () => {
  test('JDK 21: carriers whose virtual threads park while holding a monitor: a pinned-carrier verdict', () => {
    const text = readInput(fixture('formats/jdk21-pinned-carriers.txt'));
    const carriers = (text.match(/^\s+Carrying virtual thread #\d+$/gm) ?? []).length;
    const report = analyzeFiles([fixture('formats/jdk21-pinned-carriers.txt')]);
    const verdict = report.verdicts[0];
    assert.equal(verdict.kind, 'pinned-carrier');
    assert.deepEqual(verdict.evidence.counts, { pinnedCarriers: carriers, carriers });
    assert.equal(verdict.evidence.details.parkedOnCarrier, 'yes');
    assert.ok(verdict.confidence >= 0.9);
    assert.deepEqual(verdict.frames.map((f) => `${f.class}.${f.method}:${f.line}`), ['com.acme.stock.InventoryClient.reserve:77']);
    assert.ok(verdict.evidence.lines.some((l) => l.text.includes('- locked <')));
    assert.match(verdict.why, /carrier/);
  });

  test('virtual threads that run (JDK 25 corpus) pin nothing', () => {
    const report = analyzeFiles([corpus('threaddumps/jthreaddump__many-virtual-threads.txt')]);
    assert.equal(report.verdicts.filter((v) => v.kind === 'pinned-carrier').length, 0);
  });
});
