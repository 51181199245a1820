// Quick fixes: each one a correct, formatted edit that makes its finding go away. Java: try-with-resources,
// HttpURLConnection timeouts, a RequestConfig for Apache HttpClient, bounded future.get()/invokeAll. TS/JS: an
// AbortSignal for fetch and http, a timeout for axios, `await using`. And for every finding: ignore it on this line.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { Node } from 'web-tree-sitter';
import { objectProperty } from '../analysis/syntax/javascript';
import { laterConfiguration } from '../analysis/flow/configuration';
import { FileModel } from '../analysis/model';
import type { SourceFile } from '../analysis/parse/source';
import type { DiagnosticData } from './diagnostics';

interface Fix {
  readonly title: string;
  readonly edits: TextEdit[];
  readonly preferred?: boolean;
}

/** Positions and texts of one file, for building edits. */
class Editor {
  readonly lines: string[];

  constructor(readonly model: FileModel) {
    this.lines = model.file.text.split('\n');
  }

  indentOf(row: number): string {
    return /^[ \t]*/.exec(this.lines[row] ?? '')![0];
  }

  /** The file's indentation unit, guessed from the first indented line (four spaces when nothing tells). */
  get unit(): string {
    for (const line of this.lines) {
      const indent = /^[ \t]+(?=\S)/.exec(line)?.[0];
      if (indent) return indent.startsWith('\t') ? '\t' : ' '.repeat(Math.min(indent.length, 8) === 2 ? 2 : 4);
    }
    return '    ';
  }

  insertAt(node: Node, at: 'start' | 'end', text: string): TextEdit {
    const p = at === 'start' ? node.startPosition : node.endPosition;
    return { range: { start: { line: p.row, character: p.column }, end: { line: p.row, character: p.column } }, newText: text };
  }

  replace(node: Node, text: string): TextEdit {
    return this.replaceRange(node, node, text);
  }

  replaceRange(from: Node, to: Node, text: string): TextEdit {
    return {
      range: {
        start: { line: from.startPosition.row, character: from.startPosition.column },
        end: { line: to.endPosition.row, character: to.endPosition.column },
      },
      newText: text,
    };
  }

  /** An edit adding `import <name>;` unless the file already imports it (or its package with `*`). */
  javaImport(qualified: string): TextEdit | undefined {
    const pkg = qualified.slice(0, qualified.lastIndexOf('.'));
    const imports = this.model.root.namedChildren.filter((c): c is Node => c?.type === 'import_declaration');
    if (imports.some((i) => i.text.includes(qualified) || i.text.replace(/\s+/g, '').includes(`${pkg}.*`))) return undefined;
    const anchor = imports[imports.length - 1] ?? this.model.root.namedChildren.find((c) => c?.type === 'package_declaration');
    if (!anchor) return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `import ${qualified};\n` };
    return this.insertAt(anchor, 'end', `\n${imports.length === 0 ? '\n' : ''}import ${qualified};`);
  }
}

/** The node a diagnostic was reported on. */
function nodeAt(model: FileModel, diagnostic: Diagnostic): Node | undefined {
  const { start, end } = diagnostic.range;
  let node: Node | null = model.root.descendantForPosition({ row: start.line, column: start.character }, { row: end.line, column: end.character });
  for (; node; node = node.parent) {
    const s = node.startPosition;
    const e = node.endPosition;
    if (s.row === start.line && s.column === start.character && e.row === end.line && e.column === end.character) return node;
    if (s.row < start.line || (s.row === start.line && s.column < start.character)) break;
  }
  return undefined;
}

function ignoreOnThisLine(editor: Editor, diagnostic: Diagnostic, rule: string): Fix {
  const row = diagnostic.range.start.line;
  return {
    title: `Ignore ${rule} on this line`,
    edits: [{ range: { start: { line: row, character: 0 }, end: { line: row, character: 0 } }, newText: `${editor.indentOf(row)}// closewait-ignore-next-line ${rule}\n` }],
  };
}

// ---- Java ----

function tryWithResources(editor: Editor, node: Node): Fix | undefined {
  const { model } = editor;
  const c = model.dialect.context(node);
  if (c.kind !== 'bind' || c.binding !== 'local' || c.isAssignment) return undefined;
  const declarator = c.nameNode.parent;
  const declaration = declarator?.parent;
  const block = declaration?.parent;
  if (!declarator || declaration?.type !== 'local_variable_declaration' || !block || !/^(block|constructor_body)$/.test(block.type)) return undefined;
  if (declaration.childrenForFieldName('declarator').length !== 1) return undefined;
  const type = declaration.childForFieldName('type')?.text;
  const value = declarator.childForFieldName('value');
  if (!type || !value) return undefined;
  const statements = block.namedChildren.filter((n): n is Node => !!n && n.startIndex >= declaration.endIndex);
  const indent = editor.indentOf(declaration.startPosition.row);
  const unit = editor.unit;
  // Moving the rest of the block into the try; an explicit `x.close();` becomes redundant.
  const closeCall = new RegExp(`^${c.name}\\s*\\.\\s*close\\s*\\(\\s*\\)\\s*;$`);
  const body = statements
    .filter((s) => !closeCall.test(s.text.trim()))
    .map((s) => {
      const text = model.file.text.slice(model.file.text.lastIndexOf('\n', s.startIndex - 1) + 1, s.endIndex);
      return text
        .split('\n')
        .map((line) => (line.trim() === '' ? '' : unit + line))
        .join('\n');
    });
  const header = `try (${type} ${c.name} = ${value.text}) {`;
  const text = [header, ...body, `${indent}}`].join('\n');
  const last = statements[statements.length - 1] ?? declaration;
  return { title: `Wrap '${c.name}' in try-with-resources`, edits: [editor.replaceRange(declaration, last, text)], preferred: true };
}

function declarationStatement(node: Node, model: FileModel): { name: string; statement: Node } | undefined {
  const c = model.dialect.context(node);
  if (c.kind !== 'bind' || c.binding !== 'local') return undefined;
  let statement: Node | null = c.nameNode;
  while (statement && !model.dialect.isStatement(statement)) statement = statement.parent;
  return statement ? { name: c.name, statement } : undefined;
}

function urlConnectionTimeouts(editor: Editor, node: Node): Fix | undefined {
  const { model } = editor;
  const found = declarationStatement(node, model);
  if (!found) return undefined;
  const set = new Set(laterConfiguration(node, model).map((c) => c.name));
  const lines = [
    set.has('setConnectTimeout') ? '' : `${found.name}.setConnectTimeout(5_000);`,
    set.has('setReadTimeout') ? '' : `${found.name}.setReadTimeout(10_000);`,
  ].filter(Boolean);
  if (lines.length === 0) return undefined;
  const indent = editor.indentOf(found.statement.startPosition.row);
  return {
    title: `Add ${lines.map((l) => l.replace(/^\w+\.|\(.*$/g, '')).join(' and ')}`,
    edits: [editor.insertAt(found.statement, 'end', lines.map((l) => `\n${indent}${l}`).join(''))],
    preferred: true,
  };
}

function apacheRequestConfig(editor: Editor, node: Node): Fix | undefined {
  const { model } = editor;
  const call = model.dialect.call(node);
  if (!call || call.kind !== 'call') return undefined;
  const v5 = model.javaTypes.importsFrom('org.apache.hc.');
  const config = v5
    ? 'RequestConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).setResponseTimeout(Timeout.ofSeconds(10)).setConnectionRequestTimeout(Timeout.ofSeconds(5)).build()'
    : 'RequestConfig.custom().setConnectTimeout(5_000).setSocketTimeout(10_000).setConnectionRequestTimeout(5_000).build()';
  const imports = v5
    ? [editor.javaImport('org.apache.hc.client5.http.config.RequestConfig'), editor.javaImport('org.apache.hc.core5.util.Timeout')]
    : [editor.javaImport('org.apache.http.client.config.RequestConfig')];
  let edit: TextEdit;
  if (/^(createDefault|createSystem|createMinimal)$/.test(call.name) && call.receiver) {
    edit = editor.replace(node, `${call.receiver.text}.custom().setDefaultRequestConfig(${config}).build()`);
  } else if (call.name === 'build' && call.receiver && !/setDefaultRequestConfig/.test(node.text)) {
    edit = editor.insertAt(call.receiver, 'end', `.setDefaultRequestConfig(${config})`);
  } else {
    return undefined;
  }
  return {
    title: 'Add a RequestConfig with connect, socket and connection-request timeouts',
    edits: [edit, ...imports.filter((e): e is TextEdit => !!e)],
    preferred: true,
  };
}

const TIMEOUT_COVERED = /\b(Exception|Throwable|TimeoutException)\b/;

function boundedWait(editor: Editor, node: Node): Fix | undefined {
  const { model } = editor;
  const call = model.dialect.call(node);
  const args = node.childForFieldName('arguments');
  if (!call || !args || !call.receiver) return undefined;
  let replacement: string;
  if (call.name === 'get' && call.args.length === 0) replacement = '(10, TimeUnit.SECONDS)';
  else if ((call.name === 'invokeAll' || call.name === 'invokeAny') && call.args.length === 1) replacement = `(${call.args[0].text}, 10, TimeUnit.SECONDS)`;
  else return undefined;
  const edits: TextEdit[] = [editor.replace(args, replacement)];
  const timeUnit = editor.javaImport('java.util.concurrent.TimeUnit');
  if (timeUnit) edits.push(timeUnit);
  // get(timeout) and invokeAny(timeout) throw the checked TimeoutException: declare it where it is not covered.
  const method = model.functionOf(node);
  const throwsTimeout = call.name !== 'invokeAll';
  if (throwsTimeout && method?.type === 'method_declaration') {
    const throwsClause = method.namedChildren.find((c) => c?.type === 'throws');
    if (!throwsClause) {
      const params = method.childForFieldName('parameters');
      if (params) edits.push(editor.insertAt(params, 'end', ' throws TimeoutException'));
    } else if (!TIMEOUT_COVERED.test(throwsClause.text)) {
      edits.push(editor.insertAt(throwsClause, 'end', ', TimeoutException'));
    }
    const imported = editor.javaImport('java.util.concurrent.TimeoutException');
    if (imported && !TIMEOUT_COVERED.test(throwsClause?.text.replace(/TimeoutException/, '') ?? '')) edits.push(imported);
  }
  const shown = `${call.receiver.text}.${call.name}${replacement}`;
  return { title: `Wait at most 10 seconds: ${shown}${throwsTimeout ? ' (throws TimeoutException)' : ''}`, edits, preferred: true };
}

// ---- TypeScript / JavaScript ----

/** Adds `key: value` to an options object literal, or a new options argument after `after`. */
function addOption(editor: Editor, object: Node | undefined, after: Node | undefined, property: string, position?: 'before'): TextEdit | undefined {
  if (object) {
    const first = object.namedChildren.find((c) => c && c.type !== 'comment');
    if (!first) return editor.replace(object, `{ ${property} }`);
    const between = editor.model.file.text.slice(object.startIndex + 1, first.startIndex);
    if (between.includes('\n')) {
      const indent = editor.indentOf(first.startPosition.row);
      return editor.insertAt(first, 'start', `${property},\n${indent}`);
    }
    return editor.insertAt(first, 'start', `${property}, `);
  }
  if (!after) return undefined;
  return position === 'before' ? editor.insertAt(after, 'start', `{ ${property} }, `) : editor.insertAt(after, 'end', `, { ${property} }`);
}

function objectArg(node: Node | undefined, model: FileModel): Node | undefined {
  const unwrapped = node && model.dialect.unwrap(node);
  return unwrapped?.type === 'object' ? unwrapped : undefined;
}

const SIGNAL = 'signal: AbortSignal.timeout(10_000)';
const AXIOS_CONFIG_INDEX: Record<string, number> = { get: 1, delete: 1, head: 1, options: 1, request: 0, create: 0, post: 2, put: 2, patch: 2 };

function jsTimeout(editor: Editor, node: Node, api: string | undefined): Fix | undefined {
  const { model } = editor;
  const call = model.dialect.call(node);
  if (!call) return undefined;
  if (api === 'fetch') {
    const options = objectArg(call.args[1], model);
    if (!options && call.args.length !== 1) return undefined;
    const edit = addOption(editor, options, call.args[0], SIGNAL);
    return edit && { title: `Add ${SIGNAL} to fetch`, edits: [edit], preferred: true };
  }
  if (api === 'axios') {
    const target = model.jsModules.resolve(call);
    const index = target?.member === 'default' ? (call.args.length > 1 ? 1 : 0) : AXIOS_CONFIG_INDEX[target?.member ?? ''];
    if (index === undefined) return undefined;
    const options = objectArg(call.args[index], model);
    const timeout = options && objectProperty(options, 'timeout');
    const edit = timeout
      ? editor.replace(timeout, '10_000')
      : options || call.args.length === index
        ? index === 0 && call.args.length === 0
          ? editor.replace(node.childForFieldName('arguments')!, '({ timeout: 10_000 })')
          : addOption(editor, options, call.args[index - 1], 'timeout: 10_000')
        : undefined;
    return edit && { title: 'Add timeout: 10_000 to the axios config', edits: [edit], preferred: true };
  }
  if (api === 'http.get' || api === 'http.request' || api === 'https.get' || api === 'https.request') {
    const options = call.args.map((a) => objectArg(a, model)).find(Boolean);
    const callback = call.args.find((a) => model.dialect.functionTypes.has(a.type));
    const edit = options
      ? addOption(editor, options, undefined, SIGNAL)
      : callback
        ? editor.insertAt(callback, 'start', `{ ${SIGNAL} }, `)
        : addOption(editor, undefined, call.args[call.args.length - 1], SIGNAL);
    return edit && { title: `Add ${SIGNAL} to the request options`, edits: [edit], preferred: true };
  }
  return undefined;
}

const DISPOSABLE = new Set(['net.Socket', 'tls.TLSSocket', 'got stream']);

function awaitUsing(editor: Editor, node: Node, resource: string | undefined): Fix | undefined {
  const { model } = editor;
  if (!resource || !DISPOSABLE.has(resource)) return undefined;
  const c = model.dialect.context(node);
  if (c.kind !== 'bind' || c.binding !== 'local' || c.isAssignment) return undefined;
  const declaration = c.nameNode.parent?.parent;
  if (declaration?.type !== 'lexical_declaration' || !/^const\s/.test(declaration.text)) return undefined;
  const fn = model.functionOf(node);
  if (!fn || !/^async\b/.test(fn.text)) return undefined;
  const keyword = declaration.firstChild;
  if (!keyword || keyword.text !== 'const') return undefined;
  return { title: `Dispose '${c.name}' automatically: await using`, edits: [editor.replace(keyword, 'await using')] };
}

export function codeActionsFor(file: SourceFile, uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const model = new FileModel(file);
  const editor = new Editor(model);
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'closewait') continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    const rule = data?.rule ?? String(diagnostic.code ?? '');
    const node = nodeAt(model, diagnostic);
    const fixes: (Fix | undefined)[] = [];
    if (node) {
      if (model.isJava) {
        if (rule === 'unclosed-resource') fixes.push(tryWithResources(editor, node));
        if (rule === 'missing-timeout' && data?.resource === 'HttpURLConnection') fixes.push(urlConnectionTimeouts(editor, node));
        if (rule === 'missing-timeout' && data?.resource === 'Apache HttpClient') fixes.push(apacheRequestConfig(editor, node));
        if (rule === 'unbounded-wait') fixes.push(boundedWait(editor, node));
      } else {
        if (rule === 'missing-timeout') fixes.push(jsTimeout(editor, node, data?.resource));
        if (rule === 'unclosed-resource') fixes.push(awaitUsing(editor, node, data?.resource));
      }
    }
    fixes.push(ignoreOnThisLine(editor, diagnostic, rule));
    for (const fix of fixes) {
      if (!fix) continue;
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred,
        edit: { changes: { [uri]: fix.edits } },
      });
    }
  }
  return actions;
}
