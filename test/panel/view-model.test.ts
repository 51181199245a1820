// The view the worker hands to the panel: the report's thread-socket links resolved to what the panel draws
// (socket-table rows and thread groups), verdicts most confident first, sizes bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeDump, type DumpReport } from '../../src/dump/index';
import { buildPanelView, MAX_GROUPS } from '../../src/panel/view-model';
import { incidentFacts } from './incident';

const facts = incidentFacts();

function incidentReport(): DumpReport {
  return analyzeDump([
    { name: 'jstack.txt', text: facts.jstack },
    { name: 'listings.txt', text: facts.listings },
  ]);
}

test('every link of the report joins the rows of its sockets with the groups of its threads, both ways', () => {
  const report = incidentReport();
  const view = buildPanelView(report, ['threads', 'sockets']);
  assert.ok(report.links.length > 0);
  const groupOfThread = new Map(report.threads.items.map((t) => [t.id, t.group]));
  for (const link of report.links) {
    for (const socket of link.sockets) {
      const row = view.rows.find((r) => report.sockets.table.find((t) => t.key === r.key)?.sockets.includes(socket));
      assert.ok(row !== undefined, `socket ${socket} is in a row`);
      for (const thread of link.threads) {
        const group = groupOfThread.get(thread) ?? '';
        assert.ok(row.groupIds.includes(group), `row ${row.key} links group ${group}`);
        assert.ok(view.groups.find((g) => g.id === group)?.rowKeys.includes(row.key), `group ${group} links row ${row.key}`);
      }
    }
  }
  // In the incident every socket is on the port the stuck pool serves.
  assert.equal(view.rows.length, facts.rowsByHostAndState.size);
  assert.ok(view.rows.every((r) => r.groupIds.length === 1));
});

test('inputs keep their slot and detected label; counts and bars come from the report', () => {
  const report = incidentReport();
  const view = buildPanelView(report, ['threads', 'sockets']);
  assert.deepEqual(
    view.inputs.map((i) => [i.slot, i.name, i.label]),
    report.inputs.map((i, k) => [k === 0 ? 'threads' : 'sockets', i.name, i.label]),
  );
  assert.deepEqual(new Map(view.socketStates.map((b) => [b.state, b.count])), facts.socketStates);
  assert.deepEqual(new Map(view.threadStates.map((b) => [b.state, b.count])), facts.threadStates);
  assert.equal(view.socketsNotInRows, 0);
  // Only a sockets-only paste: its one input is the socket input.
  const socketsOnly = buildPanelView(analyzeDump([{ name: 'netstat.txt', text: facts.netstat }]), ['sockets']);
  assert.deepEqual(socketsOnly.inputs.map((i) => i.slot), ['sockets']);
});

test('verdicts come most confident first; evidence reads in words; frames of the user\'s code link', () => {
  const report = incidentReport();
  const original = report.verdicts[0];
  report.verdicts.push({ ...original, id: 'v1', kind: 'socket-leak', title: 'More certain', confidence: Math.min(1, original.confidence + 0.2) });
  const view = buildPanelView(report, ['threads', 'sockets']);
  assert.deepEqual(view.verdicts.map((v) => v.id), ['v1', 'v0']);
  const card = view.verdicts[1];
  assert.equal(card.kindWords, 'Self-call deadlock');
  assert.equal(card.counts.find((c) => c.key === 'closeWait')?.label, 'CLOSE_WAIT connections');
  assert.equal(card.counts.find((c) => c.key === 'closeWait')?.value, String(facts.socketStates.get('CLOSE_WAIT')));
  const top = facts.appFrames[0];
  assert.deepEqual(card.frames, [{ class: top.class, method: top.method, file: top.file, line: top.line, text: `SearchManager.search(${top.file}:${top.line})` }]);
  const stack = view.groups[0].frames;
  const linked = stack.flatMap((f) => (f.kind === 'frame' && f.ref !== null ? [f.text] : []));
  assert.deepEqual(linked, facts.appFrames.map((f) => f.text));
  // Evidence lines name the input by its base name, as the user named it.
  assert.ok(card.lines.every((l) => ['jstack.txt', 'listings.txt'].includes(l.source)));
});

test('a frame whose file is not a plain file name (glob, path, markup) is shown but not linked', () => {
  const locations = ['*.java:1', '{a,b}.java:2', 'C:\\src\\Y.java:3', '<img src=x>:4', 'Y.java:7'];
  const report = analyzeDump(
    ['"w-1" #1 prio=5 tid=0x1 nid=0x1 waiting on condition [0x0]', '   java.lang.Thread.State: WAITING (parking)', ...locations.map((l, k) => `\tat com.x.Y.m${k}(${l})`), ''].join('\n'),
  );
  const frames = buildPanelView(report, ['threads']).groups[0].frames.flatMap((f) => (f.kind === 'frame' ? [f] : []));
  assert.deepEqual(
    frames.map((f) => [f.text, f.app, f.ref?.file ?? null]),
    locations.map((l, k) => [`com.x.Y.m${k}(${l})`, true, l === 'Y.java:7' ? 'Y.java' : null]),
  );
});

test('at most MAX_GROUPS groups, largest first; the rest are counted', () => {
  const report = incidentReport();
  const group = report.threads.groups[0];
  report.threads.groups = Array.from({ length: MAX_GROUPS + 25 }, (_, k) => ({ ...group, id: `g0-${k}`, count: (k * 7919) % 1000 }));
  const view = buildPanelView(report, ['threads', 'sockets']);
  assert.equal(view.groups.length, MAX_GROUPS);
  assert.equal(view.groupsNotShown, 25);
  const counts = view.groups.map((g) => g.count);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.equal(counts[0], Math.max(...report.threads.groups.map((g) => g.count)));
});
