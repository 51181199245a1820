// A HotSpot thread header: the quoted name, then the attributes: `#31 [11315] daemon prio=5 os_prio=0
// cpu=6248.64ms elapsed=24705.74s tid=0x00007f334ba2d000 nid=0x2c33 waiting on condition  [0x00007f8a6a7db000]`,
// or VisualVM's `- Thread t@332`. Read by scanning, not by regular expressions: headers are a tenth of a dump's
// lines, and a pasted line of megabytes that starts with a quote must cost a scan, never a backtracking stack.
import type { JavaThread } from '../model';
import { stateFromHeaderWords } from './builder';

const VISUALVM = /^\s*-\s+Thread\s+t@(\d+)/;

/**
 * Splits `"name" rest`. A quote closes the name only when a space, a colon or the end of the line follows (names
 * may hold quotes); without such a quote, the last quote does. Null when the line holds no second quote.
 */
export function splitHeader(t: string): { name: string; rest: string } | null {
  let close = numberedClose(t);
  for (let j = close < 0 ? t.indexOf('"', 1) : -1; j !== -1; j = t.indexOf('"', j + 1)) {
    close = j;
    if (j + 1 === t.length) break;
    const next = t.charCodeAt(j + 1);
    if (next === 58 /* : */ || isSpace(next)) break;
  }
  if (close < 0) return null;
  const rest = t.slice(close + 1);
  // A header is one line: a Unicode line separator after the name makes it none.
  if (rest.includes('\u2028') || rest.includes('\u2029')) return null;
  return { name: t.slice(1, close), rest };
}

/** The quote followed by ` #<digits>` (every JDK since 9 numbers its threads there): `"" " #30` names `" `. */
function numberedClose(t: string): number {
  for (let j = t.indexOf('" #', 1); j !== -1; j = t.indexOf('" #', j + 1)) {
    const digit = t.charCodeAt(j + 3);
    if (digit >= 48 && digit <= 57) return j;
  }
  return -1;
}

/** Fills the thread from its header's attributes; true when the header is VisualVM's. */
export function readHotspotHeader(thread: JavaThread, header: string): boolean {
  const visualvm = VISUALVM.exec(header);
  if (visualvm) thread.number = Number(visualvm[1]);
  else {
    const number = valueAfter(header, '#', DIGITS);
    if (number !== null) thread.number = Number(number.value);
  }
  thread.daemon = hasWord(header, 'daemon');
  const prio = valueAfter(header, 'prio=', DIGITS);
  if (prio !== null) thread.priority = Number(prio.value);
  const tid = valueAfter(header, 'tid=', HEX_ID);
  if (tid !== null) thread.tid = tid.value;
  const nid = valueAfter(header, 'nid=', NID);
  if (nid !== null) thread.nid = nid.value;
  const cpu = valueAfter(header, 'cpu=', DECIMAL);
  if (cpu !== null) thread.cpuMs = Number(cpu.value);
  const last = nid ?? tid;
  const words = last !== null ? withoutStackAddress(header.slice(last.end)) : '';
  if (words !== '') thread.stateDetail = words;
  thread.state = stateFromHeaderWords(words);
  return visualvm !== null;
}

/** Reads a value at `s[i]`; returns where it ends, or `i` when there is none. */
type ValueReader = (s: string, i: number) => number;

const DIGITS: ValueReader = (s, i) => {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
};

const DECIMAL: ValueReader = (s, i) => {
  while (i < s.length && (isDigit(s.charCodeAt(i)) || s.charCodeAt(i) === 46)) i++;
  return i;
};

/** `0x` at `s[i]` (by its characters: startsWith with a position is slow in V8). */
function hexPrefix(s: string, i: number): boolean {
  return s.charCodeAt(i) === 48 && s.charCodeAt(i + 1) === 120;
}

/** `0x7f334ba2d000`, or bare hex digits (`12af67800`, JDK 6 on macOS). */
const HEX_ID: ValueReader = (s, i) => {
  if (hexPrefix(s, i)) {
    const end = hexEnd(s, i + 2);
    if (end > i + 2) return end;
  }
  return hexEnd(s, i);
};

/** `0x2c33`, or decimal (JDK 21 on macOS prints `nid=8707`). */
const NID: ValueReader = (s, i) => {
  if (hexPrefix(s, i)) {
    const end = hexEnd(s, i + 2);
    if (end > i + 2) return end;
  }
  return DIGITS(s, i);
};

function hexEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (!(isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) break;
    i++;
  }
  return i;
}

/** The first `key` at the start or after whitespace that a value follows, with that value. */
function valueAfter(s: string, key: string, read: ValueReader): { value: string; end: number } | null {
  for (let k = s.indexOf(key); k !== -1; k = s.indexOf(key, k + 1)) {
    if (k > 0 && !isSpace(s.charCodeAt(k - 1))) continue;
    const start = k + key.length;
    const end = read(s, start);
    if (end > start) return { value: s.slice(start, end), end };
  }
  return null;
}

/** `word` on its own: at the start or after whitespace, and at the end or before whitespace. */
function hasWord(s: string, word: string): boolean {
  for (let k = s.indexOf(word); k !== -1; k = s.indexOf(word, k + 1)) {
    const end = k + word.length;
    if ((k === 0 || isSpace(s.charCodeAt(k - 1))) && (end === s.length || isSpace(s.charCodeAt(end)))) return true;
  }
  return false;
}

/** The words before the stack address: `waiting on condition  [0x00007f8a6a7db000]` -> `waiting on condition`. */
function withoutStackAddress(tail: string): string {
  const t = tail.trim();
  const closed = t.charCodeAt(t.length - 1) === 93; /* ] */
  const before = closed ? t.length - 1 : t.length;
  const lastClose = before > 0 ? t.lastIndexOf(']', before - 1) : -1;
  const open = t.indexOf('[', lastClose + 1);
  return open !== -1 && open < before ? t.slice(0, open).trim() : t;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** What `\s` and String.prototype.trim take for whitespace. */
export function isSpace(c: number): boolean {
  if (c === 32 || c === 9) return true;
  if (c < 160) return c >= 10 && c <= 13;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
