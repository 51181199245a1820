// What the server takes from the client's messages, checked before it is trusted. The protocol's types say what a
// message holds; a buggy or hostile client may send anything. A message that does not hold what it must is ignored
// (the caller logs it), never half-applied: a change with a fractional line would otherwise corrupt the document.
import type { Diagnostic, Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** LSP positions and versions are integers; anything else is malformed. */
function integer(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

export function position(value: unknown): Position | undefined {
  const p = record(value);
  return p && integer(p.line) && integer(p.character) ? { line: p.line, character: p.character } : undefined;
}

function range(value: unknown): Range | undefined {
  const r = record(value);
  const start = position(r?.start);
  const end = position(r?.end);
  return start && end ? { start, end } : undefined;
}

/** `params.textDocument.uri`. */
export function documentUri(params: unknown): string | undefined {
  const uri = record(record(params)?.textDocument)?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

export interface OpenedDocument {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  readonly text: string;
}

/** textDocument/didOpen. */
export function openedDocument(params: unknown): OpenedDocument | undefined {
  const doc = record(record(params)?.textDocument);
  if (!doc || typeof doc.uri !== 'string' || typeof doc.text !== 'string' || !integer(doc.version)) return undefined;
  return { uri: doc.uri, languageId: typeof doc.languageId === 'string' ? doc.languageId : '', version: doc.version, text: doc.text };
}

export interface DocumentChange {
  readonly uri: string;
  readonly version: number;
  readonly changes: readonly TextDocumentContentChangeEvent[];
}

/** textDocument/didChange: every change a text with an optional well-formed range (`rangeLength` is not used). */
export function documentChange(params: unknown): DocumentChange | undefined {
  const p = record(params);
  const doc = record(p?.textDocument);
  if (!doc || typeof doc.uri !== 'string' || !integer(doc.version) || !Array.isArray(p?.contentChanges)) return undefined;
  const changes: TextDocumentContentChangeEvent[] = [];
  for (const raw of p.contentChanges) {
    const change = record(raw);
    if (!change || typeof change.text !== 'string') return undefined;
    if (change.range === undefined) {
      changes.push({ text: change.text });
      continue;
    }
    const r = range(change.range);
    if (!r) return undefined;
    changes.push({ range: r, text: change.text });
  }
  return { uri: doc.uri, version: doc.version, changes };
}

/** The diagnostics of a textDocument/codeAction request that have a range (quick fixes read the range and data). */
export function codeActionDiagnostics(params: unknown): Diagnostic[] {
  const diagnostics = record(record(params)?.context)?.diagnostics;
  if (!Array.isArray(diagnostics)) return [];
  return diagnostics.flatMap((d) => {
    const r = range(record(d)?.range);
    return r ? [{ ...record(d), range: r } as Diagnostic] : [];
  });
}
