// Thread dumps of a JVM: `jcmd <pid> Thread.print -l` (with the lock details the lock table reads), else
// `jstack -l <pid>` where the JDK has no jcmd. Both attach to the JVM, which works only as the JVM's own user and in
// its own container: when the attach is refused, `advise` says what to run instead.
import { commandMissing, howItEnded, succeeded, type ExecResult } from './exec';
import type { Runner } from './runner';
import { transcript } from './sockets';

const TOOLS = [
  { name: 'jcmd', command: (pid: number) => ['jcmd', String(pid), 'Thread.print', '-l'] },
  { name: 'jstack', command: (pid: number) => ['jstack', '-l', String(pid)] },
] as const;

export class ThreadDumper {
  private tool: (typeof TOOLS)[number] | null = null;

  constructor(
    private readonly runner: Runner,
    private readonly pid: number,
    /** What to run instead when the attach is refused (another user, another container); null when nothing better is known. */
    private readonly advise: (result: ExecResult) => string | null,
  ) {}

  async take(): Promise<{ text: string } | { error: string }> {
    const tools = this.tool !== null ? [this.tool] : TOOLS;
    const missing: string[] = [];
    for (const tool of tools) {
      const command = tool.command(this.pid);
      const result = await this.runner.run(command);
      if (succeeded(result) && /^"|Full thread dump/m.test(result.stdout)) {
        this.tool = tool;
        return { text: transcript(command, result.stdout) };
      }
      if (this.runner.cancelled) return { error: 'cancelled' };
      if (commandMissing(result)) {
        missing.push(tool.name);
        continue;
      }
      // However the attach failed (refused, "not secure", timed out), another user or container is the likely why.
      const why = this.advise(result);
      return { error: `${howItEnded(result, tool.name)}${why !== null ? `. ${why}` : ''}` };
    }
    return {
      error: `neither jcmd nor jstack is on the PATH${this.runner.place.kind === 'local' ? '' : ` of ${this.runner.place.label}`} (a JRE has neither: install a JDK there, or run kill -3 ${this.pid}: the JVM prints the dump to its standard output, its log; closewait dump reads it from there)`,
    };
  }
}
