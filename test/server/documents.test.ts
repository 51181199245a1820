// An open document keeps its syntax tree in step with the editor's edits (tree.edit, then an incremental parse).
// Whatever the edits, the tree must be the one a fresh parse of the same text gives: same nodes, same positions.
// Edits that make and break CR LF pairs, lone CRs and reversed ranges included.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Node } from 'web-tree-sitter';
import { loadAllLanguages, parseSource } from '../../src/analysis';
import { createDocument, OpenDocument } from '../../src/server/documents';

before(loadAllLanguages);

/** Every node with its extent, as rows and columns too. */
function shape(root: Node): string[] {
  const out: string[] = [];
  const visit = (node: Node, depth: number) => {
    out.push(`${' '.repeat(depth)}${node.type} ${node.startIndex}-${node.endIndex} ${node.startPosition.row}:${node.startPosition.column}-${node.endPosition.row}:${node.endPosition.column}`);
    for (const child of node.children) if (child) visit(child, depth + 1);
  };
  visit(root, 0);
  return out;
}

const START = '// Old Mac line endings\rclass A {\r  // a comment\r\n  void f() {\r    g("a\\r");\r  }\r}\r';
const PIECES = ['\r', '\n', '\r\n', ' ', 'x', '//', '"', '{', '}', ';', 'g();'];

const edit = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 4 }),
  insert: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((p) => p.join('')),
  reversed: fc.boolean(),
});

test('after any edits, the incrementally edited tree equals a fresh parse of the text', () => {
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
      let editor = TextDocument.create('file:///A.java', 'java', 1, START);
      const doc = new OpenDocument(createDocument('file:///A.java', 'java', 1, START), 'A.java', 'java');
      try {
        doc.source();
        let version = 1;
        for (const e of edits) {
          const text = editor.getText();
          const at = e.at % (text.length + 1);
          const [start, end] = [editor.positionAt(at), editor.positionAt(Math.min(text.length, at + e.remove))];
          const change = { range: e.reversed ? { start: end, end: start } : { start, end }, text: e.insert };
          version++;
          editor = TextDocument.update(editor, [change], version);
          doc.applyChanges([change], version);
          assert.equal(doc.text, editor.getText());
          const fresh = parseSource('A.java', doc.text, 'java');
          try {
            assert.deepEqual(shape(doc.source().tree.rootNode), shape(fresh.tree.rootNode), JSON.stringify(doc.text));
          } finally {
            fresh.tree.delete();
          }
        }
      } finally {
        doc.dispose();
      }
    }),
    { seed: 0x0c105e, numRuns: 300 },
  );
});

test('JavaScript with JSX the JavaScript grammar rejects is parsed, and re-parsed after edits, with the TSX grammar', () => {
  const text = 'const A = ({ open }) => <Collapse in={open}><div class="x">hi</div></Collapse>;\nexport default A;\n';
  const doc = new OpenDocument(createDocument('file:///A.js', 'javascript', 1, text), 'A.js', 'javascript');
  try {
    const first = doc.source();
    assert.equal(first.language, 'tsx');
    assert.equal(first.tree.rootNode.hasError, false);
    const end = { line: 1, character: 0 };
    doc.applyChanges([{ range: { start: end, end }, text: 'const B = () => <span class="y" />;\n' }], 2);
    const edited = doc.source();
    assert.equal(edited.language, 'tsx', 'the incremental parse keeps the grammar of the tree it edits');
    const fresh = parseSource('A.js', doc.text, 'javascript');
    try {
      assert.equal(fresh.language, 'tsx');
      assert.deepEqual(shape(edited.tree.rootNode), shape(fresh.tree.rootNode));
    } finally {
      fresh.tree.delete();
    }
  } finally {
    doc.dispose();
  }
});

test('JavaScript whose errors the TSX grammar does not mend stays JavaScript', () => {
  for (const text of ['function f( {\n  return 1;\n}\n', 'const a = 1 +;\nconst b = <div>ok</div>;\n']) {
    const file = parseSource('a.js', text, 'javascript');
    try {
      assert.equal(file.language, 'javascript', text);
      assert.equal(file.tree.rootNode.hasError, true, text);
    } finally {
      file.tree.delete();
    }
  }
});
