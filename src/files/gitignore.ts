// .gitignore rules, read per directory as the walk descends: enough of git's semantics for source trees
// (anchored and floating patterns, directory-only patterns, negation, `**`).
import { globToRegExp } from './glob';

interface IgnoreRule {
  readonly regex: RegExp;
  readonly negate: boolean;
  readonly directoryOnly: boolean;
  /** Patterns with a slash are relative to the .gitignore's directory; others match a name at any depth. */
  readonly anchored: boolean;
  /** Directory holding the .gitignore, relative to the scan root ('' for the root). */
  readonly base: string;
}

export class GitIgnore {
  private readonly rules: IgnoreRule[] = [];

  /** Adds the rules of a .gitignore found in `base` (relative to the scan root). */
  add(base: string, content: string): void {
    for (const rawLine of content.split(/\r?\n/)) {
      let line = rawLine.replace(/(?<!\\)\s+$/, '');
      if (!line || line.startsWith('#')) continue;
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1);
      const directoryOnly = line.endsWith('/');
      if (directoryOnly) line = line.slice(0, -1);
      const anchored = line.includes('/');
      if (line.startsWith('/')) line = line.slice(1);
      if (!line) continue;
      this.rules.push({ regex: globToRegExp(line), negate, directoryOnly, anchored, base });
    }
  }

  /** True when the path (relative to the scan root) is ignored; the last matching rule wins, as in git. */
  ignores(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.base && !path.startsWith(`${rule.base}/`)) continue;
      const relative = rule.base ? path.slice(rule.base.length + 1) : path;
      const matches = rule.anchored ? rule.regex.test(relative) : rule.regex.test(relative.slice(relative.lastIndexOf('/') + 1));
      if (matches) ignored = !rule.negate;
    }
    return ignored;
  }
}
