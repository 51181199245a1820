// The messages between the Analyze Dump panel (webview) and the extension host, shared by both sides. Each side
// checks what it receives with these guards before acting: a message that does not match is ignored, whatever
// posted it. Pure: no DOM, no vscode, no Node built-ins.

/** The two inputs of the panel; either also accepts a combined paste (a dump and a listing together). */
export type InputSlot = 'threads' | 'sockets';
export const INPUT_SLOTS: readonly InputSlot[] = ['threads', 'sockets'];

export type NoticeLevel = 'info' | 'warning' | 'error';

/** A stack frame to open in the editor: `com.x.Y.method(Y.java:104)`. */
export interface FrameRef {
  class: string;
  method: string;
  file: string | null;
  line: number | null;
}

export type HostToPanel =
  /** Fill an input with text the host already decoded (an editor selection or document). */
  | { type: 'setInput'; slot: InputSlot; name: string; text: string }
  /** Fill an input with the raw bytes of a file; the panel decodes them off the UI thread. */
  | { type: 'setInputBytes'; slot: InputSlot; name: string; bytes: Uint8Array }
  /** The outcome of a request (copied, saved, frame not found), shown in the panel's status line. */
  | { type: 'notice'; level: NoticeLevel; text: string };

export type PanelToHost =
  /** The panel's script runs: the host may now send inputs. */
  | { type: 'ready' }
  | ({ type: 'openFrame' } & FrameRef)
  | { type: 'copyMarkdown'; markdown: string }
  | { type: 'exportJson'; json: string }
  /** Files dragged from the explorer arrive as URIs the webview cannot read; the host reads them. */
  | { type: 'readDroppedUris'; slot: InputSlot; uris: string[] }
  | { type: 'log'; level: NoticeLevel; text: string };

const MAX_NAME = 1_000;
const MAX_NOTICE = 10_000;
const MAX_LOG = 100_000;
const MAX_MARKDOWN = 50 * 1024 * 1024;
const MAX_DROPPED_URIS = 8;
const MAX_URI = 4_096;
const MAX_LINE = 10_000_000;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

export function isInputSlot(value: unknown): value is InputSlot {
  return value === 'threads' || value === 'sockets';
}

function isNoticeLevel(value: unknown): value is NoticeLevel {
  return value === 'info' || value === 'warning' || value === 'error';
}

/** Exactly these keys: an extra key means a message of another shape or version, so it is not ours to act on. */
function hasKeys(message: Fields, keys: readonly string[]): boolean {
  const own = Object.keys(message);
  return own.length === keys.length && keys.every((k) => own.includes(k));
}

/** A class name as dumps print it: no whitespace or control characters (`$`, `/` and `<` occur in real ones). */
function isClassName(value: unknown): value is string {
  return isString(value, MAX_NAME) && value.length > 0 && !/[\s\u0000-\u001f]/.test(value);
}

/**
 * A bare source file name (`SearchManager.java`): the host puts it in a search glob, so no path separators, no
 * glob syntax, no `..`.
 */
export function isSourceFileName(value: unknown): value is string {
  return isString(value, 255) && /^[^\\/:*?"<>|{}[\]!\u0000-\u001f]+$/.test(value) && value !== '.' && value !== '..';
}

function isLineNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_LINE;
}

export function isFrameRef(value: unknown): value is FrameRef {
  if (!isObject(value)) return false;
  return (
    isClassName(value.class) &&
    isString(value.method, MAX_NAME) &&
    (value.file === null || isSourceFileName(value.file)) &&
    (value.line === null || isLineNumber(value.line))
  );
}

export function isHostToPanel(value: unknown): value is HostToPanel {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'setInput':
      return hasKeys(value, ['type', 'slot', 'name', 'text']) && isInputSlot(value.slot) && isString(value.name, MAX_NAME) && typeof value.text === 'string';
    case 'setInputBytes':
      return hasKeys(value, ['type', 'slot', 'name', 'bytes']) && isInputSlot(value.slot) && isString(value.name, MAX_NAME) && value.bytes instanceof Uint8Array;
    case 'notice':
      return hasKeys(value, ['type', 'level', 'text']) && isNoticeLevel(value.level) && isString(value.text, MAX_NOTICE);
    default:
      return false;
  }
}

export function isPanelToHost(value: unknown): value is PanelToHost {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
      return hasKeys(value, ['type']);
    case 'openFrame':
      return hasKeys(value, ['type', 'class', 'method', 'file', 'line']) && isFrameRef(value);
    case 'copyMarkdown':
      return hasKeys(value, ['type', 'markdown']) && isString(value.markdown, MAX_MARKDOWN);
    case 'exportJson':
      // The report is a JSON object; anything else is not an export of ours.
      return hasKeys(value, ['type', 'json']) && typeof value.json === 'string' && /^\s*\{/.test(value.json.slice(0, 64));
    case 'readDroppedUris':
      return (
        hasKeys(value, ['type', 'slot', 'uris']) &&
        isInputSlot(value.slot) &&
        Array.isArray(value.uris) &&
        value.uris.length > 0 &&
        value.uris.length <= MAX_DROPPED_URIS &&
        value.uris.every((u) => isString(u, MAX_URI) && /^[a-z][a-z0-9+.-]*:/i.test(u))
      );
    case 'log':
      return hasKeys(value, ['type', 'level', 'text']) && isNoticeLevel(value.level) && isString(value.text, MAX_LOG);
    default:
      return false;
  }
}

export type Handlers<M extends { type: string }> = { [T in M['type']]: (message: Extract<M, { type: T }>) => void | Promise<void> };

/**
 * Validates a received value and runs the handler of its type. Resolves false (and runs nothing) for anything that
 * is not a valid message, so both sides ignore unknown or malformed messages the same way.
 */
export async function routeMessage<M extends { type: string }>(value: unknown, guard: (v: unknown) => v is M, handlers: Handlers<M>): Promise<boolean> {
  if (!guard(value)) return false;
  const handler = handlers[value.type as M['type']] as (message: M) => void | Promise<void>;
  await handler(value);
  return true;
}
