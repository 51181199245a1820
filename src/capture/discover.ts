// Finding what to capture: the JVMs and Node.js processes of this machine or of a container, the ports each listens
// on (for the editor's list), and the ones a name pattern means.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { analyzeDump } from '../dump/index';
import { commandMissing, howItEnded, succeeded } from './exec';
import {
  classify,
  CONTAINER_PROCESS_SCRIPT,
  displayName,
  listedJvm,
  localCommand,
  localProcess,
  localProcesses,
  localUsers,
  parseJvmList,
  parseProcessScript,
  type ListedJvm,
  type ProcessInfo,
} from './processes';
import type { Runner } from './runner';

/**
 * The JVMs and Node.js processes of this machine: from /proc where there is one, else from `jcmd -l` (or `jps -l`)
 * and `ps`. With `askJdk`, /proc's list is completed by what `jcmd -l` knows: JVMs whose launcher has a name of its own
 * (jsvc, jshell). The capture's own process and its parents are left out (`closewait capture node` must not find
 * itself).
 */
export async function localCandidates(runner: Runner, options: { askJdk?: boolean } = {}): Promise<ProcessInfo[]> {
  const own = ownLine();
  const proc = localProcesses();
  const found = proc === null ? await withoutProc(runner) : options.askJdk ? await withJvmList(proc, runner) : proc;
  return found.filter((p) => !own.has(p.pid));
}

/** /proc's processes and the JVMs `jcmd -l` lists that their command lines do not tell. */
async function withJvmList(processes: ProcessInfo[], runner: Runner): Promise<ProcessInfo[]> {
  const known = new Set(processes.map((p) => p.pid));
  const users = localUsers();
  const more = (await jvmList(runner)).filter((j) => !known.has(j.pid)).map((j) => listedJvm(j, localCommand(j.pid, users)));
  return [...processes, ...more].sort((a, b) => a.pid - b.pid);
}

/**
 * The JVM or Node.js process `pid` of this machine: known by its command line, else (a JVM under a launcher of its
 * own) by `jcmd -l`. A message instead when there is no such process or it is neither.
 */
export async function localByPid(pid: number, runner: Runner): Promise<ProcessInfo | string> {
  if (!existsSync('/proc/self')) return (await withoutProc(runner)).find((p) => p.pid === pid) ?? `pid ${pid} is no JVM or Node.js process that this user can see`;
  const found = localProcess(pid);
  if (found !== null) return found;
  const local = localCommand(pid);
  if (local === null) return `no process ${pid} on this machine`;
  const jvm = (await jvmList(runner)).find((j) => j.pid === pid);
  if (jvm !== undefined) return listedJvm(jvm, local);
  return `pid ${pid} (${basename(local.argv[0] ?? '') || 'a kernel thread'}) is neither a JVM nor a Node.js process`;
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
  for (const jvm of await jvmList(runner)) if (!found.has(jvm.pid)) found.set(jvm.pid, listedJvm(jvm));
  return [...found.values()].sort((a, b) => a.pid - b.pid);
}

/** `jcmd -l`, else `jps -l`: the JVMs the tools can attach to (those of the same user). */
async function jvmList(runner: Runner): Promise<ListedJvm[]> {
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
    return { processes: parseJvmList(jcmd.stdout).map((j) => listedJvm(j)), how: 'jcmd -l' };
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
