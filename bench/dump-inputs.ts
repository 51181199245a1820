// The inputs of the dump bench, written at bench time from the real dumps of ../shared/corpus (never committed):
// many small dumps concatenated, as a log of periodic `kill -3` dumps is; one huge dump made of the corpus's
// threads, as a server with a six-figure thread count prints; and a 100,000-line `ss -tanp` of the process.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * HotSpot-family text dumps of the corpus: the formats the peer reads too (jcmd JSON and the OpenJ9 excerpt are
 * left out; so is the SAP log, which alone is as big as the rest together and would dominate the mix).
 */
const SMALL_DUMPS = /^(tda__java8dump|tda__java11dump|tda__jstack_dump|tda__visualvmremote|jthreaddump__.*|spotify__.*)\.(log|txt)$/;

export interface BenchInput {
  name: string;
  path: string;
  bytes: number;
  dumps: number;
  threads: number;
  sockets: number;
}

export function corpusDumps(corpusRoot: string): { name: string; text: string }[] {
  const dir = join(corpusRoot, 'threaddumps');
  return readdirSync(dir)
    .filter((name) => SMALL_DUMPS.test(name))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'latin1') }));
}

/** A thread's header (not a deadlock report's `"name":` line). */
const THREAD_HEADER = /^"[^"]*"\s.*(?:prio=|tid=|nid=|t@\d)/;

/** Thread blocks of a HotSpot dump: a `"name" ...` header and the indented (or blank) lines under it. */
export function threadBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (THREAD_HEADER.test(line)) {
      if (current !== null) blocks.push(current.join('\n') + '\n');
      current = [line];
    } else if (current !== null && (line === '' || /^\s/.test(line))) {
      current.push(line);
    } else if (current !== null) {
      blocks.push(current.join('\n') + '\n');
      current = null;
    }
  }
  if (current !== null) blocks.push(current.join('\n') + '\n');
  return blocks.map((b) => b.replace(/\n+$/, '\n') + '\n');
}

/** The corpus's small dumps one after another, round robin, until `bytes`. */
export function concatenatedDumps(corpusRoot: string, bytes: number, path: string): BenchInput {
  const dumps = corpusDumps(corpusRoot);
  const parts: string[] = [];
  let size = 0;
  let count = 0;
  let threads = 0;
  const threadCounts = dumps.map((d) => threadBlocks(d.text).length);
  while (size < bytes) {
    const k = count % dumps.length;
    const text = dumps[k].text.endsWith('\n') ? dumps[k].text : dumps[k].text + '\n';
    parts.push(text, '\n');
    size += text.length + 1;
    threads += threadCounts[k];
    count++;
  }
  writeFileSync(path, parts.join(''), 'latin1');
  return { name: `${Math.round(bytes / 2 ** 20)} MB, ${count.toLocaleString('en-US')} real dumps concatenated`, path, bytes: size, dumps: count, threads, sockets: 0 };
}

/** One dump whose threads are the corpus's HotSpot threads over and over, each with its own number, until `bytes`. */
export function oneHugeDump(corpusRoot: string, bytes: number, path: string): BenchInput {
  const blocks = corpusDumps(corpusRoot)
    .filter((d) => !d.name.startsWith('tda__visualvm'))
    .flatMap((d) => threadBlocks(d.text));
  const parts = ['2026-01-20 17:29:40\nFull thread dump OpenJDK 64-Bit Server VM (21.0.9+10-LTS mixed mode, sharing):\n\n'];
  let size = parts[0].length;
  let threads = 0;
  while (size < bytes) {
    const block = blocks[threads % blocks.length];
    // A fresh JVM thread number, so that threads stay distinct as in a real dump.
    const numbered = /^("[^\n]*"\s+)#\d+/.test(block) ? block.replace(/^("[^\n]*"\s+)#\d+/, `$1#${threads + 1}`) : block;
    parts.push(numbered);
    size += numbered.length;
    threads++;
  }
  parts.push('JNI global refs: 2117, weak refs: 0\n');
  writeFileSync(path, parts.join(''), 'latin1');
  return { name: `${Math.round(bytes / 2 ** 20)} MB, one dump of ${threads.toLocaleString('en-US')} threads`, path, bytes: size, dumps: 1, threads, sockets: 0 };
}

/**
 * `ss -tanp` of a Tomcat on 8080 (pid 4242) under load: clients on 8080, a quarter of them in CLOSE-WAIT, database
 * connections out, TIME-WAIT leftovers, and the process's own calls to 8080 (a self-call) every hundredth row.
 */
export function ssListing(lines: number): string {
  const rows = ['State      Recv-Q Send-Q      Local Address:Port        Peer Address:Port Process'];
  const owner = (fd: number): string => `users:(("java",pid=4242,fd=${fd}))`;
  rows.push(`LISTEN     0      100                 *:8080                  *:*     ${owner(40)}`);
  rows.push(`LISTEN     0      50          127.0.0.1:8005            0.0.0.0:*     ${owner(41)}`);
  for (let i = 3; i < lines; i++) {
    const client = `10.${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    const port = 32768 + (i % 28000);
    const fd = 100 + i;
    const database = `10.0.9.${Math.floor(i / 28000)}`;
    const row = (state: string, recv: number, local: string, peer: string, process: string): string =>
      `${state.padEnd(10)} ${String(recv).padEnd(6)} 0      ${local.padStart(22)} ${peer.padStart(22)} ${process}`;
    if (i % 100 === 0) rows.push(row('ESTAB', 0, `127.0.0.1:${port}`, '127.0.0.1:8080', owner(fd)));
    else if (i % 5 === 0) rows.push(row('ESTAB', 0, `10.0.0.5:${port}`, `${database}:5432`, owner(fd)));
    else if (i % 5 === 1) rows.push(row('TIME-WAIT', 0, `10.0.0.5:${port}`, `${database}:5432`, ''));
    else if (i % 5 === 2) rows.push(row('CLOSE-WAIT', 1, '10.0.0.5:8080', `${client}:${port}`, owner(fd)));
    else rows.push(row('ESTAB', 0, '10.0.0.5:8080', `${client}:${port}`, owner(fd)));
  }
  return rows.join('\n') + '\n';
}

/** `input` with a 100,000-line listing after it, in one file (as a paste of both is). */
export function withListing(input: BenchInput, lines: number, path: string): BenchInput {
  const listing = ssListing(lines);
  const text = readFileSync(input.path, 'latin1') + '\n' + listing;
  writeFileSync(path, text, 'latin1');
  return { ...input, name: `${input.name} + ${lines.toLocaleString('en-US')}-line ss -tanp`, path, bytes: text.length, sockets: lines - 1 };
}
