// Code of a file that nothing can call, judged from the file alone: a JavaScript/TypeScript function or class the
// module neither exports nor names anywhere else (inbox-zero's unexported retry helper that nothing calls,
// documenso's getFile "kept for posterity"), and a Java private method the class never names. A leak there never
// runs, so its findings are strict only. A name that occurs anywhere else in the text, even in a string or a comment,
// keeps the code alive: reflection, a handler registered by name, a call in a template.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';

interface Candidate {
  readonly name: string;
  readonly startIndex: number;
  readonly endIndex: number;
}

/** Java methods the JDK or a framework calls without naming them in the class (serialization hooks). */
const CALLED_UNSEEN = new Set(['readObject', 'writeObject', 'readResolve', 'writeReplace', 'readObjectNoData']);

const cache = new WeakMap<FileModel, readonly Candidate[]>();

/** The name of the dead function, class or method `node` lies in, if any. */
export function deadCodeAt(node: Node, model: FileModel): string | undefined {
  let dead = cache.get(model);
  if (dead === undefined) cache.set(model, (dead = deadCandidates(model)));
  for (const d of dead) if (node.startIndex >= d.startIndex && node.endIndex <= d.endIndex) return d.name;
  return undefined;
}

/**
 * The largest set of candidates that no text outside the set names. None in a file with a syntax error: a keyword
 * half typed (`exxport function`) would make the code it starts dead for the moment of the typo.
 */
function deadCandidates(model: FileModel): Candidate[] {
  if (model.root.hasError) return [];
  const candidates = model.isJava ? privateMethods(model) : unexportedDeclarations(model);
  if (candidates.length === 0) return [];
  // Each mention of a candidate's name, with the candidate it lies in (if any): one pass over the words of the text.
  const names = new Set(candidates.map((c) => c.name));
  const spans = [...candidates].sort((a, b) => a.startIndex - b.startIndex);
  const mentions = new Map<string, (Candidate | null)[]>();
  for (const m of model.file.text.matchAll(WORD)) {
    if (!names.has(m[0])) continue;
    const list = mentions.get(m[0]) ?? [];
    list.push(containing(spans, m.index));
    mentions.set(m[0], list);
  }
  const dead = new Set(candidates);
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of dead) {
      if ((mentions.get(c.name) ?? []).every((within) => within !== null && dead.has(within))) continue;
      dead.delete(c);
      changed = true;
    }
  }
  return [...dead];
}

const WORD = /[A-Za-z_$][\w$]*/g;

/**
 * The innermost candidate that holds `at` (spans sorted by start). Only the few spans starting last before it are
 * tried: candidates nest rarely (a method of a class inside a method) and shallowly.
 */
function containing(spans: readonly Candidate[], at: number): Candidate | null {
  let low = 0;
  let high = spans.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (spans[mid].startIndex <= at) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  for (let k = found; k >= 0 && k > found - 8; k--) if (at < spans[k].endIndex) return spans[k];
  return null;
}

/** Top-level functions and classes a JavaScript/TypeScript module declares without `export`. */
function unexportedDeclarations(model: FileModel): Candidate[] {
  const out: Candidate[] = [];
  for (const statement of model.root.namedChildren) {
    if (!statement) continue;
    let name: string | undefined;
    if (/^(function_declaration|generator_function_declaration|class_declaration|abstract_class_declaration)$/.test(statement.type)) {
      name = statement.childForFieldName('name')?.text;
    } else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration') {
      const declarators = statement.namedChildren.filter((n) => n?.type === 'variable_declarator');
      const value = declarators.length === 1 ? declarators[0]!.childForFieldName('value') : null;
      if (value && model.dialect.functionTypes.has(value.type)) name = declarators[0]!.childForFieldName('name')?.text;
    }
    if (name && /^[\w$]+$/.test(name)) out.push({ name, startIndex: statement.startIndex, endIndex: statement.endIndex });
  }
  return out;
}

/** Java private methods with no annotation (an annotation may be how a framework calls it). */
function privateMethods(model: FileModel): Candidate[] {
  if (!/\bprivate\b/.test(model.file.text)) return [];
  const out: Candidate[] = [];
  for (const method of model.root.descendantsOfType('method_declaration')) {
    if (!method) continue;
    const modifiers = method.namedChildren.find((n) => n?.type === 'modifiers');
    if (!modifiers || !/\bprivate\b/.test(modifiers.text) || modifiers.text.includes('@')) continue;
    const name = method.childForFieldName('name')?.text;
    if (name && !CALLED_UNSEEN.has(name)) out.push({ name, startIndex: method.startIndex, endIndex: method.endIndex });
  }
  return out;
}
