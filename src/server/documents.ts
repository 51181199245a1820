// Open documents: their text, their tree kept in step edit by edit (tree.edit + an incremental re-parse), and the
// incremental analyzer that remembers which parts of the file were already checked.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { Tree } from 'web-tree-sitter';
import { IncrementalAnalyzer } from '../analysis/incremental';
import type { LanguageId } from '../analysis/parse/grammars';
import { parseSource, type SourceFile } from '../analysis/parse/source';

export class OpenDocument {
  readonly analyzer = new IncrementalAnalyzer();
  private tree: Tree | undefined;
  /** The tree no longer matches the text and must be re-parsed before use. */
  private stale = true;

  constructor(
    private document: TextDocument,
    /** Workspace-relative path with forward slashes: what findings and facts call this file. */
    readonly path: string,
    readonly language: LanguageId,
  ) {}

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
    for (const change of changes) {
      if (!('range' in change)) {
        this.document = TextDocument.update(this.document, [change], version);
        this.dropTree();
        continue;
      }
      const startIndex = this.document.offsetAt(change.range.start);
      const oldEndIndex = this.document.offsetAt(change.range.end);
      // offsetAt clamps: the positions tree-sitter gets must be the clamped ones too.
      const startPosition = this.document.positionAt(startIndex);
      const oldEndPosition = this.document.positionAt(oldEndIndex);
      this.document = TextDocument.update(this.document, [change], version);
      const newEndIndex = startIndex + change.text.length;
      const newEnd = this.document.positionAt(newEndIndex);
      this.tree?.edit({
        startIndex,
        oldEndIndex,
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
    const text = this.document.getText();
    if (this.stale || !this.tree) {
      const file = parseSource(this.path, text, this.language, this.tree);
      this.tree?.delete();
      this.tree = file.tree;
      this.stale = false;
    }
    return { path: this.path, text, language: this.language, tree: this.tree };
  }

  private dropTree(): void {
    this.tree?.delete();
    this.tree = undefined;
  }

  dispose(): void {
    this.dropTree();
  }
}

export function createDocument(uri: string, languageId: string, version: number, text: string): TextDocument {
  return TextDocument.create(uri, languageId, version, text);
}
