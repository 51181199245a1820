// `closewait dump <file>... [--format text|json]`: reads thread dumps and socket listings (`-` is standard input),
// names the cause of the hang. Exit 0 when the inputs were read (verdicts or not), 2 on a usage error or when no
// input holds anything readable; never 1.
import { setFlagsFromString } from 'node:v8';
import { analyzeDump, type DumpInput } from '../dump/index';
import { jsonChunks } from '../dump/json';
import { formatTextReport } from './dump-report';
import { InputBudget, readDumpFile, readDumpStdin } from './dump-input';
import { quoteName, safeText } from '../dump/escape';

const USAGE = `Usage: closewait dump <file>... [--format text|json]

Reads thread dumps (jstack, jcmd, kill -3, VisualVM, SAP JVM, jcmd JSON, OpenJ9 javacore), Node.js diagnostic
reports and socket listings (netstat, ss, lsof; Linux, macOS/BSD, Windows), in separate files or pasted together,
and explains the hang.
Use - to read standard input.

Inputs together may be up to 1 GiB; larger ones are refused by their size.

Exit codes: 0 the inputs were read, whatever the verdicts (a hang found is not an error); 2 usage error, an
unreadable file, inputs over 1 GiB, or no input that holds a thread dump, a socket listing or a Node.js diagnostic
report. Never 1.
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
  keepYoungGenerationSmall();
  const inputs: DumpInput[] = [];
  const budget = new InputBudget();
  for (const file of args.files) {
    try {
      inputs.push({ name: file === '-' ? 'stdin' : file, text: file === '-' ? await readDumpStdin(budget) : await readDumpFile(file, budget) });
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
  if (args.format === 'json') await writeJson(report);
  else process.stdout.write(formatTextReport(report));
  return 0;
}

/**
 * An analysis keeps most of what it allocates (the parsed threads, frames and sockets): when V8 grows its young
 * generation as these survive, it only gains room to copy them in. Held at its first size, the peak memory of 100 MB
 * of dumps is 20-30 MB lower at the same speed (bench/dump.ts). Set while the process runs: only the dump command.
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * The report as JSON, written in pieces as stdout takes them: more than a string can hold for a million threads.
 * A reader that goes away (`| head`) ends the writing.
 */
async function writeJson(report: unknown): Promise<void> {
  const out = process.stdout;
  let closed = false;
  const stop = (): void => {
    closed = true;
  };
  out.on('error', stop);
  try {
    for (const chunk of jsonChunks(report)) {
      if (closed) return;
      if (!out.write(chunk)) await drained(out);
    }
    out.write('\n');
  } finally {
    out.off('error', stop);
  }
}

function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
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

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
