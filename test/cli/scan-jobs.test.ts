// `closewait scan --jobs N`: worker threads analyse the files, and the report is the same as in-process, down to the
// order of findings and skips, including self-call findings that need the workspace facts the workers are handed.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixtureRoot } from '../analysis/expectations';
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
