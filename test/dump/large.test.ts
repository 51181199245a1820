// A 100 MB thread dump and a 100,000-line netstat, generated here (never committed), go through the whole
// analysis without failing. How fast and how much memory is bench/dump.ts's business, not a test's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeDump } from '../../src/dump/index';
import { generateNetstat, generateThreadDump } from '../../bench/dump-synthetic';

test('a 100 MB dump with a 100,000-line listing is analysed completely', () => {
  const dump = generateThreadDump(100 * 1024 * 1024);
  const netstat = generateNetstat(100_000);
  assert.ok(dump.text.length >= 100 * 1024 * 1024);
  const report = analyzeDump([
    { name: 'big.tdump', text: dump.text },
    { name: 'big.netstat', text: netstat.text },
  ]);
  assert.equal(report.threads.total, dump.threads);
  assert.equal(report.sockets.total, netstat.sockets);
  assert.equal(report.unparsed.total, 0);
  assert.equal(report.inputs[0].label, `jstack, JDK 17, ${dump.threads.toLocaleString('en-US')} threads`);
  // The generator cycles four stacks over the workers of http-nio-8080-exec.
  const pool = report.threads.pools.find((p) => p.name === 'http-nio-8080-exec');
  assert.equal(pool?.size, dump.threads - 1);
  assert.equal(pool?.port, 8080);
});
