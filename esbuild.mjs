// Builds every bundle the product ships: one per entry point, all CommonJS for Node (the webview panel is an
// IIFE for the browser), plus the tree-sitter wasm files copied next to the bundles.
//   node esbuild.mjs                 development: readable bundles with linked source maps (tests, debugging)
//   node esbuild.mjs --production    what the .vsix ships: minified; the maps are written beside the bundles with
//                                    no sourceMappingURL comment (they do not ship; load them by hand to debug)
//   --outdir <dir>                   write dist/ and media/'s bundles under <dir> instead of here
//   --watch                          rebuild on change
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const outIndex = process.argv.indexOf('--outdir');
const outRoot = outIndex >= 0 ? process.argv[outIndex + 1] : '.';
const out = (path) => join(outRoot, path);

// esbuild would pick web-tree-sitter's ESM build (import.meta.url), which crashes inside a CJS bundle.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? 'external' : 'linked',
  minify: production,
  logLevel: 'warning',
  plugins: [webTreeSitterCjs],
  external: ['vscode'],
};

const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'src/cli/scan-worker.ts', out: 'dist/scan-worker.js' },
  { in: 'src/server/main.ts', out: 'dist/server.js' },
  { in: 'src/server/analysis-worker.ts', out: 'dist/analysis-worker.js' },
  { in: 'src/extension.ts', out: 'dist/extension.js' },
];

const builds = entries
  .filter((e) => existsSync(e.in))
  .map((e) => ({ ...node, entryPoints: [e.in], outfile: out(e.out), banner: e.banner ? { js: e.banner } : undefined }));

if (existsSync('src/panel/main.ts')) {
  builds.push({
    entryPoints: ['src/panel/main.ts'],
    outfile: out('media/panel.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: false,
    minify: production,
    logLevel: 'warning',
  });
}
if (existsSync('src/panel/worker.ts')) {
  builds.push({
    entryPoints: ['src/panel/worker.ts'],
    outfile: out('media/worker.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: false,
    minify: production,
    logLevel: 'warning',
  });
}

function copyWasm() {
  mkdirSync(out('dist/grammars'), { recursive: true });
  cpSync(join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'), out('dist/tree-sitter.wasm'));
  const grammars = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  for (const name of ['java', 'typescript', 'tsx', 'javascript']) {
    cpSync(join(grammars, `tree-sitter-${name}.wasm`), out(`dist/grammars/tree-sitter-${name}.wasm`));
  }
}

copyWasm();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
