// Which functions and methods of the workspace no other file names. A helper exported from one module and imported by
// none (papermark's processDocumentForVectorStore, flood's syncMainData), a public method of a utility class whose
// last caller went (OneBlog's getFaviconSize, arthas' simpleRequest) never runs: a leak there is not one any maintainer
// fixes, so flow/dead-code.ts makes its findings strict only. Read off each file's text (no parse): the names it may
// declare as functions or methods (a loose pattern: the tree decides later which are), and the words it holds, as
// hashes. A name is unmentioned when no other file holds it as a word: calls, imports, method references, a name in
// a string (reflection, a Spring expression) all keep it alive. Tests naming a function do not: code only tests call
// is not production code. Not seen: files the scan does not read (templates, XML bean definitions, Kotlin), so a
// method only those call is taken for dead, strict only.

/** What one source file declares and mentions. */
export interface NameMentions {
  readonly file: string;
  /** Test code: what it names keeps nothing alive, and what it declares is never judged. */
  readonly test: boolean;
  /** Names the file may declare as a function or method (over-approximated). */
  readonly declares: readonly string[];
  /** The hashes of the words of its text (Java without comments), sorted and unique. */
  readonly words: Uint32Array;
}

/** Too few files of a language to judge: a demo, a class written to try the analyzer, a test's temporary project. */
export const MIN_FILES_FOR_UNMENTIONED = 50;

const JAVA_METHOD = /^[ \t]*(?:(?:public|protected|static|final|synchronized|abstract|default|native|strictfp)\s+)*(?:<[^>;{}]*>\s*)?([\w$.]+)(?:<[^;{}()]*>)?(?:\[\])*\s+([a-z_$][\w$]*)\s*\(/gm;
const NOT_A_TYPE = new Set(['return', 'new', 'throw', 'else', 'case', 'yield', 'await', 'assert', 'package', 'import']);
const JS_EXPORT = /\bexport\s+(?:async\s+)?(?:function\s*\*?\s*([\w$]+)|(?:const|let|var)\s+([\w$]+)\s*=)|\bexports\.([\w$]+)\s*=/g;
/** Methods of a JavaScript/TypeScript class: a name at a line's start, its parameters, and a body. */
const JS_METHOD = /^[ \t]+(?:(?:public|protected|static|async|override|readonly)\s+)*([a-zA-Z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::[^{;]*)?\{/gm;
const JS_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'with', 'constructor', 'super']);

/** `code` is the file's text, a Java file's without its comments (java-references.ts withoutComments). */
export function nameMentionsOf(file: string, code: string, java: boolean, test: boolean): NameMentions {
  const declares = new Set<string>();
  if (!test) {
    if (java) {
      for (const m of code.matchAll(JAVA_METHOD)) if (!NOT_A_TYPE.has(m[1])) declares.add(m[2]);
    } else {
      if (code.includes('export')) for (const m of code.matchAll(JS_EXPORT)) declares.add(m[1] ?? m[2] ?? m[3]);
      if (code.includes('class')) for (const m of code.matchAll(JS_METHOD)) if (!JS_KEYWORDS.has(m[1])) declares.add(m[1]);
    }
  }
  return { file, test, declares: [...declares], words: wordHashes(code) };
}

/** 1 for a character that may start an identifier, 2 for one that may only continue it. */
const WORD_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
  WORD_CHAR[c] = letter ? 1 : c >= 48 && c <= 57 ? 2 : 0;
}
/**
 * A scratch hash set (open addressing, 0 for empty) shared by the calls, and where it holds words: most files have a
 * few thousand, and only those slots are cleared after each file.
 */
let slots = new Uint32Array(1 << 14);
let filled = new Uint32Array(1 << 13);

/**
 * FNV-1a of each identifier-like word of three characters or more (a shorter name is never judged: its hash is then
 * nowhere, not even in its own file), deduplicated and sorted.
 */
function wordHashes(text: string): Uint32Array {
  let used = 0;
  let hash = 0;
  let length = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    const kind = c < 128 ? WORD_CHAR[c] : 0;
    if (kind === 1 || (kind === 2 && length > 0)) {
      if (length === 0) hash = 0x811c9dc5;
      hash = Math.imul(hash ^ c, 0x01000193);
      length++;
      continue;
    }
    if (length >= 3) {
      const h = hash >>> 0 || 1;
      const mask = slots.length - 1;
      let k = h & mask;
      while (slots[k] !== 0 && slots[k] !== h) k = (k + 1) & mask;
      if (slots[k] === 0) {
        slots[k] = h;
        filled[used++] = k;
        if (used * 2 >= slots.length) grow(used);
      }
    }
    length = 0;
  }
  const out = new Uint32Array(used);
  for (let n = 0; n < used; n++) {
    out[n] = slots[filled[n]];
    slots[filled[n]] = 0;
  }
  return out.sort();
}

/** Doubles the scratch set, keeping the `used` words it holds. */
function grow(used: number): void {
  const old = slots;
  slots = new Uint32Array(old.length * 2);
  const positions = new Uint32Array(slots.length / 2);
  const mask = slots.length - 1;
  for (let n = 0; n < used; n++) {
    const h = old[filled[n]];
    let k = h & mask;
    while (slots[k] !== 0) k = (k + 1) & mask;
    slots[k] = h;
    positions[n] = k;
  }
  filled = positions;
}

export function wordHash(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
  return hash >>> 0 || 1;
}

/**
 * For each production file, the names it declares that no other production file mentions, by file. Java and
 * JavaScript/TypeScript each need MIN_FILES_FOR_UNMENTIONED files of their own, and `judged` says which files may be
 * judged at all (not a published library's modules, whose exports others call).
 */
export function unmentionedNames(all: readonly NameMentions[], judged: (file: string) => boolean): Record<string, string[]> {
  const java = (f: NameMentions) => f.file.endsWith('.java');
  const javaFiles = all.filter(java).length;
  const enough = (f: NameMentions) => (java(f) ? javaFiles : all.length - javaFiles) >= MIN_FILES_FOR_UNMENTIONED;
  const candidates = all.filter((f) => !f.test && f.declares.length > 0 && enough(f) && judged(f.file));
  if (candidates.length === 0) return {};
  // How many production files hold each candidate's word: the declaring file is one of them.
  const holders = new Map<number, number>();
  for (const f of candidates) for (const name of f.declares) holders.set(wordHash(name), 0);
  for (const f of all) {
    if (f.test) continue;
    for (const h of f.words) {
      const n = holders.get(h);
      if (n !== undefined) holders.set(h, n + 1);
    }
  }
  const out: Record<string, string[]> = {};
  for (const f of candidates) {
    const names = f.declares.filter((name) => holders.get(wordHash(name)) === 1);
    if (names.length > 0) out[f.file] = names;
  }
  return out;
}
