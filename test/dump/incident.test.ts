// The original incident (../shared/incidents/tomcat-self-call): a Tomcat on port 8080 (pid 27836, APR connector)
// whose workers wait in FutureTask.get under SearchManager.search(SearchManager.java:104) for work its own pool
// must serve. The excerpts are read as pasted, prompts and `...` included. Counted by hand: netstat.txt holds 7
// CLOSE_WAIT rows on 10.41.249.26:8080, lsof.txt 6 CLOSE_WAIT and 1 ESTABLISHED on 10.41.249.26:webcache (8080),
// all with different peers, so 13 CLOSE_WAIT in all; every remote is a load generator (10.51.31.x).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDump, reportToMarkdown, type DumpReport } from '../../src/dump/index';
import { analyzeFiles, incidentRoot, readInput } from './support';

const files = ['jstack.txt', 'netstat.txt', 'lsof.txt'].map((f) => join(incidentRoot, f));

function selfCall(report: DumpReport) {
  const verdict = report.verdicts.find((v) => v.kind === 'self-call-deadlock');
  assert.ok(verdict, `a self-call-deadlock verdict among ${report.verdicts.map((v) => v.kind).join(', ') || 'none'}`);
  return verdict;
}

describe('the original incident, three files', () => {
  const report = analyzeFiles(files);

  test('each excerpt is read: 1 worker thread of pid 27836, 7 + 7 sockets', () => {
    assert.deepEqual(
      report.inputs.map((i) => i.label),
      ['jstack, 1 thread', 'netstat -tonp, 7 sockets', 'lsof -i, 7 sockets'],
    );
    assert.equal(report.dumps[0].pid, 27836);
    assert.deepEqual(report.threads.items.map((t) => [t.name, t.state, t.truncated]), [['http-apr-8080-exec-24', 'WAITING', true]]);
    assert.deepEqual(report.sockets.byState, { CLOSE_WAIT: 13, ESTABLISHED: 1 });
    assert.deepEqual(report.sockets.byLocalPort['8080'], { total: 14, byState: { CLOSE_WAIT: 13, ESTABLISHED: 1 } });
    assert.equal(report.unparsed.total, 0);
  });

  test('lsof prints port 8080 as the service name webcache', () => {
    const fromLsof = report.sockets.items.filter((s) => s.input === 2);
    assert.ok(fromLsof.every((s) => s.local.port === 8080 && s.local.service === 'webcache'));
  });

  test('netstat -o keepalive timers are kept', () => {
    assert.equal(report.sockets.items[0].timer, 'keepalive (7196.98/0/0)');
  });

  test('self-call-deadlock on port 8080, pool http-apr-8080-exec, 13 CLOSE_WAIT, SearchManager.search(SearchManager.java:104)', () => {
    const verdict = selfCall(report);
    assert.equal(verdict.title, 'Self-call deadlock on port 8080');
    assert.equal(verdict.evidence.details.port, '8080');
    assert.equal(verdict.evidence.details.pool, 'http-apr-8080-exec');
    assert.equal(verdict.evidence.counts.closeWait, 13);
    assert.deepEqual(verdict.frames[0], { class: 'net.daum.crystal.core.execute.SearchManager', method: 'search', file: 'SearchManager.java', line: 104 });
    assert.match(verdict.summary, /port 8080/);
    assert.match(verdict.summary, /http-apr-8080-exec/);
    assert.match(verdict.summary, /13 connections/);
    assert.match(verdict.summary, /SearchManager\.search\(SearchManager\.java:104\)/);
    assert.match(verdict.summary, /FutureTask\.get/);
  });

  test('honest confidence: no connection to its own port is visible, so the verdict is not near-certain and says what would confirm it', () => {
    const verdict = selfCall(report);
    assert.equal(verdict.evidence.counts.selfConnections, 0);
    assert.ok(verdict.confidence >= 0.5 && verdict.confidence < 0.75, `confidence ${verdict.confidence}`);
    assert.match(verdict.summary, /not proven/);
    assert.match(verdict.summary, /To confirm it/);
    assert.match(verdict.summary, /closewait scan/);
    assert.match(verdict.summary, /ss -tanp/);
  });

  test('the evidence quotes the worker, its application frame and CLOSE_WAIT rows as pasted', () => {
    const lines = selfCall(report).evidence.lines;
    assert.deepEqual(lines[0], { input: 0, line: 2, text: readInput(files[0]).split('\n')[1] });
    assert.ok(lines.some((l) => l.input === 0 && l.line === 10 && l.text.includes('SearchManager.java:104')));
    assert.ok(lines.some((l) => l.input === 1 && l.text.includes('CLOSE_WAIT')));
  });

  test('the verdict lists the CLOSE_WAIT sockets and the stuck worker; the worker is linked to the 8080 connections', () => {
    const verdict = selfCall(report);
    const worker = report.threads.items[0].id;
    assert.deepEqual(verdict.threads, [worker]);
    const closeWait = report.sockets.items.filter((s) => s.state === 'CLOSE_WAIT').map((s) => s.id);
    assert.deepEqual([...verdict.sockets].sort(), [...closeWait].sort());
    const link = report.links.find((l) => l.reason === 'serves-port' && l.port === 8080);
    assert.deepEqual(link?.threads, [worker]);
    assert.equal(link?.sockets.length, 14);
    // Clicking a CLOSE_WAIT row of the table finds the worker through the link.
    const row = report.sockets.table.find((r) => r.state === 'CLOSE_WAIT');
    assert.ok(row && row.sockets.every((id) => link?.sockets.includes(id)));
  });

  test('the Markdown report leads with the verdict', () => {
    const markdown = reportToMarkdown(report);
    const verdictAt = markdown.indexOf('### 1. Self-call deadlock on port 8080');
    assert.ok(verdictAt > 0 && verdictAt < markdown.indexOf('## Sockets'));
    assert.ok(markdown.includes('`net.daum.crystal.core.execute.SearchManager.search(SearchManager.java:104)`'));
    assert.ok(markdown.includes('| CLOSE_WAIT | 13 |'));
  });
});

describe('the original incident, pasted as one text', () => {
  test('one paste holding the three excerpts gives the same verdict', () => {
    const paste = files.map(readInput).join('\n');
    const report = analyzeDump(paste);
    assert.equal(report.inputs[0].label, 'jstack, 1 thread + netstat -tonp, 7 sockets + lsof -i, 7 sockets');
    const verdict = selfCall(report);
    assert.equal(verdict.evidence.counts.closeWait, 13);
    assert.equal(verdict.frames[0].line, 104);
  });

  test('the single stack alone is not enough for any verdict', () => {
    assert.deepEqual(analyzeFiles([files[0]]).verdicts, []);
  });
});
