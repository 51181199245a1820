// Tree-sitter queries, compiled once per language and source text.
import { Query, type Node, type QueryCapture } from 'web-tree-sitter';
import { language, type LanguageId } from './grammars';

const compiled = new Map<string, Query>();

export function query(languageId: LanguageId, source: string): Query {
  const key = `${languageId}\0${source}`;
  let q = compiled.get(key);
  if (!q) {
    q = new Query(language(languageId), source);
    compiled.set(key, q);
  }
  return q;
}

/** Captures named `name` of `source` under `root`, in document order. */
export function capturesNamed(languageId: LanguageId, source: string, root: Node, name: string): Node[] {
  return query(languageId, source)
    .captures(root)
    .filter((c: QueryCapture) => c.name === name)
    .map((c: QueryCapture) => c.node);
}
