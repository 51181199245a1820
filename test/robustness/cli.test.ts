// `closewait scan` over a directory no one would wish on a tool: entries that cannot be read as files (tests run as
// root, so permissions stop nothing: a FIFO that would block a read forever, a socket, a directory named like a
// source file, dangling and looping symbolic links), a 50 MB minified bundle, binary files with source extensions,
// ISO-8859-1 text. The scan finishes, lists every skip with its reason, and exits with the documented code (README:
// 0 nothing at or above --fail-on, 1 findings, 2 an unreadable path on the command line). It does so the same way
// on worker threads as in-process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, tempTree } from '../helpers';

const MB = 1024 * 1024;
/** Small files beside the hostile ones (--jobs 2 puts them on worker threads whatever their size). */
const FILLER = 70;

const LEAKY_LATIN1 = Buffer.from(
  '// Größe der Antwort: ½ KB, © 2009\nclass Latin {\n  void f() throws Exception {\n    java.net.Socket s = new java.net.Socket("h", 1);\n    s.getInputStream().read();\n  }\n}\n',
  'latin1',
);

/** Minified JavaScript: one line, short names, calls everywhere. */
function minifiedBundle(bytes: number): Buffer {
  const chunk = 'var a=function(t,e){if(!t)throw new Error("x");return fetch(t+"/v",{method:"GET"}).then(function(r){return r.ok?r.json():null})};';
  return Buffer.alloc(bytes, chunk);
}

function randomBytes(length: number, seed: number, allowNul: boolean): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = allowNul ? x >>> 24 : (x >>> 24) | 1;
  }
  return out;
}

interface JsonReport {
  findings: { file: string; line: number; rule: string }[];
  summary: { files: number; skipped: { file: string; reason: string }[]; syntaxErrors: { file: string }[]; ms?: number };
}

describe('closewait scan over a hostile directory', () => {
  let dir: string;
  let cleanup: () => void;
  let socketServer: Server;

  before(async () => {
    const filler: Record<string, string> = {};
    for (let i = 0; i < FILLER; i++) filler[`filler/f${String(i).padStart(3, '0')}.ts`] = `export const v${i} = ${i};\n`;
    ({ dir, cleanup } = tempTree({
      ...filler,
      'src/Latin.java': LEAKY_LATIN1,
      'src/Class.java': new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, ...randomBytes(4_000, 1, true)]),
      // Lines of hand-written length, so it is analysed as a damaged source rather than skipped as minified.
      'src/noise.ts': randomBytes(6_000, 2, false).map((b, i) => (i % 64 === 63 ? 0x0a : b)),
      'src/image.tsx': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...randomBytes(2_000, 3, true)]),
      'src/clean.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
    }));
    writeFileSync(join(dir, 'src/bundle.min.js'), minifiedBundle(50 * MB));
    const fifo = spawnSync('mkfifo', [join(dir, 'src/x.java')]);
    assert.equal(fifo.status, 0, `mkfifo: ${fifo.stderr}`);
    mkdirSync(join(dir, 'src/Y.java'));
    writeFileSync(join(dir, 'src/Y.java/Inside.java'), 'class Inside {}\n');
    symlinkSync(join(dir, 'nowhere.ts'), join(dir, 'src/dangling.ts'));
    symlinkSync(join(dir, 'src/loop-b.js'), join(dir, 'src/loop-a.js'));
    symlinkSync(join(dir, 'src/loop-a.js'), join(dir, 'src/loop-b.js'));
    symlinkSync(join(dir, 'src'), join(dir, 'src/again'));
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer.listen(join(dir, 'src/socket.js'), resolve));
  });

  after(async () => {
    await new Promise<void>((resolve) => socketServer.close(() => resolve()));
    cleanup();
  });

  const scanJson = (args: string[]): { status: number; report: JsonReport } => {
    const run = runCli(['scan', '--format', 'json', ...args], { cwd: dir });
    assert.notEqual(run.stdout, '', run.stderr);
    return { status: run.status, report: JSON.parse(run.stdout) as JsonReport };
  };

  test('finishes, lists every unreadable entry with its reason, and exits 1 for the leak it found', () => {
    const started = performance.now();
    const { status, report } = scanJson([]);
    assert.ok(performance.now() - started < 60_000, 'the scan must not hang');
    assert.equal(status, 1);
    const reasons = Object.fromEntries(report.summary.skipped.map((s) => [s.file, s.reason]));
    assert.deepEqual(reasons, {
      'src/again': 'symbolic link loop (directory already scanned)',
      'src/bundle.min.js': 'larger than 5 MB (50.0 MB)',
      'src/Class.java': 'contains NUL bytes (binary file)',
      'src/dangling.ts': 'broken symbolic link',
      'src/image.tsx': 'contains NUL bytes (binary file)',
      'src/loop-a.js': 'symbolic link loop',
      'src/loop-b.js': 'symbolic link loop',
      'src/socket.js': 'not a regular file (a FIFO, socket or device)',
      'src/x.java': 'not a regular file (a FIFO, socket or device)',
    });
    // The filler, the clean file, the random text without NUL bytes, ISO-8859-1 Java and the file inside Y.java/.
    assert.equal(report.summary.files, FILLER + 4);
    assert.deepEqual(
      report.findings.map((f) => `${f.file}:${f.line} ${f.rule}`),
      ['src/Latin.java:4 missing-timeout', 'src/Latin.java:4 unclosed-resource'],
    );
    assert.ok(report.summary.syntaxErrors.some((e) => e.file === 'src/noise.ts'));
  });

  test('the text report names the skips too', () => {
    const run = runCli(['scan'], { cwd: dir });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /Skipped 9 files:/);
    assert.match(run.stdout, /src\/x\.java: not a regular file/);
    assert.match(run.stdout, /src\/bundle\.min\.js: larger than 5 MB \(50\.0 MB\)/);
  });

  test('worker threads report exactly what the in-process scan reports', () => {
    const serial = scanJson(['--jobs', '1']);
    const parallel = scanJson(['--jobs', '2']);
    delete serial.report.summary.ms;
    delete parallel.report.summary.ms;
    assert.equal(serial.status, parallel.status);
    assert.deepEqual(parallel.report, serial.report);
  });

  test('exit 0 when what can be read is clean: --fail-on error, or only the unreadable entries named', () => {
    assert.equal(scanJson(['--fail-on', 'error']).status, 0);
    const named = scanJson(['src/x.java', 'src/socket.js', 'src/Y.java', 'src/bundle.min.js', 'src/Class.java']);
    assert.equal(named.status, 0);
    assert.deepEqual(
      named.report.summary.skipped.map((s) => s.file),
      ['src/x.java', 'src/socket.js', 'src/bundle.min.js', 'src/Class.java'],
    );
    assert.equal(named.report.summary.files, 1, 'Y.java is a directory: its Inside.java is scanned');
  });

  test('exit 2 for a path on the command line that cannot be read', () => {
    for (const path of ['src/dangling.ts', 'src/loop-a.js', 'src/missing.java']) {
      const run = runCli(['scan', path], { cwd: dir });
      assert.equal(run.status, 2, `${path}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`cannot read ${path.replace('.', '\\.')}: `));
    }
  });
});
