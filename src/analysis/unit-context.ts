// What surrounds the units of a file (imports, fields, class headers, module code): the context every unit's cached
// findings depend on (incremental.ts). Half-typed text that error recovery leaves between units is not part of it:
// `pxrivate static int f()` parses as a field `pxrivate static` and a method `int f()`, and a `case` broken inside a
// switch leaves the function's last `}` outside it. Such a stray declares nothing another unit can name, so counting
// it as context would re-analyse every unit of the file for one letter typed into a method header.
import { mergeSpans, type FileModel, type Span } from './model';
import { JAVA_RESERVED, JS_STRICT_RESERVED } from './syntax/reserved';

/** Longer text is never taken for a stray: reading it costs more than it can save. */
const MAX_STRAY = 200;
/**
 * A file with more syntax errors than this is not being typed into a letter at a time (a paste, another language):
 * its strays are not looked for, which would cost a search of the whole text per word of each.
 */
const MAX_ERRORS = 32;
/** Text that may hold a unit, a value, a string or a comment: never a stray. */
const NOT_STRAY = /[(){=/'"`]/;
const WORD = /[A-Za-z_$][\w$]*/g;

/**
 * The file's text outside `units` (spans in document order) as the units' context: `clean`, without stray text, for
 * the units that parse without error; `strict`, all of it, for a unit that holds a syntax error, whose tree error
 * recovery may build otherwise when anything else in the file changes. Unit boundaries are not marked: the units'
 * own hashes tell them apart. `errors`: the tree's syntax errors (syntaxErrorSpans), where strays can be.
 */
export function contextTexts(model: FileModel, units: readonly Span[], errors: readonly Span[]): { clean: string; strict: string } {
  const strict = outsideOf(model.file.text, units);
  const found = strays(model, units, errors);
  if (found.length === 0) return { clean: strict, strict };
  // Units are disjoint and in document order; strays, rare, are merged in.
  const cut = mergeSpans([...units, ...found]).map(({ start, end }) => ({ startIndex: start, endIndex: end }));
  return { clean: outsideOf(model.file.text, cut), strict };
}

function outsideOf(text: string, cut: readonly Span[]): string {
  let outside = '';
  let cursor = 0;
  for (const { startIndex, endIndex } of cut) {
    outside += text.slice(cursor, startIndex);
    cursor = endIndex;
  }
  return outside + text.slice(cursor);
}

/** Skeleton nodes that are strays (see isStray), each widened by the blanks that go with it. */
function strays(model: FileModel, units: readonly Span[], errors: readonly Span[]): Span[] {
  if (errors.length === 0 || errors.length > MAX_ERRORS) return [];
  const text = model.file.text;
  // Words a stray may hold and still declare nothing: reserved words, which no name can be (contextual ones, `var` in
  // Java or `type`, `async`, `get` in TypeScript, can: see isStray). JavaScript's of strict code: modules and classes are.
  const reserved = model.isJava ? JAVA_RESERVED : JS_STRICT_RESERVED;
  const out: Span[] = [];
  for (const node of model.structure().skeleton) {
    // Holding a syntax error, or followed by one: `axsync f()` in a class is a field `axsync`, a MISSING `,`, a method.
    const broken = errors.some((e) => e.startIndex >= node.startIndex && e.startIndex <= node.endIndex);
    const holdsUnit = () => units.some((u) => u.startIndex < node.endIndex && u.endIndex > node.startIndex);
    if (broken && isStray(text, node.startIndex, node.endIndex, reserved) && !holdsUnit()) out.push(widened(text, node.startIndex, node.endIndex));
  }
  return out;
}

/**
 * A syntax error's text that can matter to no other unit: short, with no bracket, brace, assignment, string or
 * comment in it, and every word a reserved word or found nowhere else in the file (so no unit refers to it by name).
 */
function isStray(text: string, start: number, end: number, reserved: ReadonlySet<string>): boolean {
  if (end - start > MAX_STRAY) return false;
  const own = text.slice(start, end);
  if (NOT_STRAY.test(own)) return false;
  for (const match of own.matchAll(WORD)) {
    const word = match[0];
    if (!reserved.has(word) && mentionedOutside(text, word, start, end)) return false;
  }
  return true;
}

function mentionedOutside(text: string, word: string, start: number, end: number): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
    if (at >= start && at < end) continue;
    if (!isWordPart(text.charCodeAt(at - 1)) && !isWordPart(text.charCodeAt(at + word.length))) return true;
  }
  return false;
}

function isWordPart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/**
 * The stray with the blanks that came with its text: those after it when more follows on its line (`pxrivate static`
 * before `int f()`), or its line break when it has the line to itself (a `}` left outside its function).
 */
function widened(text: string, start: number, end: number): Span {
  let after = end;
  while (text[after] === ' ' || text[after] === '\t') after++;
  let before = start;
  while (text[before - 1] === ' ' || text[before - 1] === '\t') before--;
  const endsLine = after >= text.length || text[after] === '\n' || text[after] === '\r';
  if (!endsLine) return { startIndex: start, endIndex: after };
  if (before > 0 && text[before - 1] === '\n') return { startIndex: before - (text[before - 2] === '\r' ? 2 : 1), endIndex: after };
  return { startIndex: start, endIndex: end };
}
