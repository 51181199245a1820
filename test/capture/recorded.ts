// Recorded outputs of the commands a capture runs inside a container, and an Exec that replays them: there is no
// Docker engine or Kubernetes cluster here, so the container targets are tested against what the same commands
// printed when run through `sh -c` on this machine (test/capture/record-container.ts records them), behind the
// `docker exec` / `kubectl exec` prefix the capture builds.
import type { Exec, ExecResult } from '../../src/capture/index';

export interface RecordedCommand {
  /** The command as run inside the container (without the docker/kubectl prefix). */
  command: string[];
  stdout: string;
  stderr: string;
  code: number;
}

export interface Recording {
  /** How it was recorded, for a reader of the fixture. */
  note: string;
  /** The JVM's pid inside the "container". */
  pid: number;
  port: number;
  commands: RecordedCommand[];
}

/**
 * Replays `recording` for commands run behind `prefix`: each command gets its recorded outputs in order (the second
 * `jcmd ... Thread.print` gets the second dump). Every command run is kept in `ran`, unknown ones too (they end as
 * "not recorded", exit 1), so a test can check what the capture ran.
 */
export function replay(recording: Recording, prefix: readonly string[]): { exec: Exec; ran: string[][]; unknown: string[][] } {
  const ran: string[][] = [];
  const unknown: string[][] = [];
  const used = new Map<string, number>();
  const exec: Exec = async (argv) => {
    ran.push([...argv]);
    const base: ExecResult = { argv, stdout: '', stderr: '', code: 1, notFound: false, timedOut: false, cancelled: false, truncated: false, ms: 1 };
    const matchesPrefix = prefix.every((p, k) => argv[k] === p);
    const inner = argv.slice(prefix.length);
    const key = JSON.stringify(inner);
    const all = recording.commands.filter((c) => JSON.stringify(c.command) === key);
    if (!matchesPrefix || all.length === 0) {
      unknown.push([...argv]);
      return { ...base, stderr: `not recorded: ${argv.join(' ')}` };
    }
    const k = used.get(key) ?? 0;
    used.set(key, k + 1);
    const { stdout, stderr, code } = all[Math.min(k, all.length - 1)];
    return { ...base, stdout, stderr, code };
  };
  return { exec, ran, unknown };
}
