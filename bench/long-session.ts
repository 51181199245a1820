// A long editing session against the real language server over stdio: 10,000 keystrokes typed into the methods of a
// TypeScript file (each waits for the diagnostics of its version, as an editor shows them), the server's resident
// memory sampled as it goes. Goal (issue 18): resident memory after 10,000 edits within 1.2x of after the first
// 100 (compared as means over the first and the last thousand edits: the memory saws between collections). Run on
// two files: ~200 KB, analysed on the server's main thread, and ~1 MB, analysed on its background worker.
// Run: npm run build && node --import tsx bench/long-session.ts [edits] [size-in-KB ...]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../test/server/lsp-client';
import { editSession } from '../test/server/session';
import { serviceFile } from './corpus';
import { against, round, type Figures } from './figures';
import { printFigures } from './standalone';

const GOAL = 1.2;

/** A TypeScript service file of about `kb` kilobytes, from the scan bench's generator. */
export function tsFileOf(kb: number): string {
  // serviceFile makes one file of about n lines; around 35 characters a line.
  const lines = Math.round((kb * 1024) / 35);
  let text = serviceFile('typescript', lines);
  while (text.length < kb * 1024 * 0.95) text += `\n${serviceFile('typescript', lines, text.length)}`;
  return text;
}

export async function run(): Promise<Figures> {
  const [editsArg, ...sizes] = process.argv.slice(2).filter((a) => /^\d+$/.test(a));
  const edits = Number(editsArg ?? 10_000);
  const results: Figures = {};
  for (const kb of sizes.length > 0 ? sizes.map(Number) : [200, 1024]) {
    const root = mkdtempSync(join(tmpdir(), 'closewait-session-'));
    const client = new LspClient({ root });
    try {
      await client.initialize();
      await client.factsReady(60_000);
      const text = tsFileOf(kb);
      // The big file is analysed in the background, five times slower: waiting for every fourth version keeps the
      // session under ten minutes and still analyses it 2,500 times.
      const { samples, msPerEdit } = await editSession(client, 'session.ts', text, edits, { waitEvery: kb > 256 ? 4 : 1 });
      const at = (n: number) => samples.find(([done]) => done >= n)?.[1] ?? Number.NaN;
      // Resident memory saws up and down by a fifth between collections: single samples compare phases of the saw,
      // means over the first and the last tenth of the session (from the 100th edit) compare levels.
      const mean = (from: number, to: number) => {
        const within = samples.filter(([done]) => done >= from && done <= to).map(([, mb]) => mb);
        return within.reduce((sum, mb) => sum + mb, 0) / within.length;
      };
      const early = mean(100, Math.max(100, edits / 10));
      const late = mean(edits - edits / 10, edits);
      const peak = Math.max(...samples.map(([, mb]) => mb));
      const name = `${Math.round(text.length / 1024)} KB file`;
      results[`${name}: RSS after 100 edits, MB`] = Math.round(at(100));
      results[`${name}: RSS after ${edits.toLocaleString('en-US')} edits, MB`] = Math.round(samples.at(-1)?.[1] ?? Number.NaN);
      results[`${name}: RSS ratio, last tenth / first tenth (means)`] = against(round(late / early, 2), `<= ${GOAL}x`, late / early <= GOAL);
      results[`${name}: peak ratio over the session`] = round(peak / early, 2);
      results[`${name}: ms per edit`] = round(msPerEdit);
      process.stderr.write(`${name}: ${samples.map(([n, mb]) => `${n}:${Math.round(mb)}`).join(' ')}\n`);
    } finally {
      await client.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }
  return results;
}

if (require.main === module) printFigures('Long editing session: resident memory of the language server, first 100 edits against the last', run);
