// Small helpers for the plain-English text of summaries and reports.
import type { Frame } from './model';

interface StackFrame {
  app: boolean;
}

/**
 * `12,345`. Whole numbers by hand: the first toLocaleString call loads the locale data, which costs a small dump's
 * report more than its analysis.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3) out = (end > 3 ? ',' : '') + digits.slice(Math.max(0, end - 3), end) + out;
  return n < 0 ? `-${out}` : out;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count(n)} ${n === 1 ? singular : pluralForm}`;
}

/** `SearchManager.search(SearchManager.java:104)`: how people name a frame in a ticket. */
export function shortFrame(frame: Frame): string {
  const simpleClass = frame.class.slice(frame.class.lastIndexOf('.') + 1);
  const where = frame.file !== null ? `${frame.file}${frame.line !== null ? `:${frame.line}` : ''}` : frame.native ? 'Native Method' : 'Unknown Source';
  return `${simpleClass}.${frame.method}(${where})`;
}

export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

export function quoteList(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  if (names.length > max) shown.push(`${count(names.length - max)} more`);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/**
 * The top `shown` frames of a stack, and when the first application frames sit deeper, a `... N frames` marker
 * followed by them: the user's code is what a reader of an excerpt needs most.
 */
export function stackExcerpt<F extends StackFrame>(frames: readonly F[], shown: number): (F | string)[] {
  const top: (F | string)[] = frames.slice(0, shown);
  if (frames.length <= shown) return top;
  const firstApp = frames.findIndex((f, i) => i >= shown && f.app);
  if (firstApp < 0 || frames.slice(0, shown).some((f) => f.app)) return [...top, `... ${count(frames.length - shown)} more frames`];
  const app = frames.slice(firstApp, firstApp + 2).filter((f) => f.app);
  const skipped = firstApp - shown;
  const after = frames.length - firstApp - app.length;
  return [...top, ...(skipped > 0 ? [`... ${plural(skipped, 'frame')}`] : []), ...app, ...(after > 0 ? [`... ${plural(after, 'more frame')}`] : [])];
}
