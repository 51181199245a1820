// The packaged extension: `npm run package` builds closewait-<version>.vsix offline, and it holds only what the
// extension needs at run time, minified, with its Marketplace metadata and an icon made from its SVG.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** What `npm run package` does, into a copy of the repository's packaging inputs: the checkout's dist/ stays as is. */
function packageInto(out: string): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  // The flags under test are the package script's own.
  assert.match(pkg.scripts.package, /^node esbuild\.mjs --production && vsce package --no-dependencies --no-rewrite-relative-links /);
  const stage = join(out, 'stage');
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'media', 'syntaxes', 'docs']) {
    cpSync(join(repoRoot, entry), join(stage, entry), { recursive: true, filter: (src) => !/media\/(panel|worker)\.js$/.test(src) });
  }
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', stage], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
  const vsix = join(out, `closewait-${pkg.version}.vsix`);
  const vsce = join(repoRoot, 'node_modules', '.bin', 'vsce');
  const run = spawnSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], { cwd: stage, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  return vsix;
}

test('npm run package builds a small .vsix with minified bundles, wasm grammars, media, syntaxes, README and docs only', () => {
  const out = mkdtempSync(join(tmpdir(), 'closewait-vsix-'));
  try {
    const entries = zipEntries(readFileSync(packageInto(out)));
    const files = entries.map((e) => e.name).filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
    const read = (file: string) => entries.find((e) => e.name.toLowerCase() === `extension/${file}`.toLowerCase())!.read();
    for (const required of [
      'package.json',
      'readme.md',
      'changelog.md',
      'LICENSE.txt',
      'dist/extension.js',
      'dist/server.js',
      'dist/analysis-worker.js',
      'dist/tree-sitter.wasm',
      'dist/grammars/tree-sitter-java.wasm',
      'dist/grammars/tree-sitter-typescript.wasm',
      'dist/grammars/tree-sitter-tsx.wasm',
      'dist/grammars/tree-sitter-javascript.wasm',
      'media/icon.png',
      'media/panel.js',
      'media/worker.js',
      'syntaxes/thread-dump.tmLanguage.json',
      'syntaxes/socket-listing.tmLanguage.json',
      'docs/rules/unclosed-resource.md',
      'docs/rules/self-call.md',
    ]) {
      assert.ok(files.some((f) => f.toLowerCase() === required.toLowerCase()), `${required} is packaged`);
    }
    const allowed = /^(package\.json|readme\.md|LICENSE\.txt|changelog\.md|dist\/(extension|server|analysis-worker)\.js|dist\/tree-sitter\.wasm|dist\/grammars\/tree-sitter-(java|typescript|tsx|javascript)\.wasm|media\/.+|syntaxes\/[\w.-]+\.json|docs\/.+\.md)$/i;
    for (const file of files) assert.match(file, allowed, `${file} does not belong in the .vsix`);
    assert.ok(!files.some((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('node_modules/') || f.startsWith('test/')));
    const total = entries.reduce((n, e) => n + e.size, 0);
    assert.ok(total < 10 * 1024 * 1024, `${(total / 1024 / 1024).toFixed(1)} MB unpacked`);

    // Minified, and no comment pointing at a source map that is not there.
    for (const bundle of ['dist/extension.js', 'dist/server.js', 'media/panel.js', 'media/worker.js']) {
      const text = read(bundle).toString('utf8');
      // The comment a browser or debugger follows, at the end of the bundle (the analysis itself mentions the word).
      assert.doesNotMatch(text.slice(-512), /\/\/[#@] sourceMappingURL=/, `${bundle} refers to no source map`);
      const lines = text.split('\n').length;
      assert.ok(text.length / lines > 500, `${bundle} is minified (${lines} lines for ${text.length} characters)`);
    }

    // The manifest inside is the one we ship, with the commands the client registers and the Marketplace metadata.
    const manifest = JSON.parse(read('package.json').toString('utf8'));
    assert.equal(manifest.main, './dist/extension.js');
    assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === 'closewait.scanWorkspace'));
    assert.equal(manifest.icon, 'media/icon.png');
    assert.equal(manifest.qna, false);
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/closewait\/closewait/);
    assert.match(manifest.bugs.url, /\/issues$/);
    assert.match(manifest.homepage, /^https:\/\//);

    // README images are relative and inside the package: the details page shows them offline.
    const readme = read('readme.md').toString('utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 3, `README shows its screenshots: ${images.join(', ')}`);
    for (const image of images) {
      assert.doesNotMatch(image, /^[a-z]+:/i, `${image} is relative`);
      assert.ok(files.includes(image), `${image} is in the .vsix`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

/** The chunks of a PNG: type and data. */
function pngChunks(png: Buffer): { type: string; data: Buffer }[] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  const chunks: { type: string; data: Buffer }[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    chunks.push({ type: png.toString('latin1', offset + 4, offset + 8), data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  return chunks;
}

test('the icon is a 256x256 PNG rendered from media/icon.svg as it is now (npm run icon), on the gallery banner\'s colour', () => {
  const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
  const chunks = pngChunks(readFileSync(join(repoRoot, 'media', 'icon.png')));
  const header = chunks.find((c) => c.type === 'IHDR')!.data;
  assert.deepEqual([header.readUInt32BE(0), header.readUInt32BE(4)], [256, 256]);
  const source = chunks.filter((c) => c.type === 'tEXt').map((c) => c.data.toString('latin1').split('\0')).find(([key]) => key === 'closewait:icon-svg-sha256');
  assert.ok(source, 'the PNG says which SVG it was made from');
  assert.equal(source[1], createHash('sha256').update(svg).digest('hex'), 'media/icon.png is stale: run npm run icon');
  const background = /<rect [^>]*fill="(#[0-9a-f]{6})"/i.exec(svg)?.[1];
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(manifest.galleryBanner.color.toLowerCase(), background?.toLowerCase(), 'the gallery banner matches the icon');
});
