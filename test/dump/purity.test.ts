// src/dump also runs inside the panel's Web Worker: no Node built-ins, no vscode, no DOM. Checked twice: the
// sources are read with the TypeScript parser for imports and Node globals, and the browser bundle esbuild makes
// of them runs in a bare JavaScript context that has nothing but TextDecoder and TextEncoder.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { runInNewContext } from 'node:vm';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { incidentRoot, repoRoot } from './support';

const dumpRoot = join(repoRoot, 'src', 'dump');
const NODE_GLOBALS = new Set(['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate', 'document', 'window', 'navigator']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('src/dump is pure', () => {
  for (const file of sources(dumpRoot)) {
    test(relative(repoRoot, file), () => {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
          const spec = node.moduleSpecifier.text;
          assert.ok(spec.startsWith('.'), `${spec}: only relative imports`);
          assert.ok(resolve(dirname(file), spec).startsWith(dumpRoot), `${spec}: stays inside src/dump`);
        }
        if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
          const parent = node.parent;
          const isMemberName =
            ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent)) && parent.name === node);
          assert.ok(isMemberName, `${node.text} at ${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    });
  }

  test('the browser bundle analyses the incident with only TextDecoder and TextEncoder around', async () => {
    const bundle = await esbuild.build({
      entryPoints: [join(dumpRoot, 'index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      globalName: 'closewaitDump',
      target: 'es2022',
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0].text;
    const context: Record<string, unknown> = { TextDecoder, TextEncoder };
    runInNewContext(code, context);
    const api = context.closewaitDump as typeof import('../../src/dump/index');
    const bytes = new TextEncoder().encode(['jstack.txt', 'netstat.txt', 'lsof.txt'].map((f) => readFileSync(join(incidentRoot, f), 'utf8')).join('\n'));
    const report = api.analyzeDump(api.decodeDumpBytes(bytes));
    assert.equal(report.verdicts[0].kind, 'self-call-deadlock');
    assert.match(api.reportToMarkdown(report), /Self-call deadlock on port 8080/);
    assert.equal(api.detectInput('').label, 'empty');
  });
});
