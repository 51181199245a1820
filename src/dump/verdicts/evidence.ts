// Shared by the verdict rules: the decisive lines of a paste, the application frame of a stack, honest numbers.
import type { Frame, JavaThread, Socket } from '../model';
import type { EvidenceLine, VerdictContext } from './types';

const SOCKET_LINES_SHOWN = 3;
/** How far below its header a thread's frames can sit (lock lines and the state line come between). */
const STACK_SEARCH_LINES = 2000;

export function socketLines(context: VerdictContext, sockets: readonly Socket[], max = SOCKET_LINES_SHOWN): EvidenceLine[] {
  return sockets.slice(0, max).map((s) => ({ input: s.input, line: s.line, text: context.lineText(s.input, s.line) }));
}

export function headerLine(context: VerdictContext, thread: JavaThread): EvidenceLine {
  return { input: thread.input, line: thread.line, text: context.lineText(thread.input, thread.line) };
}

/** The line of a thread's frame in the paste: found by its text below the thread's header. */
export function frameLine(context: VerdictContext, thread: JavaThread, frame: Frame): EvidenceLine | null {
  for (let line = thread.line + 1; line <= thread.line + STACK_SEARCH_LINES; line++) {
    const text = context.lineText(thread.input, line);
    if (text === '' && line > thread.line + 1 && context.lineText(thread.input, line + 1) === '') break;
    if (text.includes(frame.text)) return { input: thread.input, line, text };
  }
  return null;
}

/** The first frame of the user's own code at or below `from`, preferring one with a file and line to open. */
export function applicationFrame(thread: JavaThread, from = 0): Frame | null {
  let fallback: Frame | null = null;
  for (let i = Math.max(0, from); i < thread.frames.length; i++) {
    const frame = thread.frames[i];
    if (!frame.app) continue;
    if (frame.file !== null && frame.line !== null) return frame;
    fallback ??= frame;
  }
  return fallback;
}

export function distinct<T>(items: readonly (T | null | undefined)[]): T[] {
  return [...new Set(items.filter((item): item is T => item !== null && item !== undefined))];
}

export function clamp(confidence: number): number {
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100;
}

export function endpointText(host: string, port: number | null): string {
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `${shownHost}:${port ?? '*'}`;
}
