// `closewait scan [paths...]`: argument handling, progress, output format and exit code around `scan`.
import { parseArgs } from 'node:util';
import { RULES } from '../analysis/rules';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { scan, type ScanReport } from './scan';
import { UnreadablePath } from './walk';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      rule: { type: 'string', multiple: true, default: [] },
      exclude: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}' (expected ${FORMATS.join(', ')})`);
  const known = new Set(RULES.map((r) => r.meta.id));
  for (const id of values.rule ?? []) if (!known.has(id)) throw new UsageError(`unknown rule '${id}' (rules: ${[...known].join(', ')})`);
  return { format, rules: values.rule ?? [], exclude: values.exclude ?? [], help: !!values.help, paths: positionals.length > 0 ? positionals : ['.'] };
}

const HELP = `Usage: closewait scan [paths...] [options]

Scans Java, TypeScript and JavaScript sources for sockets and HTTP responses left open, network calls without
timeouts, unbounded waits and self-referential HTTP calls.

Options:
  -f, --format <text|json|sarif>  output format (default: text)
      --rule <id>                 run only this rule (repeatable): ${RULES.map((r) => r.meta.id).join(', ')}
      --exclude <glob>            skip matching paths (repeatable), e.g. --exclude "**/generated/**"

Exit codes: 0 no findings, 1 findings, 2 usage error or unreadable path.
`;

function progressReporter(): { update(done: number, total: number): void; clear(): void } {
  if (!process.stderr.isTTY) return { update() {}, clear() {} };
  const started = performance.now();
  let shown = false;
  let last = 0;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - started < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\u001b[2Kclosewait: scanning ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} files`);
    },
    clear() {
      if (shown) process.stderr.write('\r\u001b[2K');
    },
  };
}

export async function scanCommand(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parse>;
  try {
    options = parse(argv);
  } catch (error) {
    process.stderr.write(`closewait scan: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const progress = progressReporter();
  let report: ScanReport;
  try {
    report = await scan(options.paths, {
      cwd: process.cwd(),
      exclude: options.exclude,
      analyze: { rules: options.rules },
      onProgress: progress.update,
    });
  } catch (error) {
    progress.clear();
    if (error instanceof UnreadablePath) {
      process.stderr.write(`closewait scan: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  progress.clear();
  const output =
    options.format === 'json'
      ? formatJson(report)
      : options.format === 'sarif'
        ? formatSarif(report)
        : formatText(report, { color: !!process.stdout.isTTY && !process.env.NO_COLOR });
  process.stdout.write(output);
  return report.findings.length > 0 ? 1 : 0;
}
