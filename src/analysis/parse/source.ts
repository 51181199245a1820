// A parsed source file, and the guards that keep pathological input from hanging the parser or the rules.
import type { Tree } from 'web-tree-sitter';
import { generatedReason } from '../scope/generated';
import { parserFor, type LanguageId } from './grammars';

export interface SourceFile {
  /** Workspace-relative path with forward slashes, as findings report it. */
  readonly path: string;
  readonly text: string;
  readonly language: LanguageId;
  readonly tree: Tree;
}

export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;
/** A parse that takes longer than this is abandoned: the file is skipped with a reason, never hung on. */
export const PARSE_DEADLINE_MS = 5_000;
/** Rules that spend longer than this on one file are abandoned: the file is skipped with a reason, never hung on. */
export const ANALYSIS_DEADLINE_MS = 5_000;

/** Why a file's text must not be analysed (too big, binary, minified or generated), or undefined when it may be. */
export function skipReason(path: string, text: string, byteLength = Buffer.byteLength(text)): string | undefined {
  if (byteLength > MAX_SOURCE_BYTES) {
    return `larger than ${MAX_SOURCE_BYTES / (1024 * 1024)} MB (${(byteLength / (1024 * 1024)).toFixed(1)} MB)`;
  }
  if (text.includes('\0')) return 'contains NUL bytes (binary file)';
  return generatedReason(path, text);
}

export class ParseTimeout extends Error {
  constructor(
    readonly path: string,
    budgetMs = PARSE_DEADLINE_MS,
  ) {
    super(`parsing took longer than ${budgetMs / 1000} s`);
  }
}

/** Thrown from the rules' hot loops (see `FileModel.checkDeadline`) once a file's analysis budget is spent. */
export class AnalysisTimeout extends Error {
  constructor(
    readonly path: string,
    budgetMs: number,
  ) {
    super(`analysis took longer than ${budgetMs / 1000} s`);
  }
}

/**
 * The text as the analysis reads it: a lone CR (old Mac line endings) becomes LF. Editors, LSP and our reports count
 * a lone CR as a line break, tree-sitter only LF (so line comments ran to the end of the file). The length stays the
 * same, so every index into the text stays valid.
 */
export function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * Parses `text`; pass the previous tree (already `edit`ed) to re-parse incrementally. The file's `text` is the
 * text with line breaks normalised (see normalizeLineBreaks): what node positions and node texts refer to.
 */
export function parseSource(path: string, text: string, language: LanguageId, oldTree?: Tree, budgetMs = PARSE_DEADLINE_MS): SourceFile {
  const normalized = normalizeLineBreaks(text);
  const deadline = performance.now() + budgetMs;
  const tree = parseWith(language, path, normalized, oldTree, deadline, budgetMs);
  // The JavaScript grammar rejects JSX attributes named with reserved words (`<div class="x">`, `<Collapse in={open}>`,
  // tree-sitter-javascript#387); the TSX grammar reads them. A fresh parse of JavaScript with JSX that failed is
  // tried again with it, and kept when it reads the file better (the caller re-parses with the language returned).
  if (language !== 'javascript' || oldTree || !tree.rootNode.hasError || !MAY_HOLD_JSX.test(normalized)) {
    return { path, text: normalized, language, tree };
  }
  const tsx = parseWith('tsx', path, normalized, undefined, deadline, budgetMs);
  if (countSyntaxErrors(tsx) < countSyntaxErrors(tree)) {
    tree.delete();
    return { path, text: normalized, language: 'tsx', tree: tsx };
  }
  tsx.delete();
  return { path, text: normalized, language, tree };
}

/** `<div`, `<Collapse`, `</`, `/>`: text that may hold JSX. */
const MAY_HOLD_JSX = /<[A-Za-z][\w.]*[\s>/]|\/>/;

function parseWith(language: LanguageId, path: string, text: string, oldTree: Tree | undefined, deadline: number, budgetMs: number): Tree {
  const parser = parserFor(language);
  const tree = parser.parse(text, oldTree ?? null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    parser.reset();
    throw new ParseTimeout(path, budgetMs);
  }
  return tree;
}

/** Number of syntax errors (ERROR or MISSING nodes) in a tree; 0 for a clean parse. */
export function countSyntaxErrors(tree: Tree): number {
  return syntaxErrorSpans(tree).length;
}

/** Where the syntax errors (ERROR or MISSING nodes, not those inside another ERROR) are, in document order. */
export function syntaxErrorSpans(tree: Tree): { startIndex: number; endIndex: number }[] {
  const spans: { startIndex: number; endIndex: number }[] = [];
  if (!tree.rootNode.hasError) return spans;
  const cursor = tree.walk();
  let descend = true;
  for (;;) {
    // An ERROR or MISSING node has an error too: the one question most nodes need (each is a call into wasm).
    if (descend) {
      const node = cursor.currentNode;
      if (node.hasError) {
        const error = node.isError;
        if (error || node.isMissing) spans.push({ startIndex: node.startIndex, endIndex: node.endIndex });
        if (!error && cursor.gotoFirstChild()) continue;
      }
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
  cursor.delete();
  return spans;
}

/** 1-based line of the first ERROR or MISSING node, in document order; undefined when the tree has none. */
export function firstSyntaxErrorLine(tree: Tree): number | undefined {
  let node = tree.rootNode;
  if (!node.hasError) return undefined;
  for (;;) {
    if (node.isError || node.isMissing) return node.startPosition.row + 1;
    const child = node.children.find((c) => c !== null && c.hasError);
    if (!child) return node.startPosition.row + 1;
    node = child;
  }
}
