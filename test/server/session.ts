// An editing session driven through the real language server: keystrokes typed into the functions of a file, the
// server's resident memory sampled as it goes. Shared by the long-session test and bench/long-session.ts.
import { readFileSync } from 'node:fs';
import type { LspClient } from './lsp-client';

/** Resident memory of a process in MB (its threads included), from /proc. */
export function residentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export interface Session {
  /** [edits done, resident MB] samples. */
  readonly samples: [number, number][];
  readonly msPerEdit: number;
}

/**
 * Opens `text` and types into it as someone would: a word of up to four characters typed into a line inside a
 * function, then deleted again, line after line, `edits` keystrokes in all. Every `waitEvery` keystrokes it waits
 * for the diagnostics of that version; every `sampleEvery` it samples the server's resident memory.
 */
export async function editSession(client: LspClient, path: string, text: string, edits: number, options: { waitEvery?: number; sampleEvery?: number; languageId?: string } = {}): Promise<Session> {
  const waitEvery = options.waitEvery ?? 1;
  const sampleEvery = options.sampleEvery ?? 100;
  await client.open(path, text, options.languageId ?? 'typescript');
  await client.diagnosticsFor(path, { version: 1, timeoutMs: 180_000 });
  const lines = text.split('\n');
  const editable = lines.map((l, i) => (/^\s{2,}[A-Za-z]/.test(l) ? i : -1)).filter((i) => i >= 0);
  if (editable.length === 0) throw new Error('no indented line to type into');
  let seed = 18;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const samples: [number, number][] = [];
  const started = performance.now();
  let done = 0;
  while (done < edits) {
    const line = editable[random(editable.length)];
    const character = lines[line].search(/[A-Za-z]/) + 1;
    const word = 'abcd'.slice(0, 1 + random(4));
    const keystrokes = [
      ...[...word].map((c, i) => ({ range: { start: { line, character: character + i }, end: { line, character: character + i } }, text: c })),
      ...[...word].map((_, i) => ({ range: { start: { line, character: character + word.length - i - 1 }, end: { line, character: character + word.length - i } }, text: '' })),
    ];
    for (const change of keystrokes) {
      if (done === edits) break;
      const version = await client.change(path, [change]);
      done++;
      if (done % waitEvery === 0 || done === edits) await client.diagnosticsFor(path, { version, timeoutMs: 180_000 });
      if (done % sampleEvery === 0) samples.push([done, residentMb(client.pid)]);
    }
  }
  return { samples, msPerEdit: (performance.now() - started) / edits };
}
