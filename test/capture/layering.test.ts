// src/capture runs processes, so it is Node-only: it may use node: modules, the dump core and itself, never vscode
// (the CLI uses it too) nor the faces above it. The dump core never reaches back into it (test/dump/purity.test.ts
// keeps src/dump to its own folder).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../helpers';

const captureRoot = join(repoRoot, 'src', 'capture');
const allowed = [captureRoot, join(repoRoot, 'src', 'dump'), join(repoRoot, 'src', 'version.ts')];

function imports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  return source.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? [s.moduleSpecifier.text] : [],
  );
}

test('src/capture imports node: modules, src/dump, src/version and itself only', () => {
  const files = readdirSync(captureRoot).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 5);
  for (const file of files) {
    for (const spec of imports(join(captureRoot, file))) {
      if (spec.startsWith('node:')) continue;
      assert.ok(spec.startsWith('.'), `${file}: ${spec} (no packages: the CLI bundle and the extension host both carry it)`);
      const target = resolve(dirname(join(captureRoot, file)), spec);
      assert.ok(allowed.some((a) => target === a.replace(/\.ts$/, '') || target.startsWith(`${a}`)), `${file}: ${relative(repoRoot, target)} is outside what src/capture may use`);
    }
  }
});

test('the faces that capture: the CLI and the client; the panel and the servers never do', () => {
  const users = (dir: string): string[] =>
    readdirSync(join(repoRoot, 'src', dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && imports(join(repoRoot, 'src', dir, f)).some((s) => /\/capture(\/|$)/.test(s)))
      .map((f) => `${dir}/${f}`);
  assert.deepEqual([...users('cli'), ...users('client')].sort(), ['cli/capture-command.ts', 'client/capture.ts']);
  for (const dir of ['panel', 'server', 'analysis', 'dump', 'files']) assert.deepEqual(users(dir), [], `src/${dir} does not capture`);
});
