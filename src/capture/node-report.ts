// Node.js diagnostic reports of a running process, two ways:
// - the process runs with --report-on-signal: send its report signal and read the file it writes (the gentler way,
//   and the only one through `docker exec`/`kubectl exec`);
// - otherwise, on this machine: SIGUSR1 opens its inspector, then `process.report.getReport()` is evaluated over the
//   inspector's WebSocket; the inspector the capture opened is closed again at the end.
// Either way the report's environment variables are removed: captures are attached to tickets, and secrets live there.
import { analyzeDump } from '../dump/index';
import { howItEnded, succeeded } from './exec';
import { inspectorTargets, InspectorSession } from './inspector';
import { NODE_OPTIONS_WITH_VALUE, type ProcessInfo } from './processes';
import type { Runner } from './runner';
import { SocketLister } from './sockets';
import { shellLine } from './target';

export interface ReportSource {
  /** How reports are taken, for the record: "the inspector on 127.0.0.1:9229 (opened with SIGUSR1)". */
  how: string;
  take(): Promise<{ text: string; command: string } | { error: string }>;
  /** Undoes what the capture did to the process; says what it did, or null. */
  close(): Promise<string | null>;
  /** The inspector's port: its sockets are the capture's own, not the incident's. */
  inspectorPort: number | null;
}

export interface ReportFlags {
  onSignal: boolean;
  signal: string;
  directory: string | null;
  filename: string | null;
  /** --inspect-port / --inspect=[host:]port, when given. */
  inspectPort: number | null;
}

const ENV_NOTE = 'removed by closewait capture: a report is attached to tickets, and secrets live in the environment';
/** Evaluated in the target: the report without its environment, as Node writes it (2-space JSON). */
export const REPORT_EXPRESSION = `(() => { const r = process.report.getReport(); r.environmentVariables = { note: ${JSON.stringify(ENV_NOTE)} }; return JSON.stringify(r, null, 2); })()`;
/** inspector.close() waits for connections to end: scheduled, it runs once the capture's session has gone. */
const CLOSE_INSPECTOR = "typeof process.getBuiltinModule === 'function' && (setTimeout(() => process.getBuiltinModule('node:inspector').close(), 200), true)";
const POLL_MS = 150;

/** The report and inspector options of a Node.js process: its command line before the script, then NODE_OPTIONS. */
export function reportFlags(argv: readonly string[], nodeOptions: string): ReportFlags {
  const flags: ReportFlags = { onSignal: false, signal: 'SIGUSR2', directory: null, filename: null, inspectPort: null };
  const options: string[] = [];
  // Node's own options come before the script; a value may be the next argument (`--report-signal SIGWINCH`).
  for (let i = 1; i < argv.length && argv[i].startsWith('-') && argv[i] !== '--'; i++) {
    options.push(argv[i]);
    if (NODE_OPTIONS_WITH_VALUE.has(argv[i]) && i + 1 < argv.length) options.push(argv[++i]);
  }
  options.push(...nodeOptions.split(/\s+/).filter((o) => o !== ''));
  for (let i = 0; i < options.length; i++) {
    const [name, inline] = options[i].split(/=(.*)/s, 2);
    const value = (): string | null => inline ?? options[++i] ?? null;
    switch (name) {
      case '--report-on-signal':
        flags.onSignal = true;
        break;
      case '--report-signal':
        flags.signal = value() ?? flags.signal;
        break;
      case '--report-directory':
      case '--report-dir':
        flags.directory = value();
        break;
      case '--report-filename':
        flags.filename = value();
        break;
      case '--inspect-port':
      case '--debug-port':
        flags.inspectPort = portOf(value());
        break;
      case '--inspect':
      case '--inspect-brk':
      case '--inspect-wait':
        if (inline !== undefined) flags.inspectPort = portOf(inline);
        break;
    }
  }
  return flags;
}

function portOf(value: string | null): number | null {
  const port = Number(/(?:^|:)(\d+)$/.exec(value ?? '')?.[1]);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : null;
}

/**
 * How reports of `target` can be taken, or why they cannot (said as what to do instead). `environ` is the process's
 * /proc/<pid>/environ when readable (for NODE_OPTIONS).
 */
export async function openReportSource(runner: Runner, target: ProcessInfo, environ: string | null, argv: readonly string[]): Promise<ReportSource | { error: string }> {
  const nodeOptions = /(?:^|\0)NODE_OPTIONS=([^\0]*)/.exec(environ ?? '')?.[1] ?? '';
  const flags = reportFlags(argv, nodeOptions);
  if (flags.onSignal && !/^std(?:out|err)$/.test(flags.filename ?? '')) return signalSource(runner, target.pid, flags, target.user);
  if (runner.place.kind !== 'local') {
    return {
      error: `pid ${target.pid} in ${runner.place.label} runs without --report-on-signal, and its inspector cannot be reached from outside the container: restart it with NODE_OPTIONS=--report-on-signal for the next incident`,
    };
  }
  return inspectorSource(runner, target.pid, flags, target.user);
}

// --- --report-on-signal ---------------------------------------------------------------------------------------

async function signalSource(runner: Runner, pid: number, flags: ReportFlags, user: string | null): Promise<ReportSource | { error: string }> {
  const cwd = await runner.run(['readlink', `/proc/${pid}/cwd`]);
  const base = succeeded(cwd) ? cwd.stdout.trim() : null;
  const dir = flags.directory !== null && flags.directory.startsWith('/') ? flags.directory : base !== null ? join(base, flags.directory ?? '.') : null;
  if (dir === null) return { error: `pid ${pid} runs with --report-on-signal, but where it writes reports is unknown (${howItEnded(cwd, 'readlink')})` };
  const signal = flags.signal.replace(/^SIG/i, '').toUpperCase();
  const ours = new RegExp(`^report\\.\\d{8}\\.\\d{6}\\.${pid}\\.\\d+\\.\\d+\\.json$`);
  const list = async (): Promise<string[]> => {
    const result = await runner.run(['ls', '-1', dir]);
    return succeeded(result) ? result.stdout.split('\n').map((n) => n.trim()).filter((n) => n !== '') : [];
  };
  const stamp = async (path: string): Promise<{ text: string; stamp: string } | null> => {
    const result = await runner.run(['cat', path]);
    if (!succeeded(result)) return null;
    try {
      const report = JSON.parse(result.stdout) as { header?: { dumpEventTimeStamp?: string; processId?: number } };
      return report.header?.processId === pid ? { text: result.stdout, stamp: report.header.dumpEventTimeStamp ?? '' } : null;
    } catch {
      return null;
    }
  };
  return {
    how: `--report-on-signal (SIG${signal}, reports in ${dir})`,
    take: async () => {
      const before = new Set(await list());
      const fixed = flags.filename !== null ? join(dir, flags.filename) : null;
      const previous = fixed !== null ? ((await stamp(fixed))?.stamp ?? null) : null;
      const sent = await sendSignal(runner, pid, signal, user);
      if (sent !== null) return { error: sent };
      const deadline = Date.now() + runner.timeoutMs;
      while (Date.now() < deadline && !runner.cancelled) {
        await sleep(POLL_MS);
        const candidates = fixed !== null ? [fixed] : (await list()).filter((n) => ours.test(n) && !before.has(n)).map((n) => join(dir, n));
        for (const path of candidates) {
          const got = await stamp(path);
          if (got !== null && got.stamp !== previous) return { text: scrubReport(got.text), command: `kill -${signal} ${pid}  # report ${path}` };
        }
      }
      return { error: runner.cancelled ? 'cancelled' : `no report from pid ${pid} in ${dir} within ${Math.round(runner.timeoutMs / 1000)} s of kill -${signal}` };
    },
    close: async () => null,
    inspectorPort: null,
  };
}

async function sendSignal(runner: Runner, pid: number, signal: string, user: string | null): Promise<string | null> {
  if (runner.place.kind === 'local') {
    try {
      process.kill(pid, `SIG${signal}` as NodeJS.Signals);
      return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM') return `cannot signal pid ${pid}: ${code ?? String(error)}`;
      return `not permitted to signal pid ${pid}${user !== null ? ` (it runs as ${user})` : ''}: run sudo -u ${user ?? '<its user>'} closewait capture ${pid}`;
    }
  }
  const result = await runner.run(['kill', `-${signal}`, String(pid)]);
  return succeeded(result) ? null : howItEnded(result, 'kill');
}

/** The report without its environment variables, pretty-printed as Node writes it. */
export function scrubReport(text: string): string {
  const report = JSON.parse(text) as Record<string, unknown>;
  if ('environmentVariables' in report) report.environmentVariables = { note: ENV_NOTE };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function join(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  const parts = `${dir}/${name}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return `/${out.join('/')}`;
}

// --- the inspector ---------------------------------------------------------------------------------------------

async function inspectorSource(runner: Runner, pid: number, flags: ReportFlags, user: string | null): Promise<ReportSource | { error: string }> {
  const sockets = new SocketLister(runner, pid);
  const listening = async (): Promise<Set<number> | null> => {
    const listing = await sockets.take();
    if ('error' in listing) return null;
    const items = analyzeDump([{ name: 'sockets', text: listing.text }]).sockets.items;
    return new Set(items.filter((s) => s.state === 'LISTEN' && s.pid === pid && s.local.port !== null).map((s) => s.local.port as number));
  };
  const before = (await listening()) ?? new Set<number>();
  const sent = await sendSignal(runner, pid, 'USR1', user);
  if (sent !== null) return { error: `${sent}; or restart it with --report-on-signal` };
  const deadline = Date.now() + Math.min(runner.timeoutMs, 10_000);
  const tried = new Set<number>();
  while (Date.now() < deadline && !runner.cancelled) {
    const now = (await listening()) ?? new Set<number>();
    const candidates = [...now].filter((p) => !before.has(p) || p === flags.inspectPort || (flags.inspectPort === null && p === 9229));
    for (const port of candidates.filter((p) => !tried.has(p))) {
      tried.add(port);
      const session = await sessionOf(pid, port);
      if (session !== null) return reportsOver(session, runner, pid, port, !before.has(port));
    }
    await sleep(POLL_MS * 2);
  }
  if (runner.cancelled) return { error: 'cancelled' };
  return {
    error:
      `pid ${pid} opened no inspector after SIGUSR1 (it may handle SIGUSR1 itself, run with --disable-sigusr1, or another process holds its inspector port ${flags.inspectPort ?? 9229}); ` +
      'no diagnostic report: restart it with --report-on-signal to have one next time',
  };
}

async function sessionOf(pid: number, port: number): Promise<InspectorSession | null> {
  for (const url of await inspectorTargets('127.0.0.1', port, 2_000)) {
    let session: InspectorSession | null = null;
    try {
      session = await InspectorSession.open(url, 5_000);
      // Another process's inspector may listen on a port we guessed: the pid proves it is ours.
      if ((await session.evaluate('process.pid', 5_000)) === pid) return session;
    } catch {
      // Not an inspector we can use.
    }
    session?.close();
  }
  return null;
}

function reportsOver(session: InspectorSession, runner: Runner, pid: number, port: number, opened: boolean): ReportSource {
  return {
    how: `the inspector on 127.0.0.1:${port}${opened ? ' (opened with SIGUSR1)' : ''}`,
    inspectorPort: port,
    take: async () => {
      const started = Date.now();
      try {
        const text = await session.evaluate(REPORT_EXPRESSION, runner.timeoutMs, runner.signal);
        runner.log.push({ argv: ['inspector', `127.0.0.1:${port}`, 'Runtime.evaluate', 'process.report.getReport()'], ms: Date.now() - started, ok: true, outcome: null });
        if (typeof text !== 'string') return { error: `process.report.getReport() gave no report in pid ${pid}` };
        return { text: `${text}\n`, command: `${shellLine(['kill', '-USR1', String(pid)])}  # process.report.getReport() over the inspector, 127.0.0.1:${port}` };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        runner.log.push({ argv: ['inspector', `127.0.0.1:${port}`, 'Runtime.evaluate', 'process.report.getReport()'], ms: Date.now() - started, ok: false, outcome: message });
        return { error: `the inspector of pid ${pid}: ${message}` };
      }
    },
    close: async () => {
      if (!opened) {
        session.close();
        return null;
      }
      let closed = false;
      try {
        closed = (await session.evaluate(CLOSE_INSPECTOR, 5_000)) === true;
      } catch {
        // An old Node.js without process.getBuiltinModule, or the process is stuck.
      }
      session.close();
      return closed
        ? `the inspector opened on 127.0.0.1:${port} was closed again`
        : `the inspector opened on 127.0.0.1:${port} stays open until pid ${pid} exits`;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
