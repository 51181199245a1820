// Node.js diagnostic reports: test/fixtures/dumps/node holds one real report of a Node server on [::1] with three
// of its own client connections (one paused by its reader), written by process.report as Node prints it and as
// JSON.stringify logs it on one line, with `ss -tan` (no owner column) taken at the same moment; the live captures
// (test/fixtures/dumps/live/node-*) add reports written on SIGUSR2. Expected numbers are read from the reports'
// JSON itself, not restated.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDump, detectInput } from '../../src/dump/index';
import { fixture, readInput } from './support';

const pretty = readInput(fixture('node/report-api-pretty.json'));
const oneLine = readInput(fixture('node/report-api-one-line.txt'));
const ssTan = readInput(fixture('node/ss-tan.txt'));

interface RawHandle {
  type: string;
  is_active: boolean;
  localEndpoint: { ip4?: string; ip6?: string; port: number } | null;
  remoteEndpoint: { ip4?: string; ip6?: string; port: number } | null;
}
const raw = JSON.parse(pretty) as { header: { processId: number; nodejsVersion: string }; libuv: RawHandle[] };
const tcp = raw.libuv.filter((h) => h.type === 'tcp');
const endpoints = (h: RawHandle): string =>
  `${h.localEndpoint?.ip6 ?? h.localEndpoint?.ip4}:${h.localEndpoint?.port} ${h.remoteEndpoint === null ? '-' : `${h.remoteEndpoint.ip6 ?? h.remoteEndpoint.ip4}:${h.remoteEndpoint.port}`} ${h.is_active ? 'active' : 'stopped'}`;

describe('Node.js diagnostic report', () => {
  test('as Node writes it: pid, version, every TCP handle of libuv', () => {
    const detected = detectInput(pretty);
    assert.deepEqual(detected.formats, ['node-report']);
    assert.equal(detected.label, `Node.js diagnostic report, ${raw.header.nodejsVersion}, pid ${raw.header.processId}, ${tcp.length} TCP handles`);
    assert.equal(tcp.length, 7);
    assert.deepEqual(detected.warnings, []);
    assert.equal(analyzeDump(pretty).unparsed.total, 0);
  });

  test('on one line after a log prefix, as JSON.stringify(process.report.getReport()) logs it', () => {
    const report = analyzeDump(oneLine);
    assert.equal(report.inputs[0].label, detectInput(pretty).label);
    assert.equal(report.unparsed.total, 0);
  });

  test('joined with `ss -tan`, which names no owner: each handle gives its row the pid of the report', () => {
    const report = analyzeDump([
      { name: 'report.json', text: pretty },
      { name: 'ss.txt', text: ssTan },
    ]);
    const rows = report.sockets.items;
    assert.equal(rows.length, tcp.length);
    assert.ok(rows.every((s) => s.pid === raw.header.processId && s.program === 'node'), JSON.stringify(rows.map((s) => [s.pid, s.program])));
    // The listing's rows and the handles name the same connections.
    const fromHandles = tcp.map((h) => endpoints(h).split(' ').slice(0, 2).join(' ')).sort();
    const fromRows = rows.map((s) => `${s.local.host}:${s.local.port} ${s.state === 'LISTEN' ? '-' : `${s.remote.host}:${s.remote.port}`}`).sort();
    assert.deepEqual(fromRows, fromHandles);
  });

  test('a listing and a report pasted as one text', () => {
    const report = analyzeDump(`${ssTan}\n${pretty}`);
    assert.deepEqual(report.inputs[0].formats, ['node-report', 'ss']);
    assert.equal(report.unparsed.total, 0);
    assert.ok(report.sockets.items.every((s) => s.pid === raw.header.processId));
  });

  test('cut off inside libuv: the header and the complete handles are read, and the cut is said', () => {
    const lines = pretty.split('\n');
    const tcpLines = lines.flatMap((l, i) => (l.includes('"type": "tcp"') ? [i] : []));
    // Cut just before the fifth handle's type line: four handles are whole.
    const cut = lines.slice(0, tcpLines[4]).join('\n');
    const detected = detectInput(cut);
    assert.equal(detected.label, `Node.js diagnostic report, ${raw.header.nodejsVersion}, pid ${raw.header.processId}, 4 TCP handles`);
    assert.match(detected.warnings.join('\n'), /Node\.js diagnostic report at line 1 is cut off/);
  });

  test('a Node server calling its own port is no worker-pool deadlock: Node serves on an event loop', () => {
    const report = analyzeDump([
      { name: 'report.json', text: pretty },
      { name: 'ss.txt', text: ssTan },
    ]);
    assert.deepEqual(report.verdicts.map((v) => v.kind), []);
  });


  test('the handles keep what libuv says of them: endpoints and whether Node still reads', () => {
    // The report of the live scenario whose fetch() bodies are never read: every connection stopped.
    const live = readInput(fixture('live/node-fetch-unread-bodies/node-report.json'));
    const liveTcp = (JSON.parse(live) as { libuv: RawHandle[] }).libuv.filter((h) => h.type === 'tcp');
    const listing = readInput(fixture('live/node-fetch-unread-bodies/ss.txt'));
    const report = analyzeDump([
      { name: 'node-report.json', text: live },
      { name: 'ss.txt', text: listing },
    ]);
    const leak = report.verdicts.find((v) => v.kind === 'socket-leak');
    assert.equal(leak?.evidence.counts.stoppedReading, liveTcp.filter((h) => h.remoteEndpoint !== null && !h.is_active).length);
  });


  test('a report of another process claims none of the rows of the listing', () => {
    const other = readInput(fixture('live/node-server-never-ends/node-report.json'));
    const listing = readInput(fixture('live/node-fetch-unread-bodies/ss.txt'));
    const before = analyzeDump(listing).sockets.items.map((s) => s.pid);
    const after = analyzeDump([
      { name: 'other.json', text: other },
      { name: 'ss.txt', text: listing },
    ]).sockets.items.map((s) => s.pid);
    assert.deepEqual(after, before);
  });

  test('pretty-printed in a Kubernetes container log, a CRI prefix on every line', () => {
    const cri = pretty
      .split('\n')
      .map((line, k) => `2026-11-29T19:04:${String(k % 60).padStart(2, '0')}.000000000Z stdout F ${line}`)
      .join('\n');
    const detected = detectInput(cri);
    assert.ok(detected.formats.includes('node-report'), detected.formats.join());
    assert.match(detected.label, new RegExp(`Node\\.js diagnostic report, ${raw.header.nodejsVersion}, pid ${raw.header.processId}`));
  });

  test('a report without libuv, or with nonsense in it, is read without a crash', () => {
    const bare = '{\n  "header": {\n    "nodejsVersion": "v22.1.0",\n    "processId": 77\n  },\n  "libuv": [{"type": "tcp", "localEndpoint": 5}]\n}\n';
    assert.equal(detectInput(bare).label, 'Node.js diagnostic report, v22.1.0, pid 77, 0 TCP handles');
  });
});
