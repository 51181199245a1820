// Names and text from the outside world (file names, thread names, lines of a pasted dump) on their way to a
// terminal or a Markdown page. A raw ESC starts a terminal escape sequence (colours, titles, OSC 8 links), a raw CR
// overwrites what was printed, U+202E reverses the text after it, a newline in Markdown starts a heading or HTML:
// none of them may reach the output as such. Here in the dump core because its Markdown report (which also runs in
// the panel's worker) needs it; the CLI's scan and dump formats use it too.

/** C0 and C1 control characters, DEL, the bidirectional controls and the Unicode line separators. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
const NEEDS_QUOTES = new RegExp(`${UNSAFE.source}|\\\\|^"`);

const utf8 = new TextEncoder();
const SHORT: Record<string, string> = { '\u0007': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r' };

/** `\n`, `\t`..., or the character's UTF-8 bytes in octal (`\342\200\256` for U+202E), as git writes them. */
function escapeChar(c: string): string {
  return SHORT[c] ?? [...utf8.encode(c)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}

/**
 * A name as git shows a path (core.quotePath=false): unchanged when it is plain, else (or when empty) in double
 * quotes with C escapes for the backslash, the quote and every unsafe character. Reversible: `unquote` in
 * src/cli/review/diff.ts reads it back.
 */
export function quoteName(name: string): string {
  // An empty name shows as "": printed as nothing it would not be seen at all.
  return name === '' || NEEDS_QUOTES.test(name) ? quoted(name) : name;
}

/** Always in double quotes (a thread name as a dump shows it), escaped as `quoteName` does. */
export function quoted(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`).replace(UNSAFE_ALL, escapeChar)}"`;
}

/** Free text (a message, a line of a dump): a tab becomes a space, other unsafe characters their escapes. */
export function safeText(text: string): string {
  return text.replace(UNSAFE_ALL, (c) => (c === '\t' ? ' ' : escapeChar(c)));
}

/**
 * Inline code for Markdown: HTML, emphasis, headings and @mentions are inert inside it. The text is quoted as
 * `quoteName` does (control characters escaped, reversibly), the fence is longer than any run of backticks in it,
 * and in a table cell a pipe is escaped (GitHub splits a row into cells before it reads code spans).
 */
export function codeSpan(text: string, inTable = false): string {
  let body = quoteName(text);
  if (inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each side when both are there; a backtick at an edge needs a space between it
  // and the fence.
  const pad = /^`|`$/.test(body) || /^ .*[^ ].* $/s.test(body) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * Plain Markdown text on one line: HTML, emphasis, links, code, strikethrough and table pipes are escaped, unsafe
 * characters (a newline would start a new block) too. Meant for names and phrases inside our own sentences.
 */
export function markdownText(text: string): string {
  return safeText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~]/g, (c) => `\\${c}`)
    // An underscore inside a word cannot start emphasis: CLOSE_WAIT stays readable in the raw text.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
}

/** A fenced code block that no line inside can close: the fence is longer than any run of backticks in the lines. */
export function codeBlock(lines: readonly string[], info = 'text'): string[] {
  const safe = lines.map(safeText);
  const longest = Math.max(2, ...safe.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...safe, fence];
}
