// A capture: find the process, then N times at the interval take its thread dump (or Node.js diagnostic report) and
// the socket listing of the same moment, each moment one transcript a responder could have pasted. A step that fails
// is recorded as missing and the capture goes on; what was taken is always returned.
import { displayName, type ProcessInfo } from './processes';
import { containerProcesses, describeProcess, localByPid, localCandidates, matchProcesses } from './discover';
import { ThreadDumper } from './jvm';
import { localAdvice, localFacts } from './local';
import { openReportSource, type ReportSource } from './node-report';
import { Runner, type CommandRecord, type RunnerOptions } from './runner';
import { SocketLister, type SocketMethod } from './sockets';
import { placeOf, shellLine, type Place, type Target, type Tools } from './target';
import { VERSION } from '../version';
import { existsSync, readFileSync } from 'node:fs';

export interface CaptureOptions extends RunnerOptions {
  dumps: number;
  intervalMs: number;
  tools?: Tools;
  /** Called before each step: for a progress bar. */
  onProgress?: (progress: { done: number; total: number; message: string }) => void;
}

/** One moment of the capture: the thread dump (or report) and the socket listing taken together, as one file. */
export interface CapturedFile {
  /** Named by its time: `2026-05-01T10-00-05Z.txt`. */
  name: string;
  time: string;
  /** The file: the two parts below, each after the prompt line of its command. */
  text: string;
  /** The thread dump or the Node.js diagnostic report, when taken. */
  threads: string | null;
  sockets: string | null;
  /** How long each took (the commands, their fallbacks and retries included). */
  threadsMs: number | null;
  socketsMs: number | null;
}

/** A file as capture.json lists it: what it holds. */
export interface CapturedFileEntry {
  name: string;
  time: string;
  threads: boolean;
  report: boolean;
  sockets: boolean;
  threadsMs: number | null;
  socketsMs: number | null;
}

/** What was captured, how, and what is missing: written beside the files as capture.json. */
export interface CaptureRecord {
  tool: string;
  version: string;
  target: { given: string; place: string; pid: number; runtime: ProcessInfo['runtime']; name: string; main: string; commandLine: string; user: string | null };
  requested: { dumps: number; intervalMs: number };
  started: string;
  finished: string;
  ms: number;
  files: CapturedFileEntry[];
  sockets: { method: string | null; total: number; kept: number; unfiltered: string | null };
  /** How Node.js reports were taken (null for a JVM). */
  reports: string | null;
  missing: string[];
  notes: string[];
  interrupted: boolean;
  commands: CommandRecord[];
}

export interface CaptureResult {
  record: CaptureRecord;
  files: CapturedFile[];
}

/** Nothing could be captured: the target is unknown, ambiguous or out of reach. The message says what to do. */
export class CaptureError extends Error {}

interface Resolved {
  process: ProcessInfo;
  place: Place;
  /** What to run instead when the tools cannot attach. */
  advise: (command: string) => string | null;
  /** Sockets of a process in another network namespace are read from its own /proc. */
  otherNetwork: boolean;
  /** The first way to list sockets there: ss, /proc for another network namespace, lsof without /proc (macOS). */
  sockets: SocketMethod;
  /** The listing names the process as the owner of its sockets (we are root or its user, on this machine). */
  ownersVisible: boolean;
  environ: string | null;
}

export async function capture(given: string, target: Target, options: CaptureOptions): Promise<CaptureResult> {
  const place = placeOf(target, options.tools);
  const runner = new Runner(place, options);
  const started = new Date();
  const resolved = await resolve(target, runner);
  const proc = resolved.process;
  const total = options.dumps;
  const progress = (done: number, message: string): void => options.onProgress?.({ done, total, message });
  const missing: string[] = [];
  const notes: string[] = [];
  const files: CapturedFile[] = [];

  const sockets = new SocketLister(runner, proc.pid, resolved.sockets, resolved.ownersVisible);
  if (resolved.otherNetwork) notes.push(`pid ${proc.pid} has its own network namespace (a container): its sockets were read from /proc/${proc.pid}/net`);
  let socketSummary: CaptureRecord['sockets'] = { method: null, total: 0, kept: 0, unfiltered: null };
  let dumper: ThreadDumper | null = null;
  let reports: ReportSource | null = null;
  let threadsFailed: string | null = null;
  let socketsFailed: string | null = null;

  if (proc.runtime === 'java') dumper = new ThreadDumper(runner, proc.pid, (result) => resolved.advise(shellLine(result.argv)));
  else {
    progress(0, `opening pid ${proc.pid} for diagnostic reports`);
    const source = await openReportSource(runner, proc, resolved.environ, proc.argv);
    if ('error' in source) {
      threadsFailed = source.error;
      missing.push(`Node.js diagnostic reports: ${source.error}`);
    } else {
      reports = source;
      if (source.inspectorPort !== null) sockets.ownPorts.add(source.inspectorPort);
    }
  }

  // Each capture starts an interval after the one before, however long that one took: "1 s apart" never means less.
  let previous: number | null = null;
  const names = new Set<string>();
  try {
    for (let i = 0; i < total; i++) {
      if (previous !== null && !(await sleepUntil(previous + options.intervalMs, options.signal))) break;
      if (options.signal?.aborted) break;
      const time = new Date();
      previous = time.getTime();
      const name = fileName(time, options.intervalMs, names);
      names.add(name);
      const file: CapturedFile = { name, time: time.toISOString(), text: '', threads: null, sockets: null, threadsMs: null, socketsMs: null };
      const label = `${i + 1} of ${total}`;
      if (threadsFailed === null) {
        progress(i, `${proc.runtime === 'java' ? 'thread dump' : 'diagnostic report'} ${label}`);
        const started = Date.now();
        const taken = dumper !== null ? await dumper.take() : await reports!.take();
        file.threadsMs = Date.now() - started;
        if ('error' in taken) {
          if (!runner.cancelled) missing.push(`${proc.runtime === 'java' ? 'thread dump' : 'diagnostic report'} ${label}: ${taken.error}`);
          // The same refusal every time (permissions, a missing tool): say it once, keep taking the sockets.
          if (files.every((f) => f.threads === null)) threadsFailed = taken.error;
        } else file.threads = 'command' in taken ? `$ ${taken.command}\n${taken.text}` : taken.text;
      }
      if (socketsFailed === null && !runner.cancelled) {
        progress(i + 0.5, `socket listing ${label}`);
        const started = Date.now();
        const listing = await sockets.take();
        file.socketsMs = Date.now() - started;
        if ('error' in listing) {
          if (!runner.cancelled) missing.push(`socket listing ${label}: ${listing.error}`);
          if (files.every((f) => f.sockets === null)) socketsFailed = listing.error;
        } else {
          file.sockets = listing.text;
          socketSummary = { method: listing.method, total: listing.total, kept: listing.kept, unfiltered: listing.unfiltered };
        }
      }
      // Cancelled half way through a capture: what it took is kept, what it did not is said.
      if (file.threads !== null || file.sockets !== null) {
        files.push({ ...file, text: [file.threads, file.sockets].filter((t) => t !== null).join('\n') });
        if (runner.cancelled) missing.push(`${file.threads === null ? 'thread dump' : 'socket listing'} ${label}: cancelled`);
      }
      if (runner.cancelled || (threadsFailed !== null && socketsFailed !== null)) break;
    }
  } finally {
    const closed = await reports?.close().catch(() => null);
    if (closed) notes.push(closed);
  }

  const interrupted = runner.cancelled;
  if (files.length < total) {
    const why = interrupted ? 'cancelled' : 'stopped: nothing more could be taken';
    missing.push(`captures ${files.length + 1} to ${total} of ${total}: ${why}`);
  }
  if (socketSummary.unfiltered !== null) notes.push(`sockets not narrowed to pid ${proc.pid}: ${socketSummary.unfiltered}`);
  if (reports !== null) notes.unshift(`Node.js diagnostic reports taken through ${reports.how}`);
  const finished = new Date();
  const record: CaptureRecord = {
    tool: 'closewait capture',
    version: VERSION,
    target: { given, place: place.label, pid: proc.pid, runtime: proc.runtime, name: displayName(proc), main: proc.main, commandLine: proc.commandLine, user: proc.user },
    requested: { dumps: total, intervalMs: options.intervalMs },
    started: started.toISOString(),
    finished: finished.toISOString(),
    ms: finished.getTime() - started.getTime(),
    files: files.map((f) => ({
      name: f.name,
      time: f.time,
      threads: f.threads !== null && proc.runtime === 'java',
      report: f.threads !== null && proc.runtime === 'node',
      sockets: f.sockets !== null,
      threadsMs: f.threadsMs,
      socketsMs: f.socketsMs,
    })),
    sockets: socketSummary,
    reports: reports?.how ?? null,
    missing: dedupe(missing),
    notes,
    interrupted,
    commands: runner.log,
  };
  if (files.length === 0 && !interrupted) throw new CaptureError(`nothing could be captured from ${describeProcess(proc)}${place.kind === 'local' ? '' : ` in ${place.label}`}:\n  ${record.missing.join('\n  ')}`);
  return { record, files };
}

/** The process a target means, or a CaptureError that says why none (or several) and what to run instead. */
async function resolve(target: Target, runner: Runner): Promise<Resolved> {
  if (target.kind === 'pid' || target.kind === 'name') {
    const found = target.kind === 'pid' ? await localByPid(target.pid, runner) : await localByName(target.pattern, runner);
    if (typeof found === 'string') throw new CaptureError(found);
    const facts = localFacts(found.pid, found.uid, found.user);
    let environ: string | null = null;
    try {
      environ = readFileSync(`/proc/${found.pid}/environ`, 'utf8');
    } catch {
      // Another user's process, or no /proc: NODE_OPTIONS stays unknown.
    }
    return {
      process: found,
      place: runner.place,
      advise: (command) => localAdvice(facts, command),
      otherNetwork: facts.otherNetwork,
      sockets: !existsSync('/proc/self') ? 'lsof' : facts.otherNetwork ? 'proc' : 'ss',
      ownersVisible: facts.permitted,
      environ,
    };
  }
  const found = await containerProcesses(runner);
  if ('error' in found) {
    const check = target.kind === 'k8s' ? 'the pod name, -n <namespace> and --context' : 'the container name (docker ps)';
    throw new CaptureError(`cannot run commands in ${runner.place.label}: ${found.error}\n  Check ${check}, and that ${runner.place.argv([])[0]} works here.`);
  }
  const picked = pickInContainer(found.processes, runner.place, found.how, target.kind === 'k8s' && target.container === null);
  const environ = picked.runtime === 'node' ? await runner.run(['cat', `/proc/${picked.pid}/environ`]) : null;
  return {
    process: picked,
    place: runner.place,
    advise: () =>
      picked.user !== null
        ? `the tools must run as the JVM's user ${picked.user}: ${runner.place.kind === 'docker' ? `docker exec -u ${picked.user}` : `set the pod's securityContext.runAsUser`}`
        : null,
    otherNetwork: false,
    sockets: 'ss',
    // Whose sockets ss shows depends on the user docker/kubectl exec runs as, which is not known here.
    ownersVisible: false,
    environ: environ !== null && environ.code === 0 ? environ.stdout : null,
  };
}

/** Processes a message lists before "... N more". */
const LISTED = 12;

async function localByName(pattern: string, runner: Runner): Promise<ProcessInfo> {
  let all = await localCandidates(runner);
  let matches = matchProcesses(all, pattern);
  // None by their command lines: a JVM under a launcher of its own (jsvc, jshell) is known to jcmd -l by its main class.
  if (matches.length === 0) {
    all = await localCandidates(runner, { askJdk: true });
    matches = matchProcesses(all, pattern);
  }
  if (matches.length === 1) return matches[0];
  const list = (processes: readonly ProcessInfo[]): string =>
    processes.slice(0, LISTED).map((p) => `\n  ${describeProcess(p)}`).join('') + (processes.length > LISTED ? `\n  ... ${processes.length - LISTED} more` : '');
  if (matches.length === 0) {
    throw new CaptureError(`no JVM or Node.js process matches '${pattern}'${all.length > 0 ? `; running:${list(all)}` : ' (none is running that this user can see)'}`);
  }
  throw new CaptureError(`${matches.length} processes match '${pattern}': name one by its pid${list(matches)}`);
}

/** The JVM of a container (or its Node.js process): the only one, else the one that is pid 1. */
function pickInContainer(processes: readonly ProcessInfo[], place: Place, how: string, defaultContainer: boolean): ProcessInfo {
  for (const runtime of ['java', 'node'] as const) {
    const of = processes.filter((p) => p.runtime === runtime);
    if (of.length === 1) return of[0];
    const init = of.find((p) => p.pid === 1);
    if (init !== undefined) return init;
    if (of.length > 1) {
      throw new CaptureError(`${of.length} ${runtime === 'java' ? 'JVMs' : 'Node.js processes'} in ${place.label}:${of.map((p) => `\n  ${describeProcess(p)}`).join('')}\n  Capture one by hand (jcmd <pid> Thread.print) or split the container.`);
    }
  }
  // kubectl exec without -c enters the pod's default container; the JVM may run in another one (beside a sidecar).
  const hint = defaultContainer ? '; if the pod has several containers, name the one that runs it: k8s:<pod>/<container>' : '';
  throw new CaptureError(`no JVM or Node.js process found in ${place.label} (looked with ${how})${hint}`);
}

/** Waits until `at` (a timer may fire a millisecond early: it waits again); false when cancelled first. */
async function sleepUntil(at: number, signal?: AbortSignal): Promise<boolean> {
  for (let ms = at - Date.now(); ms > 0; ms = at - Date.now()) {
    if (signal?.aborted) return false;
    const woke = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve(true)), ms);
      const onAbort = (): void => (clearTimeout(timer), resolve(false));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    if (!woke) return false;
  }
  return signal?.aborted !== true;
}

/**
 * `2026-05-01T10-00-05Z.txt` (UTC, no colons for Windows); with milliseconds when captures may fall in one second
 * (an interval under a second), and a suffix should two fall in one millisecond: a name is never taken twice.
 */
function fileName(time: Date, intervalMs: number, taken: ReadonlySet<string>): string {
  const iso = time.toISOString().replace(/:/g, '-');
  const seconds = `${iso.slice(0, 19)}Z.txt`;
  if (intervalMs >= 1000 && !taken.has(seconds)) return seconds;
  const millis = `${iso.slice(0, 23)}Z`;
  if (!taken.has(`${millis}.txt`)) return `${millis}.txt`;
  let k = 2;
  while (taken.has(`${millis}-${k}.txt`)) k++;
  return `${millis}-${k}.txt`;
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}
