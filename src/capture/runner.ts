// Runs a capture's commands at its place (this machine, `docker exec`, `kubectl exec`) with the capture's deadline
// and cancellation, and keeps a record of each: what ran, how long it took, how it ended.
import { howItEnded, spawnExec, succeeded, type Exec, type ExecResult } from './exec';
import type { Place } from './target';

export interface CommandRecord {
  /** The command as run (with the docker/kubectl prefix). */
  argv: string[];
  ms: number;
  ok: boolean;
  /** How it ended when it did not succeed. */
  outcome: string | null;
}

export interface RunnerOptions {
  exec?: Exec;
  /** Deadline of each command (default 30 s); `docker exec`/`kubectl exec` get twice as long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class Runner {
  readonly log: CommandRecord[] = [];
  readonly exec: Exec;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;

  constructor(
    readonly place: Place,
    options: RunnerOptions = {},
  ) {
    this.exec = options.exec ?? spawnExec;
    this.timeoutMs = (options.timeoutMs ?? 30_000) * (place.kind === 'local' ? 1 : 2);
    this.signal = options.signal;
  }

  get cancelled(): boolean {
    return this.signal?.aborted === true;
  }

  /** Runs `command` at the place. */
  async run(command: readonly string[], options: { timeoutMs?: number; maxBytes?: number } = {}): Promise<ExecResult> {
    const argv = this.place.argv(command);
    const result = await this.exec(argv, { timeoutMs: options.timeoutMs ?? this.timeoutMs, signal: this.signal, maxBytes: options.maxBytes });
    const ok = succeeded(result);
    this.log.push({ argv, ms: result.ms, ok, outcome: ok ? null : howItEnded(result, command[0]) });
    return result;
  }
}
