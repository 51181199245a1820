// Keystroke latency of the language server: from sending a didChange to receiving the publishDiagnostics for that
// version, over 200 single-character edits in a 5,000-line Java file and a 5,000-line TypeScript file.
// Run: npm run build && node --import tsx bench/keystroke.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../test/server/lsp-client';
import { serviceFile } from './corpus';
import { printFigures } from './standalone';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/**
 * Types one character into a word and deletes it again, 100 times each: what an editor sends while someone types.
 * `anywhere` also lets the edits land in declarations and keywords outside function bodies.
 */
async function measure(client: LspClient, path: string, language: string, text: string, anywhere: boolean): Promise<number[]> {
  await client.open(path, text, language);
  await client.diagnosticsFor(path, { version: 1, timeoutMs: 60_000 });
  const lines = text.split('\n');
  let seed = 42;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    let line: number;
    do line = random(lines.length);
    while (!/[a-z]/i.test(lines[line]) || (!anywhere && !/^\s{2,}\S/.test(lines[line])));
    const character = lines[line].search(/[a-z]/i) + 1;
    for (const change of [
      { range: { start: { line, character }, end: { line, character } }, text: 'x' },
      { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
    ]) {
      const started = performance.now();
      const version = await client.change(path, [change]);
      await client.diagnosticsFor(path, { version, timeoutMs: 60_000 });
      latencies.push(performance.now() - started);
    }
  }
  return latencies.sort((a, b) => a - b);
}

export async function run(): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'closewait-keystroke-'));
  const client = new LspClient({ root });
  const results: Record<string, number | string> = {};
  try {
    await client.initialize();
    await client.factsReady(60_000);
    for (const [name, path, language, text] of [
      ['java', 'OrderService.java', 'java', serviceFile('java', 5_000)],
      ['ts', 'orders.ts', 'typescript', serviceFile('typescript', 5_000)],
    ] as const) {
      for (const anywhere of [false, true]) {
        const latencies = await measure(client, anywhere ? `anywhere-${path}` : path, language, text, anywhere);
        const key = `keystroke ${name}${anywhere ? ' (edits anywhere)' : ''}`;
        results[`${key} median ms`] = Number(percentile(latencies, 50).toFixed(1));
        results[`${key} p95 ms`] = Number(percentile(latencies, 95).toFixed(1));
      }
    }
  } finally {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}

if (require.main === module) printFigures('Keystroke latency: didChange → publishDiagnostics, 200 single-character edits, 5,000-line files', run);
