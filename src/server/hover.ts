// Hover on a flagged range: why it matters in two lines, the fix in the finding's own language (a Java file gets
// the Java one, a TypeScript or JavaScript file the TS one) and a link to the rule's page. Short enough to fit
// without scrolling. (The finding's own message is already in the editor's diagnostic hover: not repeated.)
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { Finding } from '../analysis/finding';
import { languageForPath, type LanguageId } from '../analysis/parse/grammars';
import { ruleById } from '../analysis/rules';
import { helpUri } from '../analysis/rules/rule';
import type { Family } from '../analysis/syntax/dialect';

function contains(f: Finding, position: Position): boolean {
  const line = position.line + 1;
  const column = position.character + 1;
  if (line < f.line || line > f.endLine) return false;
  if (line === f.line && column < f.column) return false;
  if (line === f.endLine && column > f.endColumn) return false;
  return true;
}

/** The language family of a finding: its document's language when known (an untitled file has no extension). */
function familyOf(f: Finding, language: LanguageId | undefined): Family {
  return (language ?? languageForPath(f.file)) === 'java' ? 'java' : 'js';
}

/**
 * One finding's section: the heading with the link, why (two lines), the fix in the finding's language. VS Code
 * gives a hover 250 px when the line sits high in the editor, the diagnostic's own message included: the before is
 * the user's own code, right under the hover, so only the after is shown (the rule's page has both).
 */
export function hoverSection(f: Finding, language?: LanguageId): string {
  const meta = ruleById(f.rule)?.meta;
  const example = meta?.examples[familyOf(f, language)];
  // The heading and the why share a paragraph (a hard line break, two spaces): no paragraph gap between them.
  const heading = `**CloseWait · \`${f.rule}\`** (${f.severity}) · [Read more about ${f.rule}](${helpUri(f.rule)})`;
  return [meta ? `${heading}  \n${meta.why}` : heading, ...(example ? ['', `\`\`\`${example.language}`, example.after, '```'] : [])].join('\n');
}

export function hoverFor(findings: readonly Finding[], position: Position, language?: LanguageId): Hover | null {
  const here = findings.filter((f) => contains(f, position));
  if (here.length === 0) return null;
  // Two findings of one rule on one range explain the same thing once.
  const sections = [...new Map(here.map((f) => [f.rule, hoverSection(f, language)])).values()];
  const first = here[0];
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: { start: { line: first.line - 1, character: first.column - 1 }, end: { line: first.endLine - 1, character: first.endColumn - 1 } },
  };
}
