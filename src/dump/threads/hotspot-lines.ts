// The line shapes of a HotSpot-style thread dump, as hotspot.ts and hotspot-sections.ts tell its lines apart: pure
// patterns and classifiers, no parser state. The relatives' own shapes live beside their readers (jmx.ts, jrockit.ts,
// sa.ts).
import type { LockKind } from '../model';
import { isDigit, isSpace } from './header';

// Thread lines: the header, the state line, lock lines.
export const HEADER_ATTRIBUTE = /(?:^|\s)(?:#\d|daemon\b|prio=|os_prio=|tid=|nid=|cpu=|[Ii]d=\d)|^\s*-\s+Thread\s+t@\d/;
export const STATE_PREFIX = 'java.lang.Thread.State:';
export const LOCK_LINE = /^-\s+(locked|waiting on|waiting to lock|blocked on|parking to wait for|eliminated|waiting to re-lock in wait\(\))\s*(.*)$/;
export const ADDRESS = /<(0x[0-9a-fA-F]+|[0-9a-fA-F]+)>/;
export const LOCK_CLASS = /\(a ([^)\s]+)\)/;
export const IDENTITY = /^([^\s@<(]+)@([0-9a-fA-F]+)/;
export const OWNED_BY = /owned by:?\s+"?([^"]+?)"?(?:\s+t@\d+)?\s*$/;
// A header whose quoted name is missing (seen in real JDK 25 dumps): still a thread, with ids and state words.
export const NAMELESS_HEADER = /^(?:#\d+\s+)?(?:\[\d+\]\s+)?(?:daemon\s+)?(?:prio=\d+\s+)?os_prio=-?\d+\s.*\btid=0x[0-9a-fA-F]+\s+nid=\S+/;
export const WRAPPED_HEADER_TAIL = /^[\w ().]*\[0x[0-9a-fA-F.]+\]$/;
// Spring Boot Actuator's text dump prints locks as `<1b6d3586> (a java.lang.Object)`; VisualVM as `Class@hash`.
export const HASH_IN_BRACKETS = /^<[0-9a-f]+> \(a /;
export const LOCK_VERBS: Record<string, LockKind> = {
  locked: 'locked',
  'waiting on': 'waiting-on',
  'waiting to lock': 'waiting-to-lock',
  'blocked on': 'waiting-to-lock',
  'parking to wait for': 'parking',
  eliminated: 'eliminated',
  'waiting to re-lock in wait()': 'waiting-to-relock',
};

// Lines between threads: when and of which process a dump was taken.
export const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?$/;
export const SAP_TIMESTAMP = /^Java thread dump\s*:\s*(.+)$/;
export const JCMD_PID = /^(\d+):$/;
// JRockit's date line below its banner: `Mon Jan 10 10:00:00 2011`.
export const DATE_LINE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d(?: [A-Z]{2,5})? \d{4}$/;

/** `[A-Za-z_]`: the letters of a state word. */
export function isWordLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * `ESTAB 0 0 10.0.0.5:8080 ...` or `tcp 0 0 ...`: a word of three or more letters, digits, `-` or `_`, then two
 * numbers, each after blanks and followed by one. No line otherLine (hotspot-sections.ts) reads starts so (thread
 * and dump lines have a quote, `#`, `=`, a digit, a colon, a `@` or words where the numbers are; `Thread 12:
 * (state` and `Found 2 deadlocks.` fail at the second number), so a listing's 100,000 rows skip its checks. Mind
 * this when otherLine learns a line.
 */
export function isListingRow(t: string): boolean {
  const c = t.charCodeAt(0);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  let k = 1;
  while (k < t.length && isRowWordChar(t.charCodeAt(k))) k++;
  if (k < 3) return false;
  for (let n = 0; n < 2; n++) {
    const blanks = k;
    while (k < t.length && isSpace(t.charCodeAt(k))) k++;
    const digits = k;
    while (k < t.length && isDigit(t.charCodeAt(k))) k++;
    if (digits === blanks || k === digits || k === t.length || !isSpace(t.charCodeAt(k))) return false;
  }
  return true;
}

/** `[A-Za-z0-9_-]` */
function isRowWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
