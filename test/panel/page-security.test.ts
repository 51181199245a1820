// The panel page's Content-Security-Policy, and the rules its sources keep: dump text only ever becomes text
// (no HTML parsing APIs), no inline handlers, and the browser bundle stays free of Node built-ins and vscode.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { panelCsp, panelHtml } from '../../src/panel/html';
import { repoRoot } from '../helpers';

const panelRoot = join(repoRoot, 'src', 'panel');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

test('the CSP allows nothing by default, scripts by nonce only, styles and fetches from the webview only, workers from blob:', () => {
  const cspSource = 'https://*.vscode-cdn.net';
  const csp = directives(panelCsp(cspSource, 'bm9uY2U='));
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('script-src'), ["'nonce-bm9uY2U='"]);
  assert.deepEqual(csp.get('style-src'), [cspSource]);
  assert.deepEqual(csp.get('connect-src'), [cspSource]);
  assert.deepEqual(csp.get('worker-src'), ['blob:']);
  assert.deepEqual(csp.get('img-src'), [cspSource, 'data:']);
  for (const [name, values] of csp) {
    for (const value of values) assert.ok(!/unsafe|^\*$|^https?:$/.test(value), `${name} ${value}`);
  }
});

test('the page carries the nonce on its one script and escapes the URIs it is given', () => {
  const html = panelHtml({
    cspSource: 'https://x.vscode-cdn.net',
    nonce: 'abc123',
    scriptUri: 'https://x.vscode-cdn.net/media/panel.js?a=1&b="2"',
    styleUri: 'https://x.vscode-cdn.net/media/panel.css',
    workerUri: 'https://x.vscode-cdn.net/media/<worker>.js',
  });
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, ['<script nonce="abc123" src="https://x.vscode-cdn.net/media/panel.js?a=1&amp;b=&quot;2&quot;">']);
  assert.ok(html.includes('data-worker-uri="https://x.vscode-cdn.net/media/&lt;worker&gt;.js"'));
  assert.ok(!/\son[a-z]+=/i.test(html), 'no inline handlers');
  assert.ok(!/<style|style="/.test(html), 'no inline styles');
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const HTML_SINKS = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'write', 'writeln', 'createContextualFragment', 'parseFromString', 'srcdoc']);

test('src/panel never parses HTML, never evaluates strings, imports no Node built-ins and no vscode', () => {
  const files = sources(panelRoot);
  assert.ok(files.length > 5);
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const where = (node: ts.Node) => `${file.slice(repoRoot.length + 1)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && HTML_SINKS.has(node.name.text)) assert.fail(`${where(node)}: ${node.name.text}`);
      if (ts.isIdentifier(node) && (node.text === 'eval' || node.text === 'Function') && ts.isCallOrNewExpression(node.parent) && node.parent.expression === node) assert.fail(`${where(node)}: ${node.text}`);
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const spec = node.moduleSpecifier.text;
        assert.ok(spec.startsWith('./') || spec.startsWith('../dump/'), `${where(node)}: imports ${spec}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
});
