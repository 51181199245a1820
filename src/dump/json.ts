// The report as JSON text in pieces: the same text as JSON.stringify(report, null, 2), never held whole. A million
// threads make more than 2 GB of JSON, four times the longest string V8 can make; written piece by piece it is
// only a file. Lists the report builds lazily (the thread and socket items) are streamed without being built.
import { unbuiltItems } from './lazy';

/** Values smaller than this (counted in nodes) are stringified in one call. */
const SMALL = 512;

/** Pieces of the report's JSON (2-space indentation, as JSON.stringify(report, null, 2)); joined, they are the whole text. */
export function* jsonPieces(value: unknown): Generator<string> {
  yield* pieces(value, '');
}

/**
 * The pieces gathered into strings of about `size` characters (plus the last piece): few writes, each small enough
 * to be a string, whatever the report.
 */
export function* jsonChunks(value: unknown, size = 1 << 20): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const piece of jsonPieces(value)) {
    buffer.push(piece);
    length += piece.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (length > 0) yield buffer.join('');
}

function* pieces(value: unknown, indent: string): Generator<string> {
  const json = toJsonValue(value);
  if (json === null || typeof json !== 'object' || isSmall(json, SMALL)) {
    yield stringify(json, indent);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(json)) {
    yield* list(json, indent, inner);
    return;
  }
  const keys = Object.keys(json).filter((key) => {
    const lazy = unbuiltItems(json, key);
    return lazy !== undefined || serializable((json as Record<string, unknown>)[key]);
  });
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    yield `${k === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    const lazy = unbuiltItems(json, key);
    if (lazy !== undefined) yield* list(lazy(), inner, `${inner}  `);
    else yield* pieces((json as Record<string, unknown>)[key], inner);
  }
  yield `\n${indent}}`;
}

function* list(items: Iterable<unknown>, indent: string, inner: string): Generator<string> {
  let first = true;
  for (const item of items) {
    yield `${first ? '[' : ','}\n${inner}`;
    first = false;
    // Array holes, undefined and functions are null in a JSON array.
    yield* pieces(serializable(item) ? item : null, inner);
  }
  yield first ? '[]' : `\n${indent}]`;
}

/** What JSON.stringify writes for a value in a list or an object (toJSON applied), or undefined when it leaves it out. */
function toJsonValue(value: unknown): unknown {
  const withToJson = value as { toJSON?: () => unknown } | null;
  return withToJson !== null && typeof withToJson === 'object' && typeof withToJson.toJSON === 'function' ? withToJson.toJSON() : value;
}

function serializable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function stringify(value: unknown, indent: string): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  // JSON escapes line breaks inside strings, so every raw newline is one of the layout's.
  return indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
}

/** At most `budget` nodes, counting into objects and arrays (lazy lists are never small). */
function isSmall(value: object, budget: number): boolean {
  let left = budget;
  const visit = (v: unknown): boolean => {
    if (--left < 0) return false;
    if (v === null || typeof v !== 'object') return true;
    if (Array.isArray(v)) {
      for (const item of v) if (!visit(item)) return false;
      return true;
    }
    for (const key of Object.keys(v)) {
      if (unbuiltItems(v, key) !== undefined) return false;
      if (!visit((v as Record<string, unknown>)[key])) return false;
    }
    return true;
  };
  return visit(value);
}
