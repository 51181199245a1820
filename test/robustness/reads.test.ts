// What a scan reads, a pull request controls: a source, a configuration file, a .gitignore or a baseline may be a
// symbolic link to /proc/self/pagemap, which says it holds 0 bytes and never ends. Every read is capped by the bytes
// it actually read. And a file whose name is not valid UTF-8 is an ordinary file: it is analysed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAX_SOURCE_BYTES } from '../../src/analysis/parse/source';
import { readSource } from '../../src/files/read-source';
import { walk } from '../../src/files/walk';
import { cliPath, repoRoot, tempTree } from '../helpers';

const ENDLESS = '/proc/self/pagemap';
const LEAK = 'class Leak {\n  void send() throws Exception {\n    java.net.Socket s = new java.net.Socket("h", 1);\n    s.getInputStream().read();\n  }\n}\n';

interface JsonReport {
  findings: { file: string; line: number; rule: string }[];
  summary: { files: number; skipped: { file: string; reason: string }[] };
}

/** The built CLI, killed after a minute: a read without end must show as a failure, not hang the suite. */
function scan(cwd: string, args: string[] = []): { status: number | null; report?: JsonReport; stderr: string } {
  const run = spawnSync(process.execPath, [cliPath, 'scan', '--format', 'json', ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.signal, null, `closewait scan was killed (${run.signal}) after ${run.error ? run.error.message : 'a minute'}`);
  return { status: run.status, report: run.stdout ? (JSON.parse(run.stdout) as JsonReport) : undefined, stderr: run.stderr };
}

describe('reads capped by the bytes actually read', { skip: !existsSync(ENDLESS) && `${ENDLESS} does not exist here` }, () => {
  let dir: string;
  let cleanup: () => void;

  before(() => {
    ({ dir, cleanup } = tempTree({ 'src/Leak.java': LEAK }));
    symlinkSync(ENDLESS, join(dir, 'src/Endless.java'));
    symlinkSync(ENDLESS, join(dir, 'application.properties'));
    symlinkSync(ENDLESS, join(dir, '.env'));
    symlinkSync(ENDLESS, join(dir, 'src/.gitignore'));
    symlinkSync(ENDLESS, join(dir, 'baseline.json'));
  });

  after(() => cleanup());

  test('readSource stops one byte past the limit however much the file would give', () => {
    // In a child process killed after a minute: a read without end in this one would hang the suite.
    const code = `const { readSource } = require(${JSON.stringify(join(repoRoot, 'src/files/read-source.ts'))});\nprocess.stdout.write(JSON.stringify(readSource(${JSON.stringify(ENDLESS)})));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--eval', code], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.signal, null, `readSource was killed (${run.signal}) after ${run.error ? run.error.message : 'a minute'}`);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as ReturnType<typeof readSource>;
    assert.ok('skipped' in result && /^larger than 5 MB \(/.test(result.skipped), JSON.stringify(result));
  });

  test('closewait scan skips the endless source with the reason and reports the rest', () => {
    const { status, report, stderr } = scan(dir);
    assert.equal(status, 1, stderr);
    assert.deepEqual(report?.findings.map((f) => `${f.file}:${f.line} ${f.rule}`), ['src/Leak.java:3 missing-timeout', 'src/Leak.java:3 unclosed-resource']);
    assert.deepEqual(report?.summary.skipped.map((s) => s.file), ['src/Endless.java']);
    assert.match(report?.summary.skipped[0].reason ?? '', /^larger than 5 MB \(reading stopped there; its size says 0 bytes\)$/);
  });

  test('an endless baseline is a clear error, not a read without end', () => {
    const { status, stderr } = scan(dir, ['--baseline', 'baseline.json']);
    assert.equal(status, 2);
    assert.match(stderr, /cannot read baseline baseline\.json: larger than \d+ MB/);
  });

  test(`the limit is ${MAX_SOURCE_BYTES / (1024 * 1024)} MB: a source of exactly that size is read`, () => {
    const { dir: small, cleanup: done } = tempTree({ 'Big.java': `class Big {}\n//${'x'.repeat(MAX_SOURCE_BYTES - 16)}\n` });
    try {
      const result = readSource(join(small, 'Big.java'));
      assert.ok('text' in result && result.bytes === MAX_SOURCE_BYTES, JSON.stringify('skipped' in result ? result : result.bytes));
    } finally {
      done();
    }
  });
});

describe('file names that are not valid UTF-8', () => {
  let dir: string;
  let cleanup: () => void;
  // "Café.java" and "déjà/Inner.java" in ISO-8859-1: bytes no UTF-8 decoder accepts.
  const cafe = Buffer.from('Caf\xe9.java', 'latin1');
  const deja = Buffer.from('d\xe9j\xe0', 'latin1');

  before(() => {
    const filler: Record<string, string> = {};
    // Enough files for the scan to use worker threads, to which the raw names travel too.
    for (let i = 0; i < 70; i++) filler[`filler/f${String(i).padStart(3, '0')}.ts`] = `export const v${i} = ${i};\n`;
    ({ dir, cleanup } = tempTree(filler));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), cafe]), LEAK);
    mkdirSync(Buffer.concat([Buffer.from(`${dir}/`), deja]));
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), deja, Buffer.from('/Inner.java')]), LEAK);
  });

  after(() => cleanup());

  test('the walk lists them under their raw names, and they read', () => {
    const { files, skipped } = walk(['.'], { cwd: dir, exclude: [] });
    assert.deepEqual(skipped, []);
    const raw = files.filter((f) => typeof f !== 'string');
    assert.equal(raw.length, 2);
    for (const file of raw) assert.ok('text' in readSource(file), String(file));
  });

  test('closewait scan analyses them, on one thread and on several, naming them with U+FFFD for the bytes', () => {
    const expected = ['Caf\uFFFD.java:3 missing-timeout', 'Caf\uFFFD.java:3 unclosed-resource', 'd\uFFFDj\uFFFD/Inner.java:3 missing-timeout', 'd\uFFFDj\uFFFD/Inner.java:3 unclosed-resource'];
    for (const jobs of ['1', '2']) {
      const { status, report, stderr } = scan(dir, ['--jobs', jobs]);
      assert.equal(status, 1, stderr);
      assert.deepEqual(report?.summary.skipped, [], `--jobs ${jobs}`);
      assert.equal(report?.summary.files, 72);
      assert.deepEqual(report?.findings.map((f) => `${f.file}:${f.line} ${f.rule}`), expected, `--jobs ${jobs}`);
    }
  });
});
