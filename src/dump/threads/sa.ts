// Dumps printed through the HotSpot Serviceability Agent: `jstack -F` (JDK 8 and earlier: `Thread 12363: (state =
// BLOCKED)` headers, no names) and `jhsdb jstack` (JDK 9+: HotSpot headers plus `JavaThread state:`). Both print
// frames as ` - java.lang.ref.ReferenceQueue.remove(long) @bci=59, line=155 (Interpreted frame)`: no file name, so
// the file is the one a Java class lives in (its outer class name plus `.java`), as the editor would look for it.
import type { Frame, ThreadState } from '../model';
import { isApplicationFrame } from '../catalog';

export const SA_ATTACH = /^Attaching to (?:process ID|core) (\d+)/;
export const SA_THREAD = /^Thread (\d+): \(state = (\w+)\)$/;
const SA_FRAME = /^-\s+([\w$.+/]+)\.([\w$<>]+)\(([^)]*)\)\s+@bci=\d+(?:,\s*line=(\d+))?\s*\([^)]*\)\s*$/;
/** SA chatter around the threads. */
export const SA_NOISE = /^(?:Debugger attached successfully\.|(?:Server|Client) compiler detected\.|Deadlock Detection:|No deadlocks found\.|JavaThread state: \w+)$/;
export const SA_VERSION = /^JVM version is (\S+)$/;

export interface SaFrame {
  /** As printed, without the frame kind: `java.lang.ref.ReferenceQueue.remove(long) @bci=59, line=155`. */
  text: string;
  frame: () => Frame;
}

export function parseSaFrame(t: string): SaFrame | null {
  const m = SA_FRAME.exec(t);
  if (!m) return null;
  const [, className, method, , line] = m;
  const text = t.slice(1, t.lastIndexOf('(')).trim();
  return {
    text,
    frame: () => {
      const outer = className.slice(className.lastIndexOf('.') + 1).split('$')[0];
      const lineNumber = line !== undefined ? Number(line) : null;
      return { text, class: className, method, file: lineNumber !== null && outer !== '' ? `${outer}.java` : null, line: lineNumber, native: false, app: isApplicationFrame(className) };
    },
  };
}

/**
 * SA's states are the JVM's own (`IN_JAVA`, `IN_NATIVE`, `BLOCKED` for any wait): the top frame tells waiting,
 * sleeping and monitor entry apart.
 */
export function saState(word: string, frames: readonly Frame[]): ThreadState {
  if (word === 'IN_JAVA' || word === 'IN_NATIVE' || word === 'IN_VM' || word.endsWith('_TRANS')) return 'RUNNABLE';
  if (word === 'NEW' || word === 'UNINITIALIZED') return 'NEW';
  if (word !== 'BLOCKED') return 'UNKNOWN';
  const top = frames[0];
  if (top === undefined) return 'WAITING';
  if (top.class === 'java.lang.Thread' && top.method.startsWith('sleep')) return 'TIMED_WAITING';
  if (top.class === 'java.lang.Object' && top.method.startsWith('wait')) return 'WAITING';
  if (top.method === 'park' && /Unsafe$/.test(top.class)) return 'WAITING';
  return 'BLOCKED';
}
