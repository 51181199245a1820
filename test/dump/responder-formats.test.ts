// The formats responders paste besides jstack: JMX ThreadInfo text, Spring Boot Actuator's /actuator/threaddump
// (JSON and text), JRockit, `jstack -F` and `jhsdb jstack`, dumps inside container logs, UTF-16BE files. Most
// fixtures were printed by a real JVM (test/fixtures/dumps/generators); expected counts are taken from the files
// with plain patterns, not from the parser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDump, decodeDumpBytes, type DumpReport, type ThreadJson } from '../../src/dump/index';
import { FrameTable } from '../../src/dump/threads/frame';
import { parseInput } from '../../src/dump/parse';
import { analyzeFiles, fixture, readInput } from './support';

function analyze(path: string): DumpReport {
  return analyzeFiles([fixture(path)]);
}

function named(report: DumpReport, name: string): ThreadJson {
  const found = report.threads.items.find((t) => t.name === name);
  assert.ok(found, `thread "${name}"`);
  return found;
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

function locksOf(path: string, name: string): [string, string | null, string | undefined][] {
  const parsed = parseInput(readInput(fixture(path)), 0, path, new FrameTable());
  const thread = parsed.dumps.flatMap((d) => d.threads).find((t) => t.name === name);
  assert.ok(thread, name);
  return thread.locks.map((l) => [l.kind, l.address, l.ownerName]);
}

describe('JMX ThreadInfo text', () => {
  const text = readInput(fixture('formats/jmx-threadinfo-tostring.txt'));
  const headers = [...text.matchAll(/^"([^"]+)"(?: daemon)? prio=\d+ Id=(\d+) (\w+)/gm)];

  test('ThreadInfo.toString(): every thread with its Id and state, none UNKNOWN; the 8-frame cut is named', () => {
    const report = analyze('formats/jmx-threadinfo-tostring.txt');
    assert.equal(report.inputs[0].label, `JMX ThreadInfo, JDK 17, ${headers.length} threads`);
    assert.deepEqual(report.threads.byState, tally(headers.map((h) => h[3])));
    assert.deepEqual(report.threads.items.map((t) => [t.name, t.number]), headers.map((h) => [h[1], Number(h[2])]));
    const cut = (text.match(/^\t\.\.\.$/gm) ?? []).length;
    assert.deepEqual(report.inputs[0].warnings, [`${cut} thread stacks are cut at 8 frames (ThreadInfo.toString() prints no more)`]);
    assert.equal(report.unparsed.total, 0);
  });

  test('locks: `-  blocked on` with the owner the header names, `-  locked`, a j.u.c wait is parking, not Object.wait', () => {
    const path = 'formats/jmx-threadinfo-tostring.txt';
    const monitor = /"http-worker-1".* BLOCKED on java\.lang\.Object@([0-9a-f]+) owned by "holder"/.exec(text)?.[1];
    assert.ok(monitor);
    assert.deepEqual(locksOf(path, 'http-worker-1'), [['waiting-to-lock', monitor, 'holder']]);
    assert.deepEqual(locksOf(path, 'holder'), [['locked', monitor, undefined]]);
    assert.equal(locksOf(path, 'notifier-wait')[0][0], 'waiting-on');
    assert.equal(locksOf(path, 'ledger-writer')[0][0], 'parking');
    assert.equal(locksOf(path, 'ledger-writer')[0][2], 'lock-owner');
  });

  test('the FullThreadDump style (`Id=12 in BLOCKED on lock=...`, ` owned by x Id=N`, `Locked synchronizers: count`)', () => {
    const report = analyze('formats/jmx-in-state.txt');
    const states = [...readInput(fixture('formats/jmx-in-state.txt')).matchAll(/^"[^"]+" Id=\d+ in (\w+)/gm)].map((m) => m[1]);
    assert.equal(report.inputs[0].label, `JMX ThreadInfo, JDK 17, ${states.length} threads`);
    assert.deepEqual(report.threads.byState, tally(states));
    assert.equal(report.unparsed.total, 0);
    assert.equal(locksOf('formats/jmx-in-state.txt', 'http-worker-2')[0][2], 'holder');
    const parsed = parseInput(readInput(fixture('formats/jmx-in-state.txt')), 0, 'x', new FrameTable());
    assert.equal(parsed.dumps[0].threads.find((t) => t.name === 'lock-owner')?.ownable.length, 1);
  });
});

describe('Spring Boot /actuator/threaddump', () => {
  const json = JSON.parse(readInput(fixture('formats/actuator-threaddump.json'))) as { threads: { threadName: string; threadState: string; stackTrace: unknown[]; lockedMonitors: unknown[] }[] };

  test('JSON (minified, as curl prints it): threads, states, frames and monitors as serialised', () => {
    const report = analyze('formats/actuator-threaddump.json');
    assert.equal(report.inputs[0].label, `Spring Boot /actuator/threaddump (JSON), ${json.threads.length} threads`);
    assert.deepEqual(report.threads.byState, tally(json.threads.map((t) => t.threadState)));
    for (const t of json.threads) {
      const group = report.threads.groups.find((g) => g.id === named(report, t.threadName).group);
      assert.equal(group?.frames.length, t.stackTrace.length, t.threadName);
    }
    assert.equal(report.unparsed.total, 0);
    const holder = locksOf('formats/actuator-threaddump.json', 'holder');
    assert.equal(holder.filter(([kind]) => kind === 'locked').length, json.threads.find((t) => t.threadName === 'holder')?.lockedMonitors.length);
    assert.equal(locksOf('formats/actuator-threaddump.json', 'http-worker-1')[0][2], 'holder');
  });

  test('pretty-printed JSON gives the same threads; a body cut short keeps the complete ones', () => {
    const text = readInput(fixture('formats/actuator-threaddump.json'));
    const pretty = analyzeDump(JSON.stringify(JSON.parse(text), null, 2));
    assert.deepEqual(pretty.threads.byState, analyze('formats/actuator-threaddump.json').threads.byState);
    assert.equal(pretty.threads.items.find((t) => t.name === 'busy-1')?.line, JSON.stringify(JSON.parse(text), null, 2).split('\n').findIndex((l) => l.includes('"busy-1"')) + 1);
    const cutAt = text.indexOf('"threadName":"busy-1"');
    const cut = analyzeDump(text.slice(0, cutAt + 60));
    assert.equal(cut.threads.total, json.threads.length - 1);
  });

  test('text/plain: VisualVM-like headers with `<hash> (a Class)` locks, told apart from VisualVM', () => {
    const text = readInput(fixture('formats/actuator-threaddump.txt'));
    const states = [...text.matchAll(/java\.lang\.Thread\.State: (\w+)/g)].map((m) => m[1]);
    const report = analyze('formats/actuator-threaddump.txt');
    assert.equal(report.inputs[0].label, `Spring Boot /actuator/threaddump (text), JDK 17, ${states.length} threads`);
    assert.deepEqual(report.threads.byState, tally(states));
    assert.equal(report.unparsed.total, 0);
    assert.equal(locksOf('formats/actuator-threaddump.txt', 'http-worker-1')[0][2], 'holder');
  });
});

describe('JRockit, jstack -F and jhsdb jstack', () => {
  test('JRockit R28: states from the header words, not UNKNOWN; slashed frames; lock lines; the lock chains skipped', () => {
    const text = readInput(fixture('formats/jrockit-r28.txt'));
    const headers = [...text.matchAll(/^"(.+)" id=\d+ idx=0x\w+ tid=\d+ prio=\d+ (.*)$/gm)];
    const report = analyze('formats/jrockit-r28.txt');
    assert.equal(report.inputs[0].label, `JRockit, JDK 6, ${headers.length} threads`);
    assert.equal(report.threads.byState.UNKNOWN, undefined);
    const expected = (words: string): string =>
      /\bblocked\b/.test(words) ? 'BLOCKED' : /\bsleeping\b/.test(words) ? 'TIMED_WAITING' : /\b(?:waiting|parked)\b/.test(words) ? 'WAITING' : 'RUNNABLE';
    assert.deepEqual(report.threads.items.map((t) => t.state), headers.map((h) => expected(h[2])));
    assert.equal(report.dumps[0].timestamp, 'Tue Mar 12 14:03:27 2013');
    assert.equal(report.unparsed.total, 0);
    const worker = "[ACTIVE] ExecuteThread: '0' for queue: 'weblogic.kernel.Default (self-tuning)'";
    const frames = report.threads.groups.find((g) => g.id === named(report, worker).group)?.frames ?? [];
    assert.deepEqual([frames[4].class, frames[4].method, frames[4].file, frames[4].line], ['com.acme.billing.RateTable', 'lookup', 'RateTable.java', 88]);
    assert.equal(frames[4].text, 'com.acme.billing.RateTable.lookup(RateTable.java:88)');
    assert.deepEqual(locksOf('formats/jrockit-r28.txt', worker), [['waiting-to-lock', '0x2a4bf0e8', undefined]]);
    const holder = "[ACTIVE] ExecuteThread: '2' for queue: 'weblogic.kernel.Default (self-tuning)'";
    assert.deepEqual(locksOf('formats/jrockit-r28.txt', holder), [['locked', '0x2a4bf0e8', undefined]]);
    assert.equal(named(report, 'Main Thread').activity, 'object-wait');
  });

  test('jstack -F (JDK 8): `Thread N: (state = ...)` headers, SA frames with lines, states from the top frame', () => {
    const text = readInput(fixture('formats/jstack-F-jdk8.txt'));
    const headers = [...text.matchAll(/^Thread (\d+): \(state = (\w+)\)$/gm)];
    const report = analyze('formats/jstack-F-jdk8.txt');
    assert.equal(report.inputs[0].label, `jstack -F, JDK 8, ${headers.length} threads`);
    assert.deepEqual(report.threads.items.map((t) => [t.name, t.nid, t.stateDetail]), headers.map((h) => [`Thread ${h[1]}`, h[1], h[2]]));
    assert.deepEqual(report.threads.items.map((t) => t.state), ['WAITING', 'RUNNABLE', 'BLOCKED', 'TIMED_WAITING', 'WAITING', 'RUNNABLE']);
    assert.equal(report.dumps[0].pid, 27836);
    assert.equal(named(report, 'Thread 28107').activity, 'socket-read');
    const reader = report.threads.groups.find((g) => g.id === named(report, 'Thread 28107').group);
    assert.deepEqual(reader?.appFrame && [reader.appFrame.class, reader.appFrame.method, reader.appFrame.file, reader.appFrame.line], ['com.acme.quote.QuoteClient', 'fetch', 'QuoteClient.java', 64]);
    assert.equal(report.unparsed.total, 0);
  });

  test('jhsdb jstack (real, JDK 17): named headers with SA frames; the SA stack-walk error is reported as unparsed', () => {
    const text = readInput(fixture('formats/jhsdb-jstack.txt'));
    const states = [...text.matchAll(/java\.lang\.Thread\.State: (\w+)/g)].map((m) => m[1]);
    const report = analyze('formats/jhsdb-jstack.txt');
    assert.match(report.inputs[0].label, new RegExp(`^jhsdb jstack, JDK 17, ${(text.match(/^"/gm) ?? []).length} threads$`));
    assert.deepEqual(report.threads.byState, tally(states));
    const frames = (text.match(/^ - .* @bci=/gm) ?? []).length;
    const parsed = parseInput(text, 0, 'jhsdb', new FrameTable());
    assert.equal(parsed.dumps[0].threads.reduce((n, t) => n + t.frames.length, 0), frames);
    // SA could not walk one stack and printed its own exception there: not frames of the thread, shown as unparsed.
    const error = text.split('\n').findIndex((l) => l === 'Error occurred during stack walking:');
    const errorLines = text.split('\n').slice(error).findIndex((l) => l.trim() === '');
    assert.equal(report.unparsed.total, errorLines);
    assert.equal(report.unparsed.inputs[0]?.sample[0].line, error + 1);
    assert.equal(named(report, 'cache-loader').truncated, true);
    assert.equal(named(report, 'fetch-1').activity, 'socket-read');
  });
});

describe('dumps inside container logs', () => {
  const plain = readInput(fixture('over-time/jcmd-three-dumps.txt'));
  const lines = plain.split('\n');
  const firstDump = lines.slice(0, lines.findIndex((l, i) => i > 0 && l.startsWith('$ jcmd'))).join('\n');
  const reference = analyzeDump(firstDump);
  const sameAsPlain = (report: DumpReport): void => {
    assert.deepEqual(report.threads.byState, reference.threads.byState);
    assert.deepEqual(report.threads.items.map((t) => [t.name, t.state, t.activity]), reference.threads.items.map((t) => [t.name, t.state, t.activity]));
    assert.deepEqual(report.threads.groups.map((g) => g.frames.length), reference.threads.groups.map((g) => g.frames.length));
  };
  const prefixed = (prefix: (k: number) => string): string => firstDump.split('\n').map((l, k) => `${prefix(k)}${l}`).join('\n');

  test('kubectl logs --timestamps / docker logs -t: the same threads as the plain dump, lines kept', () => {
    const report = analyzeDump(prefixed((k) => `2026-11-29T18:35:48.${String(k).padStart(9, '0')}Z `));
    sameAsPlain(report);
    assert.match(report.inputs[0].label, /\(in timestamped container logs\)$/);
    assert.equal(report.threads.items[0].line, reference.threads.items[0].line);
  });

  test('the CRI log of a Kubernetes node, a frame split in a P and an F part; dated by the log', () => {
    const report = analyze('formats/cri-kill3.log');
    const text = readInput(fixture('formats/cri-kill3.log'));
    assert.equal(report.threads.total, (text.match(/ stdout [PF] "/g) ?? []).length);
    assert.match(report.inputs[0].label, /\(in a Kubernetes container log\)$/);
    const split = /stdout P \t?at (.*)\n.* stdout F (.*)/.exec(text);
    assert.ok(split);
    const joined = `${split[1]}${split[2]}`.trim();
    assert.ok(report.threads.groups.some((g) => g.frames.some((f) => f.text === joined)), joined);
    assert.equal(report.unparsed.total, 2, 'the two application log lines');
    assert.equal(report.dumps[0].timestamp, '2026-11-29 18:35:48');
  });

  test('docker json-file, kubectl --prefix and docker compose prefixes', () => {
    const json = firstDump.split('\n').map((l) => JSON.stringify({ log: `${l}\n`, stream: 'stdout', time: '2026-11-29T18:35:48.5Z' })).join('\n');
    sameAsPlain(analyzeDump(json));
    sameAsPlain(analyzeDump(prefixed(() => '[pod/quotes-7d9c4b6f5-x2x8k/app] ')));
    const compose = analyzeDump(prefixed(() => 'quotes-1  | '));
    sameAsPlain(compose);
    assert.match(compose.inputs[0].label, /\(in docker compose logs\)$/);
  });

  test('two containers interleaved: a warning that says so', () => {
    const mixed = firstDump.split('\n').map((l, k) => `${k % 2 === 0 ? 'quotes-1' : 'quotes-2'}  | ${l}`).join('\n');
    assert.match(analyzeDump(mixed).inputs[0].warnings.join(' '), /lines of 2 containers are interleaved/);
  });
});

describe('UTF-16BE without a BOM', () => {
  test('decoded like the UTF-8 original', () => {
    const text = readInput(fixture('formats/jstack-F-jdk8.txt'));
    const be = new Uint8Array([...text].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 255]));
    assert.equal(decodeDumpBytes(be), text);
    assert.deepEqual(analyzeDump(decodeDumpBytes(be)).threads.byState, analyze('formats/jstack-F-jdk8.txt').threads.byState);
  });
});
