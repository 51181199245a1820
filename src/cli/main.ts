// `closewait`: the command-line face of both cores. `scan` runs the static rules over source trees,
// `dump` explains a thread dump and a socket listing. Exit codes: 0 nothing found, 1 findings (for scan: at or above
// --fail-on), 2 usage or input error.
import { scanCommand } from './scan-command';
import { dumpCommand } from './dump-command';
import { VERSION } from '../version';

const USAGE = `closewait ${VERSION}

Usage:
  closewait scan [paths...] [--format text|json|sarif|github|markdown] [--rule <id>]... [--exclude <glob>]... [--jobs N]
                 [--diff-base <git-ref>] [--baseline <file>] [--write-baseline <file>] [--fail-on error|warning|info]
  closewait dump <file>... [--format text|json]     (use - to read standard input)
  closewait --version | --help

Exit codes: 0 no findings (scan: none at or above --fail-on), 1 findings, 2 usage error or unreadable input.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'scan':
      return scanCommand(rest);
    case 'dump':
      return dumpCommand(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(command ? `closewait: unknown command '${command}'\n\n${USAGE}` : USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`closewait: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
