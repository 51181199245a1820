// Hover on a flagged range: the rule's explanation with its before/after and a link to the docs. (The finding's own
// message is already in the editor's diagnostic hover: not repeated here.)
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { Finding } from '../analysis/finding';
import { ruleById } from '../analysis/rules';
import { helpUri } from '../analysis/rules/rule';

function contains(f: Finding, position: Position): boolean {
  const line = position.line + 1;
  const column = position.character + 1;
  if (line < f.line || line > f.endLine) return false;
  if (line === f.line && column < f.column) return false;
  if (line === f.endLine && column > f.endColumn) return false;
  return true;
}

export function hoverFor(findings: readonly Finding[], position: Position): Hover | null {
  const here = findings.filter((f) => contains(f, position));
  if (here.length === 0) return null;
  const sections = here.map((f) => {
    const rule = ruleById(f.rule);
    return [
      `**CloseWait · \`${f.rule}\`** (${f.severity})`,
      '',
      rule?.meta.docs ?? '',
      '',
      `[Read more about ${f.rule}](${helpUri(f.rule)})`,
    ].join('\n');
  });
  const first = here[0];
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: { start: { line: first.line - 1, character: first.column - 1 }, end: { line: first.endLine - 1, character: first.endColumn - 1 } },
  };
}
