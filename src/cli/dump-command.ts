// `closewait dump <file>... [--format text|json]`: reads thread dumps and socket listings (`-` is standard input),
// names the cause of the hang. Exit 0 when the inputs were read (verdicts or not), 2 on a usage error or when no
// input holds anything readable; never 1.
import { readFile } from 'node:fs/promises';
import { analyzeDump, decodeDumpBytes, type DumpInput } from '../dump/index';
import { formatTextReport } from './dump-report';
import { quoteName, safeText } from '../dump/escape';

const USAGE = `Usage: closewait dump <file>... [--format text|json]

Reads thread dumps (jstack, jcmd, kill -3, VisualVM, SAP JVM, jcmd JSON, OpenJ9 javacore), Node.js diagnostic
reports and socket listings (netstat, ss, lsof; Linux, macOS/BSD, Windows), in separate files or pasted together,
and explains the hang.
Use - to read standard input.

Exit codes: 0 the inputs were read, whatever the verdicts (a hang found is not an error); 2 usage error, an
unreadable file, or no input that holds a thread dump, a socket listing or a Node.js diagnostic report. Never 1.
`;

interface DumpArgs {
  files: string[];
  format: 'text' | 'json';
}

export async function dumpCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    process.stderr.write(`closewait dump: ${args}\n\n${USAGE}`);
    return 2;
  }
  const inputs: DumpInput[] = [];
  for (const file of args.files) {
    try {
      const bytes = file === '-' ? await readStdin() : asBytes(await readFile(file));
      inputs.push({ name: file === '-' ? 'stdin' : file, text: decodeDumpBytes(bytes) });
    } catch (error) {
      process.stderr.write(`closewait dump: cannot read ${file === '-' ? 'standard input' : quoteName(file)}: ${safeText(reason(error))}\n`);
      return 2;
    }
  }
  const report = analyzeDump(inputs);
  const unreadable = report.inputs.filter((i) => i.formats.length === 0);
  if (unreadable.length === report.inputs.length) {
    // Nothing to report on: say why for each input, once. (When some input was read, the report lists the others.)
    for (const input of unreadable) {
      const why = input.warnings.at(-1) ?? 'nothing recognised';
      const expected = /thread dump|socket listing/.test(why) ? '' : '; expected a thread dump, a socket listing or a Node.js diagnostic report';
      process.stderr.write(`closewait dump: ${quoteName(input.name)}: ${safeText(why)}${expected}\n`);
    }
    return 2;
  }
  process.stdout.write(args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatTextReport(report));
  return 0;
}

function parseArgs(argv: readonly string[]): DumpArgs | string {
  const files: string[] = [];
  let format: DumpArgs['format'] = 'text';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? argv[++i] : arg.slice('--format='.length);
      if (value !== 'text' && value !== 'json') return `--format must be text or json, not '${value ?? ''}'`;
      format = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option '${arg}'`;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) return 'no input: name a file, or - for standard input';
  if (files.filter((f) => f === '-').length > 1) return 'standard input (-) can be read only once';
  return { files, format };
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : asBytes(chunk as Buffer);
    chunks.push(bytes);
    length += bytes.length;
  }
  const all = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
