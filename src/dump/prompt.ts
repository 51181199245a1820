// Shell prompts that users paste along with the output (`$ jstack 27836`, `root@web1:~# netstat -tonp`): not content,
// but they name the process a dump came from.

const PROMPT = /^(?:\[[^\]]*\]\s*)?(?:[\w.-]+@[\w.-]+(?::\S*?)?\s*)?[$#%>]\s+(\S.*)$/;
// `C:\> netstat -ano`, `PS C:\Users\ops> netstat -ano`
const WINDOWS_PROMPT = /^(?:PS\s+)?[A-Za-z]:\\[^>]*>\s*(\S.*)$/;
const DUMP_COMMAND = /^(?:sudo\s+(?:-u\s+\S+\s+)?)?(?:jstack|jcmd|jhsdb\s+jstack|kill\s+-(?:3|QUIT|SIGQUIT))\b(?:\s+-\S+)*\s+(?:--pid\s+)?(\d+)\b/;

export interface Prompt {
  command: string;
  /** The pid of `jstack <pid>`, `jcmd <pid> Thread.print` or `kill -3 <pid>`. */
  dumpPid: number | null;
  /** `jstack`, `jcmd Thread.print`, `kill -3` or `jhsdb jstack` when the command prints a dump. */
  dumpTool: string | null;
}

export function parsePrompt(trimmed: string): Prompt | null {
  const m = PROMPT.exec(trimmed) ?? WINDOWS_PROMPT.exec(trimmed);
  if (!m) return null;
  const command = m[1];
  const pid = DUMP_COMMAND.exec(command);
  if (!pid) return { command, dumpPid: null, dumpTool: null };
  const tool = /\bjhsdb\b/.test(command)
    ? 'jhsdb jstack'
    : /\bjcmd\b/.test(command)
      ? 'jcmd Thread.print'
      : /\bkill\b/.test(command)
        ? 'kill -3'
        : /\s-F\b/.test(command)
          ? 'jstack -F'
          : 'jstack';
  return { command, dumpPid: Number(pid[1]), dumpTool: tool };
}
