// Pastes are damaged in every way a clipboard can damage them. Whatever comes in, the analysis returns a report
// whose counts add up and whose ids resolve; it never throws. Generated with fast-check from real corpus lines.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { analyzeDump, decodeDumpBytes, type DumpReport } from '../../src/dump/index';
import { splitLines } from '../../src/dump/text';
import { corpus, fixture, incidentRoot, readInput } from './support';
import { join } from 'node:path';

const sources = [
  corpus('threaddumps/jthreaddump__deadlock.txt'),
  corpus('threaddumps/tda__visualvmremote.log'),
  corpus('threaddumps/openj9-docs__dump_javadump.md__javacore-excerpts.txt'),
  corpus('sockets/jc__windows_windows-10_netstat-aonb.out'),
  corpus('sockets/jc__ubuntu-18.04_ss-sudo-tulpen.out'),
  fixture('verdicts/java-deadlock/positive-jcmd-json/threads.json'),
  join(incidentRoot, 'lsof.txt'),
  join(incidentRoot, 'netstat.txt'),
];
const corpusLines = sources.flatMap((path) => splitLines(readInput(path)));

function assertConsistent(report: DumpReport): void {
  const threadStates = Object.values(report.threads.byState).reduce((n, v) => n + (v ?? 0), 0);
  const socketStates = Object.values(report.sockets.byState).reduce((n, v) => n + (v ?? 0), 0);
  assert.equal(threadStates, report.threads.total);
  assert.equal(socketStates, report.sockets.total);
  assert.equal(report.threads.items.length, report.threads.total);
  assert.equal(report.sockets.items.length, report.sockets.total);
  const threadIds = new Set(report.threads.items.map((t) => t.id));
  const socketIds = new Set(report.sockets.items.map((s) => s.id));
  for (const v of report.verdicts) {
    assert.ok(v.confidence >= 0 && v.confidence <= 1);
    assert.ok(v.threads.every((id) => threadIds.has(id)));
    assert.ok(v.sockets.every((id) => socketIds.has(id)));
  }
}

describe('never throws, always consistent', () => {
  test('arbitrary Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => assertConsistent(analyzeDump(text))),
      { numRuns: 300 },
    );
  });

  test('real lines shuffled, dropped and repeated', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...corpusLines), { maxLength: 300 }), (lines) => assertConsistent(analyzeDump(lines.join('\n')))),
      { numRuns: 200 },
    );
  });

  test('real lines cut at random places, with random line endings', () => {
    const cut = fc.tuple(fc.constantFrom(...corpusLines), fc.nat(), fc.constantFrom('\n', '\r\n', '\r'));
    fc.assert(
      fc.property(fc.array(cut, { maxLength: 200 }), (parts) =>
        assertConsistent(analyzeDump(parts.map(([line, at, eol]) => line.slice(0, at % (line.length + 1)) + eol).join(''))),
      ),
      { numRuns: 200 },
    );
  });

  test('arbitrary bytes decode and analyse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => assertConsistent(analyzeDump(decodeDumpBytes(bytes)))),
      { numRuns: 200 },
    );
  });
});
