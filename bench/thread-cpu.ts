// CPU seconds of each thread of a child process, sampled from /proc while it runs (Linux; elsewhere none). On a
// machine shared with other work, wall times say little about parallelism: the scheduler may give a process's two
// threads no more CPU than one. The CPU each thread used does not depend on the load, and from it follows what the
// run needs on an idle machine with `cores` cores: at least its busiest thread, and at least its total over the cores.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface SampledRun {
  status: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  /** CPU seconds (user + system) of each thread seen, the main thread first; empty where /proc is missing. */
  threads: number[];
}

const TICKS_PER_SECOND = 100;

function threadTimes(pid: number, into: Map<number, number>): void {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      into.set(Number(task), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
}

export function runSampled(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<SampledRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const times = new Map<number, number>();
    const sample = (): void => {
      if (child.pid !== undefined) threadTimes(child.pid, times);
    };
    const timer = setInterval(sample, 20);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('exit', () => clearInterval(timer));
    child.on('close', (status) => {
      const main = child.pid !== undefined ? (times.get(child.pid) ?? 0) : 0;
      const others = [...times].filter(([tid]) => tid !== child.pid).map(([, s]) => s);
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallSeconds: (performance.now() - started) / 1000, threads: times.size > 0 ? [main, ...others] : [] });
    });
  });
}

/** The least wall time the sampled run needs on an idle machine with `cores` cores; null without samples. */
export function idleSeconds(threads: readonly number[], cores: number): number | null {
  if (threads.length === 0) return null;
  const total = threads.reduce((a, b) => a + b, 0);
  return Math.max(total / cores, Math.max(...threads));
}
