// Suppression comments, honoured by every face:
//   // closewait-ignore-next-line unclosed-resource       (the next line; no rule id = every rule)
//   // closewait-ignore missing-timeout                    (the whole file)
const DIRECTIVE = /closewait-ignore(-next-line)?\b([^\n*]*)/g;

export interface Suppressions {
  isSuppressed(rule: string, line: number): boolean;
}

function ruleIds(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^[a-z][a-z-]*$/.test(s));
}

export function readSuppressions(text: string): Suppressions {
  if (!text.includes('closewait-ignore')) return { isSuppressed: () => false };
  const file = new Set<string>();
  let wholeFile = false;
  const lines = new Map<number, Set<string> | 'all'>();
  let lineNumber = 1;
  let lastIndex = 0;
  for (const match of text.matchAll(DIRECTIVE)) {
    for (let i = text.indexOf('\n', lastIndex); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) lineNumber++;
    lastIndex = match.index;
    const ids = ruleIds(match[2]);
    if (match[1]) {
      const target = lineNumber + 1;
      const existing = lines.get(target);
      if (ids.length === 0 || existing === 'all') lines.set(target, 'all');
      else lines.set(target, new Set([...(existing ?? []), ...ids]));
    } else if (ids.length === 0) {
      wholeFile = true;
    } else {
      for (const id of ids) file.add(id);
    }
  }
  return {
    isSuppressed(rule, line) {
      if (wholeFile || file.has(rule)) return true;
      const onLine = lines.get(line);
      return onLine === 'all' || !!onLine?.has(rule);
    },
  };
}
