// The analysis as the CLI ships it, for in-process measurements. Benches run under tsx, which keeps function names
// by wrapping every closure it creates (`__name(...)`), a cost the esbuild bundle does not have; so what is timed
// in-process is bundled the way esbuild.mjs bundles the CLI, with the wasm files next to it.
import { cpSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

export type ScanCore = typeof import('./scan-core');

const repoRoot = join(__dirname, '..');

/** Bundles bench/scan-core.ts into a temporary folder (with dist/'s wasm files) and loads it. */
export async function loadBundledCore(): Promise<{ core: ScanCore; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'closewait-bench-bundle-'));
  const require = createRequire(__filename);
  await esbuild.build({
    entryPoints: [join(__dirname, 'scan-core.ts')],
    outfile: join(dir, 'scan-core.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        // As in esbuild.mjs: web-tree-sitter's ESM build crashes inside a CJS bundle.
        name: 'web-tree-sitter-cjs',
        setup(build) {
          build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
        },
      },
    ],
  });
  cpSync(join(repoRoot, 'dist', 'tree-sitter.wasm'), join(dir, 'tree-sitter.wasm'));
  cpSync(join(repoRoot, 'dist', 'grammars'), join(dir, 'grammars'), { recursive: true });
  return { core: require(join(dir, 'scan-core.js')) as ScanCore, dir };
}
