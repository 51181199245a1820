// Glob patterns as users write them in --exclude, settings and .gitignore: `*`, `**`, `?`, `[abc]`, `{a,b}`.

/** Compiles a glob to a RegExp over forward-slash paths. `**` crosses directories, `*` does not. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        out += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) {
        out += '\\[';
      } else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else if (ch === '{') {
      const close = glob.indexOf('}', i + 1);
      if (close < 0) {
        out += '\\{';
      } else {
        out += `(?:${glob
          .slice(i + 1, close)
          .split(',')
          .map((alt) => globToRegExp(alt).source.slice(1, -1))
          .join('|')})`;
        i = close;
      }
    } else {
      out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}

/**
 * True when `path` (relative, forward slashes) matches an exclude glob. A glob without a slash matches any path
 * segment (`generated` excludes every folder of that name); one with a slash matches from the start, and a
 * match on a folder covers everything below it.
 */
export function matchesExclude(path: string, globs: readonly RegExp[], raw: readonly string[]): boolean {
  const segments = path.split('/');
  return globs.some((re, i) => {
    if (!raw[i].includes('/')) return segments.some((s) => re.test(s));
    for (let end = segments.length; end > 0; end--) if (re.test(segments.slice(0, end).join('/'))) return true;
    return false;
  });
}
