// `closewait`: the command-line face of both cores. `scan` runs the static rules over source trees,
// `dump` explains a thread dump and a socket listing, `capture` takes them from a running process and explains them.
// Exit codes: scan 0 nothing at or above --fail-on, 1 findings, 2 usage or input error; dump 0 read (verdicts or
// not), 2 usage error or nothing readable; capture 0 all taken, 3 some part missing, 2 usage error or nothing taken.
import { VERSION } from '../version';

const USAGE = `closewait ${VERSION}

Usage:
  closewait scan [paths...] [--format text|json|sarif|github|markdown] [--rule <id>]... [--exclude <glob>]... [--jobs N]
                 [--diff-base <git-ref>] [--baseline <file>] [--write-baseline <file>] [--fail-on error|warning|info]
  closewait dump <file>... [--format text|json]     (use - to read standard input)
  closewait capture <pid|name|docker:<container>|k8s:<pod>[/<container>]> [--dumps N] [--interval 5s] [--out DIR]
                    [--format text|json] [-n <namespace>] [--context <context>]   (closewait capture --help)
  closewait --version | --help

Exit codes:
  scan  0 no reported finding at or above --fail-on, 1 at least one, 2 usage error or unreadable path/baseline
  dump  0 the inputs were read (whatever the verdicts), 2 usage error or nothing readable; never 1
  capture  0 every capture was taken (whatever the verdicts), 3 some part is missing (what was taken is written and
        analysed), 2 usage error or nothing could be captured; never 1
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command is loaded when run (the bundle keeps it lazy): `dump` never loads tree-sitter or the child
    // processes `scan` and `capture` need, which is a good part of a small dump's time.
    case 'scan':
      return (await import('./scan-command')).scanCommand(rest);
    case 'dump':
      return (await import('./dump-command')).dumpCommand(rest);
    case 'capture':
      return (await import('./capture-command')).captureCommand(rest);
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
