// Running the tools a capture needs (jcmd, ss, docker, kubectl...): every command has a deadline, a cap on what it
// may print, and can be cancelled. A command that fails never throws: the result says how it ended, so a capture
// can keep what it got and say what is missing.
import { spawn } from 'node:child_process';

export interface ExecResult {
  /** The command as run, for messages and the capture's record. */
  argv: readonly string[];
  stdout: string;
  stderr: string;
  /** Exit code; null when the command did not exit by itself (not found, timed out, cancelled, killed). */
  code: number | null;
  /** Not on PATH (or not executable). */
  notFound: boolean;
  timedOut: boolean;
  cancelled: boolean;
  /** Output beyond `maxBytes` was dropped and the command stopped. */
  truncated: boolean;
  ms: number;
}

export interface ExecOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Per stream; a thread dump of 10,000 threads is about 20 MB. */
  maxBytes?: number;
  input?: string;
}

/** How commands are run: the real one spawns processes; tests of container targets replay recorded outputs. */
export type Exec = (argv: readonly string[], options: ExecOptions) => Promise<ExecResult>;

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export const spawnExec: Exec = (argv, options) =>
  new Promise((resolve) => {
    const started = Date.now();
    const [command, ...args] = argv;
    const result: ExecResult = { argv, stdout: '', stderr: '', code: null, notFound: false, timedOut: false, cancelled: false, truncated: false, ms: 0 };
    if (options.signal?.aborted) {
      resolve({ ...result, cancelled: true });
      return;
    }
    const child = spawn(command, args, { stdio: [options.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
    const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let settled = false;
    const stop = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = (): void => {
      result.cancelled = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (outBytes + chunk.length > max) {
        result.truncated = true;
        out.push(chunk.subarray(0, Math.max(0, max - outBytes)));
        outBytes = max;
        stop();
        return;
      }
      out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (errBytes < 1024 * 1024) err.push(chunk);
      errBytes += chunk.length;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const finish = (code: number | null, notFound = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      result.stdout = Buffer.concat(out).toString('utf8');
      result.stderr = Buffer.concat(err).toString('utf8');
      result.code = result.timedOut || result.cancelled ? null : code;
      result.notFound = notFound;
      result.ms = Date.now() - started;
      resolve(result);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'EACCES') finish(null, true);
      else {
        result.stderr += error.message;
        finish(null);
      }
    });
    child.once('close', (code) => finish(code));
  });

/** One line on how a command ended, for a message: "jcmd timed out after 30 s", "ss: not found". */
export function howItEnded(result: ExecResult, name = result.argv[0] ?? 'command'): string {
  if (commandMissing(result)) return `${name}: not found`;
  if (result.cancelled) return `${name}: cancelled`;
  if (result.timedOut) return `${name} timed out after ${formatMs(result.ms)}`;
  if (result.truncated) return `${name} printed more than the limit: cut off`;
  const said = firstLine(result.stderr) ?? firstLine(result.stdout);
  return `${name} exited ${result.code ?? 'abnormally'}${said !== null ? `: ${said}` : ''}`;
}

/** A command that ran and exited 0. */
export function succeeded(result: ExecResult): boolean {
  return result.code === 0 && !result.truncated;
}

/**
 * A command missing where it ran. Locally spawn says so; a shell says "not found" and exits 127; through
 * `docker exec` or `kubectl exec` the container runtime says "executable file not found in $PATH" (docker exits
 * 126/127, kubectl may exit 1 with the runtime's message).
 */
export function commandMissing(result: ExecResult): boolean {
  if (result.notFound) return true;
  if (result.code === 0 || result.code === null) return false;
  const said = result.stderr + result.stdout;
  return result.code === 127 || /executable file not found|command not found|: not found\b|exec: "?[^"\s]*"?: no such file or directory/i.test(said);
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function firstLine(text: string): string | null {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line === undefined ? null : line.length > 200 ? `${line.slice(0, 200)}...` : line;
}
