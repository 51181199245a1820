// The pre-commit framework's hooks (.pre-commit-hooks.yaml), run as pre-commit runs them: the entry with the
// staged files that match `files` (or none, for pass_filenames: false), in the repository's top folder; and the
// npm package pre-commit installs for `language: node` holds the CLI the entry names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { cliPath, repoRoot } from '../helpers';

interface Hook {
  id: string;
  entry: string;
  language: string;
  files?: string;
  pass_filenames?: boolean;
  always_run?: boolean;
  require_serial?: boolean;
}

const hooks = yaml.load(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const LEAK = 'import java.net.Socket;\nclass Leak {\n  void f() throws Exception {\n    Socket s = new Socket("h", 1);\n    s.getInputStream().read();\n  }\n}\n';
const CLEAN = 'export const add = (a: number, b: number) => a + b;\n';

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' });
  assert.equal(run.status, 0, `git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

describe('.pre-commit-hooks.yaml', () => {
  let dir: string;
  let bin: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'closewait-pre-commit-'));
    // `closewait` on PATH, as `npm install -g` of the package would put it.
    bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'closewait'), `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    chmodSync(join(bin, 'closewait'), 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** pre-commit's run of one hook: the staged files it would pass, the entry, the exit code. */
  function runHook(id: string, repo: string): { status: number; stdout: string; files: string[] } {
    const hook = hooks.find((h) => h.id === id);
    assert.ok(hook, `hook ${id}`);
    const staged = git(repo, 'diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z').split('\0').filter(Boolean);
    const files = hook.pass_filenames === false ? [] : staged.filter((f) => new RegExp(hook.files ?? '').test(f));
    if (files.length === 0 && hook.pass_filenames !== false && !hook.always_run) return { status: 0, stdout: '', files };
    const [command, ...args] = hook.entry.split(' ');
    const run = spawnSync(command, [...args, ...files], { cwd: repo, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' } });
    return { status: run.status ?? -1, stdout: run.stdout + run.stderr, files };
  }

  test('two node hooks: the staged files, and the changed lines of the whole tree', () => {
    assert.deepEqual(hooks.map((h) => [h.id, h.language, h.entry]), [
      ['closewait', 'node', 'closewait scan'],
      ['closewait-changes', 'node', 'closewait scan --diff-base HEAD'],
    ]);
    const pattern = new RegExp(hooks[0].files ?? '');
    for (const file of ['A.java', 'src/a.ts', 'a.tsx', 'a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'a.mts', 'a.cts']) assert.match(file, pattern);
    for (const file of ['a.json', 'README.md', 'a.d.tsx.bak', 'java']) assert.doesNotMatch(file, pattern);
  });

  test('closewait: fails on a leak in a staged file, passes when the staged files are clean, ignores unstaged ones', () => {
    const repo = join(dir, 'staged');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'clean.ts'), CLEAN);
    writeFileSync(join(repo, 'Leak.java'), LEAK);
    git(repo, 'add', 'clean.ts');
    const clean = runHook('closewait', repo);
    assert.deepEqual(clean.files, ['clean.ts']);
    assert.equal(clean.status, 0, clean.stdout);
    git(repo, 'add', 'Leak.java');
    const leak = runHook('closewait', repo);
    assert.deepEqual(leak.files, ['Leak.java', 'clean.ts']);
    assert.equal(leak.status, 1, leak.stdout);
    assert.match(leak.stdout, /^Leak\.java$/m);
    assert.match(leak.stdout, /Socket is never closed/);
  });

  test('closewait-changes: only what changed since HEAD is reported; before the first commit, everything', () => {
    const repo = join(dir, 'changes');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    writeFileSync(join(repo, 'First.java'), LEAK.replace('class Leak', 'class First'));
    git(repo, 'add', '.');
    const first = runHook('closewait-changes', repo);
    assert.equal(first.status, 1, first.stdout);
    assert.match(first.stdout, /^First\.java$/m);
    assert.match(first.stdout, /closewait: no commit yet: every file is new \(1 file\)/);
    git(repo, 'rm', '-q', '--cached', 'First.java');
    rmSync(join(repo, 'First.java'));
    writeFileSync(join(repo, 'Old.java'), LEAK.replace('class Leak', 'class Old'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'old');
    assert.equal(runHook('closewait-changes', repo).status, 0, 'the committed leak is not this commit\'s');
    writeFileSync(join(repo, 'New.java'), LEAK.replace('class Leak', 'class New'));
    git(repo, 'add', '.');
    const run = runHook('closewait-changes', repo);
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stdout, /^New\.java$/m);
    assert.doesNotMatch(run.stdout, /^Old\.java$/m);
  });

  test('the npm package pre-commit installs (language: node) ships the CLI its entry runs', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    assert.equal(manifest.bin.closewait, './dist/cli.js');
    for (const needed of ['dist/cli.js', 'dist/scan-worker.js', 'dist/tree-sitter.wasm', 'dist/grammars/tree-sitter-java.wasm', 'package.json']) {
      assert.ok(files.includes(needed), `${needed} is in the package`);
    }
    assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map')), files.join(', '));
    // pre-commit installs the repository with `npm install`, whose postinstall builds dist/ when it is missing; then
    // it takes `npm pack`'s stdout as the tarball's name, so packing must run no lifecycle script (npm prints their
    // banners on stdout).
    assert.match(manifest.scripts.postinstall, /existsSync\('dist\/cli\.js'\).*esbuild\.mjs/);
    for (const script of ['prepare', 'prepack', 'postpack']) assert.equal(manifest.scripts[script], undefined, `no ${script} script`);
    const packed = spawnSync('npm', ['pack', '--dry-run'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(packed.stdout.trim(), `closewait-${manifest.version}.tgz`, 'npm pack prints only the tarball name');
  });
});
