// `closewait scan --jobs N`: worker threads analyse the files, and the report is the same as in-process, down to the
// order of findings and skips, including self-call findings that need the workspace facts the workers are handed.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixtureRoot } from '../analysis/expectations';
import fc from 'fast-check';
import { planBatches } from '../../src/cli/scan-pool';
import { runCli } from '../helpers';

describe('closewait scan --jobs', () => {
  let dir: string;

  before(() => {
    // Three copies of every rule's fixtures: enough files for three workers to share.
    dir = mkdtempSync(join(tmpdir(), 'closewait-jobs-'));
    for (const copy of ['one', 'two', 'three']) {
      for (const rule of ['unclosed-resource', 'missing-timeout', 'unbounded-wait', 'self-call']) {
        cpSync(join(fixtureRoot, rule), join(dir, copy, rule), { recursive: true });
      }
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const scanJson = (jobs: string[]) => {
    const run = runCli(['scan', '--format', 'json', ...jobs], { cwd: dir });
    const report = JSON.parse(run.stdout);
    delete report.summary.ms;
    return { status: run.status, report };
  };

  test('1, 3 and the default number of workers (one per core) give the same report', () => {
    const serial = scanJson(['--jobs', '1']);
    assert.equal(serial.status, 1);
    assert.ok(serial.report.summary.files > 3, `only ${serial.report.summary.files} files`);
    assert.ok(serial.report.findings.some((f: { rule: string }) => f.rule === 'self-call'), 'self-call needs the facts the workers get');
    for (const jobs of [['--jobs', '3'], []]) assert.deepEqual(scanJson(jobs), serial, `jobs ${jobs.join(' ')}`);
  });

  test('anything but a positive integer is a usage error (exit 2)', () => {
    for (const value of ['0', '-1', '1.5', 'two', '', '1e3']) {
      const run = runCli(['scan', `--jobs=${value}`, 'test/fixtures/unclosed-resource']);
      assert.equal(run.status, 2, `--jobs ${value}`);
      assert.match(run.stderr, /--jobs needs a positive integer/);
    }
    assert.match(runCli(['scan', '--help']).stdout, /--jobs <n>\s+analyse on n worker threads/);
  });
});

describe('how a parallel scan shares the files', () => {
  test('every file once, the largest first, and no batch past its share of bytes unless it is one file', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5_000_000), { maxLength: 300 }), fc.integer({ min: 2, max: 8 }), (sizes, threads) => {
        const jobs = sizes.map((_, index) => ({ index, absolute: `/w/f${index}.ts`, file: `f${index}.ts` }));
        const batches = planBatches(jobs, sizes, threads);
        const order = batches.flat().map((job) => job.index);
        assert.deepEqual([...order].sort((a, b) => a - b), jobs.map((job) => job.index));
        for (let k = 1; k < order.length; k++) assert.ok(sizes[order[k - 1]] >= sizes[order[k]]);
        const share = sizes.reduce((n, b) => n + b, 0) / (threads * 8);
        for (const batch of batches) assert.ok(batch.length === 1 || batch.reduce((n, job) => n + sizes[job.index], 0) <= Math.max(1, share));
      }),
    );
  });
});
