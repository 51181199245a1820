// Open documents: their text, their tree kept in step edit by edit (tree.edit + an incremental re-parse), and the
// incremental analyzer that remembers which parts of the file were already checked.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { Tree } from 'web-tree-sitter';
import { IncrementalAnalyzer } from '../analysis/incremental';
import type { LanguageId } from '../analysis/parse/grammars';
import { PARSE_DEADLINE_MS, parseSource, type SourceFile } from '../analysis/parse/source';

export class OpenDocument {
  readonly analyzer = new IncrementalAnalyzer();
  private tree: Tree | undefined;
  /** The text the tree was parsed from (line breaks normalised). */
  private parsedText = '';
  /** The grammar the tree was parsed with (see parseSource: JavaScript with JSX may be read with TSX's). */
  private parsedLanguage: LanguageId;
  /** The tree no longer matches the text and must be re-parsed before use. */
  private stale = true;

  constructor(
    private document: TextDocument,
    /** Workspace-relative path with forward slashes: what findings and facts call this file. */
    readonly path: string,
    readonly language: LanguageId,
    /** How long a parse may take before it is abandoned (ParseTimeout). */
    private readonly parseBudgetMs = PARSE_DEADLINE_MS,
  ) {
    this.parsedLanguage = language;
  }

  get uri(): string {
    return this.document.uri;
  }

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  /** Applies LSP content changes in order, editing the tree alongside so the next parse is incremental. */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const raw of changes) {
      if (!('range' in raw)) {
        this.document = TextDocument.update(this.document, [raw], version);
        this.dropTree();
        continue;
      }
      const { from, to, change } = wellFormed(this.document, raw);
      const newEndIndex = from + change.text.length;
      // A CR just before the edit may stop or start ending a line (a lone CR is one line break, CR LF together
      // another): the edit tree-sitter is told about starts at that CR, so its meaning is read afresh.
      const startIndex = from > 0 && this.document.getText().charCodeAt(from - 1) === 13 ? from - 1 : from;
      // offsetAt clamps: the positions tree-sitter gets must be the clamped ones too.
      const startPosition = this.document.positionAt(startIndex);
      const oldEndPosition = this.document.positionAt(to);
      this.document = TextDocument.update(this.document, [change], version);
      const newEnd = this.document.positionAt(newEndIndex);
      this.tree?.edit({
        startIndex,
        oldEndIndex: to,
        newEndIndex,
        startPosition: { row: startPosition.line, column: startPosition.character },
        oldEndPosition: { row: oldEndPosition.line, column: oldEndPosition.character },
        newEndPosition: { row: newEnd.line, column: newEnd.character },
      });
    }
    this.document = TextDocument.update(this.document, [], version);
    this.stale = true;
  }

  /** The parsed file, re-parsing incrementally from the edited tree when the text changed. */
  source(): SourceFile {
    if (this.stale || !this.tree) {
      // Re-parsed in the grammar of the last parse (a JavaScript file with JSX may be read with the TSX one).
      const file = parseSource(this.path, this.document.getText(), this.tree ? this.parsedLanguage : this.language, this.tree, this.parseBudgetMs);
      this.tree?.delete();
      this.tree = file.tree;
      this.parsedText = file.text;
      this.parsedLanguage = file.language;
      this.stale = false;
    }
    return { path: this.path, text: this.parsedText, language: this.parsedLanguage, tree: this.tree };
  }

  /** Forget what the analyzer remembers (settings or workspace facts changed). */
  reset(): void {
    this.analyzer.reset();
  }

  private dropTree(): void {
    this.tree?.delete();
    this.tree = undefined;
  }

  dispose(): void {
    this.dropTree();
  }
}

/**
 * A change whose range lies within the document and runs forwards: a range whose start is after its end is applied
 * from end to start (as TextDocument.update would), and lines or characters past the end are clamped to it. (Update
 * clamps offsets, but trusts the line numbers when it updates its table of line starts: a line far past the end
 * would leave that table wrong, and every position after it.)
 */
export function wellFormed(document: TextDocument, change: TextDocumentContentChangeEvent & { range: Range }): { from: number; to: number; change: TextDocumentContentChangeEvent } {
  const [from, to] = [document.offsetAt(change.range.start), document.offsetAt(change.range.end)].sort((a, b) => a - b);
  return { from, to, change: { range: { start: document.positionAt(from), end: document.positionAt(to) }, text: change.text } };
}

export function createDocument(uri: string, languageId: string, version: number, text: string): TextDocument {
  return TextDocument.create(uri, languageId, version, text);
}
