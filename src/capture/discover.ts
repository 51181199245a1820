// Finding what to capture: the JVMs and Node.js processes of this machine or of a container, the ports each listens
// on (for the editor's list), and the ones a name pattern means.
import { readFileSync } from 'node:fs';
import { analyzeDump } from '../dump/index';
import { commandMissing, howItEnded, succeeded } from './exec';
import { classify, CONTAINER_PROCESS_SCRIPT, displayName, localProcesses, parseJvmList, parseProcessScript, type ProcessInfo } from './processes';
import type { Runner } from './runner';

/**
 * The JVMs and Node.js processes of this machine: from /proc where there is one, else from `jcmd -l` (or `jps -l`)
 * and `ps`. The capture's own process and its parents are left out (`closewait capture node` must not find itself).
 */
export async function localCandidates(runner: Runner): Promise<ProcessInfo[]> {
  const own = ownLine();
  const found = localProcesses() ?? (await withoutProc(runner));
  return found.filter((p) => !own.has(p.pid));
}

/** Where /proc is missing (macOS): the JVMs `jcmd -l` knows, and the Node.js processes `ps` shows. */
async function withoutProc(runner: Runner): Promise<ProcessInfo[]> {
  const found = new Map<number, ProcessInfo>();
  const ps = await runner.run(['ps', '-axo', 'pid=,uid=,user=,command=']);
  if (succeeded(ps)) {
    for (const line of ps.stdout.split('\n')) {
      const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
      const info = m ? classify(Number(m[1]), m[4].trim().split(/\s+/), null, Number(m[2]), m[3]) : null;
      if (info !== null) found.set(info.pid, info);
    }
  }
  for (const jvm of await jvmList(runner)) {
    if (found.has(jvm.pid)) continue;
    const argv = ['java', jvm.main, ...jvm.args.split(/\s+/).filter((a) => a !== '')];
    found.set(jvm.pid, { pid: jvm.pid, runtime: 'java', main: jvm.main || '(unknown main class)', argv, commandLine: argv.join(' '), uid: null, user: null });
  }
  return [...found.values()].sort((a, b) => a.pid - b.pid);
}

/** `jcmd -l`, else `jps -l`: the JVMs the tools can attach to (those of the same user). */
async function jvmList(runner: Runner): Promise<ReturnType<typeof parseJvmList>> {
  for (const command of [['jcmd', '-l'], ['jps', '-l']]) {
    const result = await runner.run(command);
    if (succeeded(result)) return parseJvmList(result.stdout);
    if (!commandMissing(result)) break;
  }
  return [];
}

/** This process and its parents (the shell, npx, the editor): never a target. */
function ownLine(): Set<number> {
  const pids = new Set<number>([process.pid]);
  let pid = process.ppid;
  for (let depth = 0; depth < 64 && pid > 1 && !pids.has(pid); depth++) {
    pids.add(pid);
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      break;
    }
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so read after the last ')'.
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return pids;
}

export type ContainerProcesses = { processes: ProcessInfo[]; how: string } | { error: string };

/**
 * The JVMs and Node.js processes inside a container: its /proc read by a shell loop, else `jcmd -l` (an image without
 * a shell). An error means the container itself could not be reached (not found, no docker/kubectl, no access).
 */
export async function containerProcesses(runner: Runner): Promise<ContainerProcesses> {
  const script = await runner.run(['sh', '-c', CONTAINER_PROCESS_SCRIPT]);
  if (succeeded(script)) return { processes: parseProcessScript(script.stdout), how: 'its /proc' };
  if (script.notFound) return { error: `${runner.place.argv([])[0]} is not on the PATH` };
  if (!commandMissing(script)) return { error: howItEnded(script, runner.place.argv([])[0]) };
  const jcmd = await runner.run(['jcmd', '-l']);
  if (succeeded(jcmd)) {
    const processes = parseJvmList(jcmd.stdout).map((j): ProcessInfo => {
      const argv = ['java', j.main, ...j.args.split(/\s+/).filter((a) => a !== '')];
      return { pid: j.pid, runtime: 'java', main: j.main || '(unknown main class)', argv, commandLine: argv.join(' '), uid: null, user: null };
    });
    return { processes, how: 'jcmd -l' };
  }
  return { processes: [], how: 'nothing (no shell and no jcmd in the image)' };
}

/** The processes a pattern means: matched without case against the name, the main class or script, the command line. */
export function matchProcesses(processes: readonly ProcessInfo[], pattern: string): ProcessInfo[] {
  const needle = pattern.toLowerCase();
  return processes.filter((p) => [displayName(p), p.main, p.commandLine].some((text) => text.toLowerCase().includes(needle)));
}

/** The TCP ports each process listens on, from one `ss -tlnp` (empty where the owners cannot be seen). */
export async function listeningPorts(runner: Runner): Promise<Map<number, number[]>> {
  const ports = new Map<number, number[]>();
  const result = await runner.run(['ss', '-tlnp'], { timeoutMs: 10_000 });
  if (!succeeded(result)) return ports;
  for (const s of analyzeDump([{ name: 'ss -tlnp', text: result.stdout }]).sockets.items) {
    if (s.pid === null || s.local.port === null || s.state !== 'LISTEN') continue;
    const list = ports.get(s.pid) ?? [];
    if (!list.includes(s.local.port)) list.push(s.local.port);
    ports.set(s.pid, list.sort((a, b) => a - b));
  }
  return ports;
}

/** `pid 4711 SelfCallTomcat (java, user app)`: one line per process for messages and lists. */
export function describeProcess(p: ProcessInfo): string {
  return `pid ${p.pid} ${displayName(p)} (${p.runtime === 'java' ? 'JVM' : 'Node.js'}${p.main !== displayName(p) ? ` ${p.main}` : ''}${p.user !== null ? `, user ${p.user}` : ''})`;
}
