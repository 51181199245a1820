import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GitIgnore } from '../../src/files/gitignore';
import { globToRegExp, matchesExclude } from '../../src/files/glob';
import { walk } from '../../src/files/walk';
import { tempTree } from '../helpers';

test('globs: * stays in a folder, ** crosses folders, {a,b} and [ab] alternate', () => {
  assert.ok(globToRegExp('*.java').test('A.java'));
  assert.ok(!globToRegExp('*.java').test('src/A.java'));
  assert.ok(globToRegExp('**/*.java').test('src/main/A.java'));
  assert.ok(globToRegExp('**/*.java').test('A.java'));
  assert.ok(globToRegExp('src/**').test('src/a/b.ts'));
  assert.ok(globToRegExp('*.{ts,tsx}').test('a.tsx'));
  assert.ok(globToRegExp('file[12].js').test('file2.js'));
  assert.ok(!globToRegExp('file[12].js').test('file3.js'));
});

test('excludes: a bare name matches any segment, a path matches from the root and covers what is below', () => {
  const raw = ['generated', 'src/legacy', '**/*.spec.ts'];
  const globs = raw.map(globToRegExp);
  assert.ok(matchesExclude('a/generated/B.java', globs, raw));
  assert.ok(matchesExclude('src/legacy/old/C.java', globs, raw));
  assert.ok(!matchesExclude('lib/src/legacy/C.java', globs, raw));
  assert.ok(matchesExclude('web/app.spec.ts', globs, raw));
  assert.ok(!matchesExclude('web/app.ts', globs, raw));
});

test('gitignore: floating and anchored patterns, directory-only, negation, nested .gitignore', () => {
  const ignore = new GitIgnore();
  ignore.add('', '# comment\n*.log\n/build-output\ntmp/\n!keep.log\n');
  ignore.add('web', 'generated.ts\n/local.ts\n');
  assert.ok(ignore.ignores('a/b/debug.log', false));
  assert.ok(!ignore.ignores('a/keep.log', false));
  assert.ok(ignore.ignores('build-output', true));
  assert.ok(!ignore.ignores('src/build-output', true));
  assert.ok(ignore.ignores('src/tmp', true));
  assert.ok(!ignore.ignores('src/tmp', false));
  assert.ok(ignore.ignores('web/deep/generated.ts', false));
  assert.ok(!ignore.ignores('api/generated.ts', false));
  assert.ok(ignore.ignores('web/local.ts', false));
  assert.ok(!ignore.ignores('web/deep/local.ts', false));
});

test('a static asset folder is skipped, unless it holds TypeScript: then it is a module of the app (NestJS endpoints/public/)', () => {
  const { dir, cleanup } = tempTree({
    'web/public/js/app.js': 'fetch("/api");\n',
    'apps/api/src/app/endpoints/public/public.service.ts': 'export const quote = (s: string) => fetch(`https://q/${s}`);\n',
    'apps/api/src/app/endpoints/public/types.d.ts': 'export type Q = string;\n',
    'web/assets/types.d.ts': 'export type A = string;\n',
  });
  try {
    const { files, skipped } = walk(['.'], { cwd: dir, exclude: [] });
    const names = files.map((f) => String(f).slice(dir.length + 1)).sort();
    assert.deepEqual(names, ['apps/api/src/app/endpoints/public/public.service.ts']);
    // Listed only when it holds sources: the folder of declarations is no news.
    assert.deepEqual(skipped.map((s) => `${s.file}: ${s.reason}`), ['web/public: static web assets']);
  } finally {
    cleanup();
  }
});

