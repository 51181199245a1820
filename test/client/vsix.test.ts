// The packaged extension: `npm run package` builds closewait-<version>.vsix offline, and it holds only what the
// extension needs at run time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from '../helpers';

interface Entry {
  readonly name: string;
  readonly size: number;
  read(): Buffer;
}

/** Reads a zip archive's central directory (a .vsix is a zip). */
function zipEntries(zip: Buffer): Entry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'not a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50, 'central directory entry');
    const method = zip.readUInt16LE(offset + 10);
    const compressed = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({
      name,
      size,
      read() {
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(start, start + compressed);
        return method === 0 ? data : inflateRawSync(data);
      },
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

test('npm run package builds a small .vsix with bundles, wasm grammars, media, syntaxes, README and docs only', () => {
  const out = mkdtempSync(join(tmpdir(), 'closewait-vsix-'));
  try {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const vsix = join(out, `closewait-${pkg.version}.vsix`);
    const run = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const entries = zipEntries(readFileSync(vsix));
    const files = entries.map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    for (const required of [
      'package.json',
      'readme.md',
      'LICENSE.txt',
      'dist/extension.js',
      'dist/server.js',
      'dist/analysis-worker.js',
      'dist/tree-sitter.wasm',
      'dist/grammars/tree-sitter-java.wasm',
      'dist/grammars/tree-sitter-typescript.wasm',
      'dist/grammars/tree-sitter-tsx.wasm',
      'dist/grammars/tree-sitter-javascript.wasm',
      'syntaxes/thread-dump.tmLanguage.json',
      'syntaxes/socket-listing.tmLanguage.json',
      'docs/rules/unclosed-resource.md',
      'docs/rules/self-call.md',
    ]) {
      assert.ok(files.some((f) => f.toLowerCase() === required.toLowerCase()), `${required} is packaged`);
    }
    const allowed = /^(package\.json|readme\.md|LICENSE\.txt|changelog\.md|dist\/(extension|server|analysis-worker)\.js|dist\/tree-sitter\.wasm|dist\/grammars\/tree-sitter-(java|typescript|tsx|javascript)\.wasm|media\/(?!screenshots\/).+|syntaxes\/[\w.-]+\.json|docs\/.+\.md)$/i;
    for (const file of files) assert.match(file, allowed, `${file} does not belong in the .vsix`);
    assert.ok(!files.some((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('node_modules/') || f.startsWith('test/')));
    const total = entries.reduce((n, e) => n + e.size, 0);
    assert.ok(total < 10 * 1024 * 1024, `${(total / 1024 / 1024).toFixed(1)} MB unpacked`);
    // The manifest inside is the one we ship, with the commands the client registers.
    const manifest = JSON.parse(entries.find((e) => e.name === 'extension/package.json')!.read().toString('utf8'));
    assert.equal(manifest.main, './dist/extension.js');
    assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === 'closewait.scanWorkspace'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
