// `closewait capture <target>`: takes N thread dumps (or Node.js diagnostic reports) at an interval with a socket
// listing of the same process at each, writes them to a folder with the analysis, and prints the analysis.
// Exit 0 when every capture was taken, 3 when some part is missing (what was taken is written and analysed, and
// stderr says what is missing), 2 on a usage error or when nothing could be captured; never 1.
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  analyzeCapture,
  capture,
  CaptureError,
  captureFolderName,
  CAPTURES_FOLDER,
  DEFAULT_TOOLS,
  formatMs,
  parseDuration,
  parseTarget,
  writeCapture,
  type CaptureResult,
} from '../capture/index';
import { quoteName, safeText } from '../dump/escape';
import { formatTextReport } from './dump-report';

const USAGE = `Usage: closewait capture <target> [--dumps N] [--interval 5s] [--out DIR] [--format text|json]
                        [-n <namespace>] [--context <context>] [--timeout 30s] [--docker <cli>] [--kubectl <cli>]

Takes N thread dumps (jcmd, else jstack) or Node.js diagnostic reports at the interval, with a socket listing of
the same process at each (ss, else netstat, else /proc/<pid>/net/tcp with /proc/<pid>/fd, else lsof), writes them
to a folder and prints the analysis.

Targets:
  <pid>                   a JVM or Node.js process of this machine
  <name>                  the one JVM or Node.js process whose name, main class, script or command line holds it
  docker:<container>      the JVM (or Node.js process) inside a container, through docker exec
  k8s:<pod>[/<container>] the same inside a Kubernetes pod, through kubectl exec (-n, --context)

Options:
  --dumps N        captures to take (default 3, at most 100)
  --interval T     from the start of one capture to the next: 5s, 500ms, 1m (default 5s)
  --out DIR        the folder for the captures (default .closewait/captures/<time>-<name>-<pid>)
  --format F       text (default) or json: {"capture", "folder", "analysis"}
  --timeout T      deadline of each command (default 30s; doubled through docker/kubectl)

Node.js reports: through --report-on-signal when the process runs with it, else its inspector (SIGUSR1, then
process.report.getReport(); the inspector is closed again). Environment variables are removed from reports.
Sockets are narrowed to the process, with every listening socket of the host kept.

Exit codes: 0 every capture was taken (whatever the verdicts); 3 some part is missing: what was taken is written
and analysed, and standard error says what is missing (also after Ctrl-C); 2 usage error, or nothing could be
captured (no such process, several match, no permission: the message says what to run instead). Never 1.
`;

interface CaptureArgs {
  target: string;
  dumps: number;
  intervalMs: number;
  timeoutMs: number;
  out: string | null;
  format: 'text' | 'json';
  namespace: string | null;
  context: string | null;
  docker: string;
  kubectl: string;
}

export async function captureCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    process.stderr.write(`closewait capture: ${args}\n\n${USAGE}`);
    return 2;
  }
  const target = parseTarget(args.target, { namespace: args.namespace, context: args.context });
  if (typeof target === 'string') {
    process.stderr.write(`closewait capture: ${target}\n`);
    return 2;
  }
  if ((args.namespace !== null || args.context !== null) && target.kind !== 'k8s') {
    process.stderr.write('closewait capture: -n and --context apply to k8s:<pod> targets only\n');
    return 2;
  }

  // Ctrl-C stops the capture and keeps what it took; a second one stops at once.
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nclosewait capture: stopping; keeping what was captured (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  let result: CaptureResult;
  try {
    let announced = false;
    result = await capture(args.target, target, {
      dumps: args.dumps,
      intervalMs: args.intervalMs,
      timeoutMs: args.timeoutMs,
      signal: controller.signal,
      tools: { docker: args.docker, kubectl: args.kubectl },
      onProgress: ({ message }) => {
        if (!announced) {
          announced = true;
          process.stderr.write(`closewait capture: ${safeText(args.target)}: ${args.dumps === 1 ? '1 capture' : `${args.dumps} captures, ${formatMs(args.intervalMs)} apart`}\n`);
        }
        process.stderr.write(`  ${safeText(message)}\n`);
      },
    });
  } catch (error) {
    if (error instanceof CaptureError) {
      process.stderr.write(`closewait capture: ${error.message.split('\n').map(safeText).join('\n')}\n`);
      return 2;
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }

  const report = analyzeCapture(result);
  const folder = args.out ?? join(CAPTURES_FOLDER, captureFolderName(result));
  let written: string[];
  try {
    written = writeCapture(result, report, folder);
  } catch (error) {
    process.stderr.write(`closewait capture: cannot write ${quoteName(folder)}: ${safeText(error instanceof Error ? error.message : String(error))}\n`);
    return 2;
  }
  const record = result.record;
  if (args.format === 'json') process.stdout.write(`${JSON.stringify({ capture: record, folder, analysis: report }, null, 2)}\n`);
  else process.stdout.write(`${summaryLines(result, folder).map(safeText).join('\n')}\n\n${formatTextReport(report)}`);
  process.stderr.write(`closewait capture: wrote ${written.length} files to ${quoteName(shownPath(folder))}\n`);
  for (const line of record.missing) process.stderr.write(`closewait capture: missing: ${safeText(line)}\n`);
  return record.missing.length > 0 || record.interrupted ? 3 : 0;
}

/** The capture's own section above the incident report: what, where, how long, what is missing. */
function summaryLines(result: CaptureResult, folder: string): string[] {
  const r = result.record;
  const t = r.target;
  const range = (values: (number | null)[]): string => {
    const ms = values.filter((v): v is number => v !== null);
    if (ms.length === 0) return '';
    const [low, high] = [Math.min(...ms), Math.max(...ms)];
    return low === high ? formatMs(low) : `${formatMs(low)} to ${formatMs(high)}`;
  };
  const out = ['CloseWait capture', ''];
  out.push(`  Target   pid ${t.pid} ${t.name} (${t.runtime === 'java' ? 'JVM' : 'Node.js'} ${t.main}${t.user !== null ? `, user ${t.user}` : ''}) on ${t.place}`);
  const apart = r.requested.dumps > 1 ? `, ${formatMs(r.requested.intervalMs)} apart` : '';
  out.push(`  Taken    ${result.files.length} of ${r.requested.dumps} capture${r.requested.dumps === 1 ? '' : 's'}${apart}, in ${formatMs(r.ms)}${r.interrupted ? ' (interrupted)' : ''}`);
  const took = [
    [t.runtime === 'java' ? 'thread dump' : 'report', range(r.files.filter((f) => f.threads || f.report).map((f) => f.threadsMs))],
    ['socket listing', range(r.files.filter((f) => f.sockets).map((f) => f.socketsMs))],
  ].filter(([, ms]) => ms !== '');
  if (took.length > 0) out.push(`  Each     ${took.map(([what, ms]) => `${what} ${ms}`).join(', ')}`);
  if (r.sockets.method !== null) {
    out.push(`  Sockets  ${r.sockets.method}: ${r.sockets.unfiltered === null ? `${r.sockets.kept} of ${r.sockets.total} kept (pid ${t.pid} and every listener)` : `${r.sockets.total}, not narrowed`}`);
  }
  out.push(`  Folder   ${shownPath(folder)}`);
  for (const note of r.notes) out.push(`  Note     ${note}`);
  for (const line of r.missing) out.push(`  Missing  ${line}`);
  return out;
}

/** Relative to the current folder when inside it, else absolute. */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

function parseArgs(argv: readonly string[]): CaptureArgs | string {
  const args: CaptureArgs = {
    target: '',
    dumps: 3,
    intervalMs: 5000,
    timeoutMs: 30_000,
    out: null,
    format: 'text',
    namespace: null,
    context: null,
    docker: DEFAULT_TOOLS.docker,
    kubectl: DEFAULT_TOOLS.kubectl,
  };
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (name !== arg ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--dumps': {
        const text = value() ?? '';
        const n = Number(text);
        if (!/^\d+$/.test(text) || n < 1 || n > 100) return `--dumps must be a number from 1 to 100, not '${text}'`;
        args.dumps = n;
        break;
      }
      case '--interval':
      case '--timeout': {
        const text = value() ?? '';
        const ms = parseDuration(text);
        const [min, max] = name === '--interval' ? [0, 3_600_000] : [1000, 3_600_000];
        if (ms === null || ms < min || ms > max) return `${name} must be a duration such as 5s, 500ms or 1m${name === '--timeout' ? ' (at least 1s)' : ''}, not '${text}'`;
        if (name === '--interval') args.intervalMs = ms;
        else args.timeoutMs = ms;
        break;
      }
      case '--out':
      case '-o': {
        const text = value();
        if (text === undefined || text === '') return `${name} needs a folder`;
        args.out = text;
        break;
      }
      case '--format': {
        const text = value();
        if (text !== 'text' && text !== 'json') return `--format must be text or json, not '${text ?? ''}'`;
        args.format = text;
        break;
      }
      case '-n':
      case '--namespace':
      case '--context':
      case '--docker':
      case '--kubectl': {
        const text = value();
        if (text === undefined || text === '') return `${name} needs a value`;
        if (name === '--context') args.context = text;
        else if (name === '--docker') args.docker = text;
        else if (name === '--kubectl') args.kubectl = text;
        else args.namespace = text;
        break;
      }
      default:
        if (arg.startsWith('-')) return `unknown option '${arg}'`;
        targets.push(arg);
    }
  }
  if (targets.length === 0) return 'no target: name a pid, a process name, docker:<container> or k8s:<pod>[/<container>]';
  if (targets.length > 1) return `one target at a time, not ${targets.map((t) => `'${t}'`).join(' and ')}`;
  args.target = targets[0];
  return args;
}
