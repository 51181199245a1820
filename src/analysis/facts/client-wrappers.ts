// The workspace's own HTTP wrappers: methods and exported functions that open a connection, start a request
// builder or send a request for their callers, and leave the timeout unset (or to an option the caller may omit).
// Real code calls `ProxyConfiguration.open(url)` or `request.get(url)` far more often than the library itself, so
// the missing-timeout rule judges those call sites through these summaries (catalog/wrapper-timeouts.ts).
import type { Node } from 'web-tree-sitter';
import { urlConnectionCertainty } from '../catalog/java-acquisitions';
import { FETCH_MODULES } from '../catalog/js-acquisitions';
import { disables } from '../catalog/timeout-requirements';
import { escapeOf, laterConfiguration, type Configuration } from '../flow/configuration';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { objectProperty } from '../syntax/javascript';
import { enclosingClass } from './handler-callees';
import type { Declaration } from './workspace';

/** Cheap pre-filters: only sources matching these can declare a wrapper worth summarising (Java, JS/TS). */
const JAVA_WRAPS = /\.openConnection\s*\(|HttpRequest\.newBuilder\s*\(/;
const JS_WRAPS = /\bfetch\w*\s*\(|\bhttps?\.(get|request)\s*\(/;
/** A JS/TS module that exports something: only such a module can declare a wrapper or factory for other modules. */
export const JS_EXPORTS = /\bexports\b|\bexport\s/;

/** True when a source of that language can declare a wrapper (checked before anything is parsed). */
export function mayWrapClient(language: 'java' | 'js', text: string): boolean {
  return language === 'java' ? JAVA_WRAPS.test(text) : JS_WRAPS.test(text) && JS_EXPORTS.test(text);
}

/** A workspace method or exported function whose callers get an HTTP connection, request or response without a timeout. */
export interface ClientWrapper extends Declaration {
  readonly language: 'java' | 'js';
  /** Java: the declaring class, fully qualified; JS: the module's file without its extension. */
  readonly owner: string;
  /** The method or export name callers use. */
  readonly name: string;
  /** For messages: `ProxyConfiguration.open`, `request.get`. */
  readonly label: string;
  /**
   * What callers get: a URLConnection they still can give a read timeout, a java.net.http request builder they
   * still can give `.timeout(...)`, or a response already read (nothing left to set).
   */
  readonly returns: 'connection' | 'request-builder' | 'response';
  /** "sets no read timeout (setReadTimeout)". */
  readonly gap: string;
  /** JS: the argument and its option through which a caller bounds the request (`{ timeout }`, `{ signal }`). */
  readonly option?: { readonly index: number; readonly key: string };
  /** False when the wrapper's connection may not be a network one (its URL's scheme is not visible). */
  readonly certain: boolean;
  /**
   * JS: a wrapper only its own module calls, a class's method (`this.fetchWithAuth(url, init)` inside `class`) or a
   * function it does not export.
   */
  readonly local?: { readonly kind: 'method'; readonly className: string } | { readonly kind: 'function' };
}

/** The wrappers a parsed production source declares. */
export function clientWrappersOf(model: FileModel): ClientWrapper[] {
  if (!mayWrapClient(model.isJava ? 'java' : 'js', model.file.text)) return [];
  return model.isJava ? javaWrappers(model) : jsWrappers(model);
}

// ---- Java: static or instance methods returning a URLConnection, an HttpRequest.Builder or a stream (a private one
// only its class can call: lamp-cloud's ZipUtils.getConnection).

const URL_CONNECTION = /^(java\.net\.)?(Http|Https)?URLConnection$/;
const REQUEST_BUILDER = /^((java\.net\.http\.)?HttpRequest\.)?Builder$/;
const INPUT_STREAM = /^(java\.io\.)?InputStream$/;

/** The package a Java file declares ('' for the default package). */
export function javaPackageOf(model: FileModel): string {
  const declaration = model.root.namedChildren.find((c) => c?.type === 'package_declaration');
  return declaration?.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier')?.text ?? '';
}

function setsTimeout(later: readonly Configuration[], setter: RegExp, model: FileModel): boolean {
  return later.some((c) => setter.test(c.name) && !disables(c.args[0], model));
}

function javaWrappers(model: FileModel): ClientWrapper[] {
  const pkg = javaPackageOf(model);
  const out: ClientWrapper[] = [];
  const seen = new Set<string>();
  for (const method of model.root.descendantsOfType('method_declaration')) {
    if (!method) continue;
    const returnType = method.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
    const kind = URL_CONNECTION.test(returnType) ? 'connection' : REQUEST_BUILDER.test(returnType) ? 'request-builder' : INPUT_STREAM.test(returnType) ? 'response' : undefined;
    const name = method.childForFieldName('name')?.text;
    const owner = enclosingClass(method);
    if (!kind || !name || !owner || seen.has(name)) continue;
    const found = kind === 'request-builder' ? requestBuilderGap(method, model) : connectionGap(method, kind, model);
    if (!found) continue;
    seen.add(name);
    out.push({
      language: 'java',
      owner: pkg ? `${pkg}.${owner}` : owner,
      name,
      label: `${owner}.${name}`,
      returns: kind,
      gap: found.gap,
      certain: found.certain,
      file: model.file.path,
      line: (method.childForFieldName('name') ?? method).startPosition.row + 1,
    });
  }
  return out;
}

function callsIn(method: Node, name: string, model: FileModel): { node: Node; call: Call }[] {
  return model.callsNamed(name).filter((c) => c.node.startIndex >= method.startIndex && c.node.endIndex <= method.endIndex);
}

/** `url.openConnection()` returned without a read timeout (or its stream returned, read with none). */
function connectionGap(method: Node, kind: 'connection' | 'response', model: FileModel): { node: Node; gap: string; certain: boolean } | undefined {
  let found: { node: Node; gap: string; certain: boolean } | undefined;
  for (const { node, call } of callsIn(method, 'openConnection', model)) {
    if (model.functionOf(node)?.id !== method.id) continue;
    const basis = urlConnectionCertainty(call, model);
    if (!basis) continue;
    const later = laterConfiguration(node, model);
    if (setsTimeout(later, /^setReadTimeout$/, model)) continue;
    const connect = setsTimeout(later, /^setConnectTimeout$/, model);
    if (kind === 'connection' && escapeOf(node, model) !== 'returned') continue;
    if (kind === 'response' && !later.some((c) => c.name === 'getInputStream')) continue;
    // A connect timeout or a proxy says the wrapper meant a network connection, whatever scheme its URL has.
    const network = basis.confidence === 'certain' || connect || call.args.length === 1;
    const gap = connect ? 'sets no read timeout (setReadTimeout)' : 'sets no connect or read timeout';
    // `if (p == null) return url.openConnection(); ... url.openConnection(proxy)`: one network branch tells.
    if (!found || (network && !found.certain)) found = { node, gap, certain: network || !!found?.certain };
  }
  return found;
}

/** `HttpRequest.newBuilder(...)` returned without `.timeout(...)`. */
function requestBuilderGap(method: Node, model: FileModel): { node: Node; gap: string; certain: boolean } | undefined {
  // `original.timeout().ifPresent(builder::timeout)`: a decorator copies the timeout of the request it wraps.
  if (/::timeout\b/.test(method.text)) return undefined;
  for (const { node, call } of callsIn(method, 'newBuilder', model)) {
    if (!call.receiver || !model.javaTypes.refersTo(model.dialect.unwrap(call.receiver).text, 'java.net.http.HttpRequest')) continue;
    if (model.functionOf(node)?.id !== method.id || escapeOf(node, model) !== 'returned') continue;
    if (setsTimeout(laterConfiguration(node, model), /^timeout$/, model)) continue;
    return { node, gap: 'sets no timeout(...) on the request', certain: true };
  }
  return undefined;
}

// ---- JS/TS: exported functions whose request is bounded only when the caller passes an option.

/** Where a parameter's name comes from: argument `index`, or the property `key` of that argument. */
interface ParamSource {
  readonly index: number;
  readonly key?: string;
  /** Declared a string or a URL (`url: string`): an address, never an options object. */
  readonly address?: true;
  /** Given a default (`timeout = 5000`): the caller may leave it out. */
  readonly defaulted?: true;
}

const ADDRESS_TYPE = /^:\s*(string|URL)(\s*\|\s*(string|URL))*$/;

function parameterSources(fn: Node): Map<string, ParamSource> {
  const sources = new Map<string, ParamSource>();
  const single = fn.childForFieldName('parameter');
  if (single) sources.set(single.text, { index: 0 });
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  params.forEach((p, index) => {
    if (!p) return;
    let pattern = p.childForFieldName('pattern') ?? p;
    const defaulted = pattern.type === 'assignment_pattern' || !!p.childForFieldName('value');
    if (pattern.type === 'assignment_pattern') pattern = pattern.childForFieldName('left') ?? pattern;
    if (pattern.type === 'identifier') {
      sources.set(pattern.text, { index, ...(ADDRESS_TYPE.test(p.childForFieldName('type')?.text ?? '') ? { address: true as const } : {}), ...(defaulted ? { defaulted: true as const } : {}) });
    }
    if (pattern.type !== 'object_pattern') return;
    for (const part of pattern.namedChildren) {
      if (!part) continue;
      if (part.type === 'shorthand_property_identifier_pattern') sources.set(part.text, { index, key: part.text });
      else if (part.type === 'object_assignment_pattern') {
        const left = part.childForFieldName('left');
        if (left) sources.set(left.text, { index, key: left.text });
      } else if (part.type === 'pair_pattern') {
        const key = part.childForFieldName('key')?.text;
        const value = part.childForFieldName('value');
        if (key && value?.type === 'identifier') sources.set(value.text, { index, key });
      } else if (part.type === 'rest_pattern') {
        const rest = part.namedChildren[0];
        if (rest) sources.set(rest.text, { index });
      }
    }
  });
  return sources;
}

/** How a function bounds its request: through an option of one of its arguments, or not at all ('never'). */
type Bound = { readonly index: number; readonly key: string } | 'never' | 'bounded';

const MAX_DEPTH = 3;

/**
 * How other modules name a JS/TS module: its file without the extension (what a relative import resolves to), and
 * the short name messages use (`lib/http/index.js` is imported as `lib/http`: its folder names it).
 */
export function jsModuleNames(path: string): { readonly module: string; readonly base: string } {
  const module = path.replace(/\.[cm]?[jt]sx?$/, '');
  const parts = module.split('/');
  const base = parts[parts.length - 1] === 'index' && parts.length > 1 ? parts[parts.length - 2] : parts[parts.length - 1];
  return { module, base };
}

function jsWrappers(model: FileModel): ClientWrapper[] {
  const out: ClientWrapper[] = [];
  const { module, base } = jsModuleNames(model.file.path);
  const exported = jsExports(model);
  const exportedIds = new Set(exported.map(({ fn }) => fn.id));
  const local = localFunctions(model).filter(({ fn }) => !exportedIds.has(fn.id));
  for (const { name, fn, scope } of [...exported.map((e) => ({ ...e, scope: undefined })), ...local]) {
    const bound = boundOf(fn, model, 0);
    if (!bound || typeof bound === 'string') continue;
    out.push({
      language: 'js',
      owner: module,
      name,
      label: `${scope?.kind === 'method' ? scope.className : base}.${name}`,
      returns: 'response',
      gap: bound.key === '' ? `sets no timeout of its own: only a timeout passed by the caller (argument ${bound.index + 1}) bounds the request` : `sets no timeout of its own: only a { ${bound.key} } option passed by the caller bounds the request`,
      option: bound,
      certain: true,
      file: model.file.path,
      line: fn.startPosition.row + 1,
      ...(scope ? { local: scope } : {}),
    });
  }
  return out;
}

/** The methods of the module's classes (not constructors) and its top-level functions: wrappers it may call itself. */
function localFunctions(model: FileModel): { name: string; fn: Node; scope: NonNullable<ClientWrapper['local']> }[] {
  const found: { name: string; fn: Node; scope: NonNullable<ClientWrapper['local']> }[] = [];
  for (const fn of model.root.descendantsOfType(['method_definition', 'function_declaration'])) {
    const name = fn?.childForFieldName('name')?.text;
    if (!fn || !name) continue;
    if (fn.type === 'function_declaration') {
      if (fn.parent?.type === 'program') found.push({ name, fn, scope: { kind: 'function' } });
      continue;
    }
    const className = name !== 'constructor' ? enclosingClass(fn) : undefined;
    if (className) found.push({ name, fn, scope: { kind: 'method', className } });
  }
  return found;
}

/** The exported functions of a module: `exports.x = ...`, `module.exports = { x }`, `export function x`, `export const x = ...`. */
export function jsExports(model: FileModel): { name: string; fn: Node; node: Node }[] {
  const found: { name: string; fn: Node; node: Node }[] = [];
  const add = (name: string | undefined, value: Node | null | undefined, node: Node) => {
    const fn = value && functionValue(value, model);
    if (name && fn) found.push({ name, fn, node });
  };
  for (const statement of model.root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'export_statement') {
      const declaration = statement.childForFieldName('declaration');
      if (declaration?.type === 'function_declaration') add(declaration.childForFieldName('name')?.text, declaration, declaration);
      else if (declaration && /^(lexical|variable)_declaration$/.test(declaration.type)) {
        for (const d of declaration.namedChildren) if (d?.type === 'variable_declarator') add(d.childForFieldName('name')?.text, d.childForFieldName('value'), d);
      }
      continue;
    }
    const assignment = statement.type === 'expression_statement' ? statement.namedChildren[0] : null;
    if (assignment?.type !== 'assignment_expression') continue;
    const left = assignment.childForFieldName('left')?.text.replace(/\s+/g, '') ?? '';
    const right = assignment.childForFieldName('right');
    const member = /^(?:module\.)?exports\.(\w+)$/.exec(left);
    if (member) add(member[1], right, assignment);
    else if (left === 'module.exports' && right?.type === 'object') {
      for (const p of right.namedChildren) {
        if (p?.type === 'shorthand_property_identifier') add(p.text, p, p);
        else if (p?.type === 'pair') add(p.childForFieldName('key')?.text, p.childForFieldName('value'), p);
        else if (p?.type === 'method_definition') add(p.childForFieldName('name')?.text, p, p);
      }
    }
  }
  return found;
}

/** The function a value stands for: a function expression, or the name of a same-file function. */
function functionValue(value: Node, model: FileModel): Node | undefined {
  const node = model.dialect.unwrap(value);
  if (model.dialect.functionTypes.has(node.type)) return node;
  if (node.type !== 'identifier' && node.type !== 'shorthand_property_identifier') return undefined;
  const declared = model.methodsNamed(node.text)[0];
  if (declared) return declared;
  const init = model.declaratorOf(node.text, node)?.childForFieldName('value');
  const fn = init && model.dialect.unwrap(init);
  return fn && model.dialect.functionTypes.has(fn.type) ? fn : undefined;
}

/** How `fn` bounds the request it makes, directly or through a same-file helper; undefined when it makes none we see. */
function boundOf(fn: Node, model: FileModel, depth: number): Bound | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const params = parameterSources(fn);
  for (const node of fn.descendantsOfType([...model.dialect.callTypes])) {
    const call = node && model.dialect.call(node);
    if (!node || call?.kind !== 'call' || call.receiver?.type === 'this' || !runsWhenCalled(node, fn, model)) continue;
    const bound = fetchBound(call, params, model) ?? httpBound(call, params, model) ?? helperBound(call, params, model, depth);
    if (bound) return bound === 'bounded' ? bound : (timeoutParameter(fn, params, model) ?? bound);
  }
  return undefined;
}

/**
 * True when a call of `fn` makes the call at `node`: it is in `fn`'s own body or in a promise executor there (`new
 * Promise((resolve) => https.get(...))`); a function `fn` only stores (`options.fetch = (url, init) => fetch(url)`)
 * runs when someone else calls it.
 */
function runsWhenCalled(node: Node, fn: Node, model: FileModel): boolean {
  for (let inner = model.functionOf(node); inner && inner.id !== fn.id; inner = inner.parent ? model.functionOf(inner.parent) : null) {
    const c = model.dialect.context(inner);
    if (c.kind !== 'argument' || c.call.kind !== 'new' || c.call.name !== 'Promise') return false;
  }
  return true;
}

/** `fetch` itself, or a local that holds it (`let fetchImpl = fetch`). */
function isFetch(call: Call, model: FileModel): boolean {
  if (call.receiver) return false;
  if (call.name === 'fetch') {
    const binding = model.jsModules.binding('fetch');
    return binding ? FETCH_MODULES.test(binding.module) : !model.shadowsGlobal('fetch', call.node);
  }
  const init = model.declaratorOf(call.name, call.node)?.childForFieldName('value');
  return init?.text === 'fetch';
}

/**
 * The option a value derives from: a parameter (or a property of one) it mentions. A property read off the parameter
 * names the option (`signal: options?.timeout ? AbortSignal.timeout(options.timeout) : undefined` is bounded by the
 * caller's `{ timeout }`: RecipeSage's fetchURL).
 */
function optionIn(value: Node, params: Map<string, ParamSource>, fallbackKey: string): Bound | undefined {
  const names = value.type === 'identifier' ? [value] : value.descendantsOfType('identifier');
  for (const n of names) {
    const source = n && params.get(n.text);
    if (!source) continue;
    const read = n.parent?.type === 'member_expression' && n.parent.childForFieldName('object')?.equals(n) ? n.parent.childForFieldName('property')?.text : undefined;
    return { index: source.index, key: source.key ?? read ?? fallbackKey };
  }
  return undefined;
}

/** Follows a local options variable to its object literal. */
function objectOf(arg: Node | undefined, model: FileModel): Node | undefined {
  if (!arg) return undefined;
  const node = model.dialect.unwrap(arg);
  if (node.type === 'object') return node;
  if (node.type !== 'identifier') return undefined;
  const init = model.declaratorOf(node.text, node)?.childForFieldName('value');
  const value = init && model.dialect.unwrap(init);
  return value?.type === 'object' ? value : undefined;
}

function fetchBound(call: Call, params: Map<string, ParamSource>, model: FileModel): Bound | undefined {
  if (!isFetch(call, model) || call.args.length === 0) return undefined;
  const arg = call.args[1];
  if (!arg) return 'never';
  const node = model.dialect.unwrap(arg);
  if (node.type === 'identifier' && params.has(node.text)) return optionIn(node, params, 'signal');
  const object = objectOf(arg, model);
  if (!object) return undefined;
  const signal = objectProperty(object, 'signal');
  // `signal: options.signal` is the caller's; `signal: AbortSignal.timeout(opts.timeout || DEFAULT)` always bounds it.
  if (signal) return isCallersValue(signal, model) ? (optionIn(signal, params, 'signal') ?? 'bounded') : 'bounded';
  for (const spread of object.namedChildren) {
    const inner = spread?.type === 'spread_element' ? spread.namedChildren[0] : null;
    if (inner) return optionIn(inner, params, 'signal') ?? 'bounded';
  }
  return 'never';
}

/** `https.get(options, cb)` with the caller's options: only a `signal` in them ends a stalled request. */
function httpBound(call: Call, params: Map<string, ParamSource>, model: FileModel): Bound | undefined {
  const target = model.jsModules.resolve(call);
  if (!target || !/^https?$/.test(target.module) || !/^(request|get)$/.test(target.member)) return undefined;
  const later = laterConfiguration(call.node, model);
  if (later.some((c) => c.name === 'setTimeout' || c.name === 'destroy' || (c.name === 'on' && /timeout/.test(c.args[0]?.text ?? '')))) return 'bounded';
  for (const [k, arg] of call.args.entries()) {
    const node = model.dialect.unwrap(arg);
    // `http.get(url, options, cb)`: a first argument before options is the URL, never the options themselves.
    if (k === 0 && optionsArgument(call.args[1], params, model)) continue;
    if (node.type === 'identifier' && params.get(node.text)?.address) continue;
    if (node.type === 'identifier' && params.has(node.text)) return optionIn(node, params, 'signal');
    const object = objectOf(arg, model);
    if (object && (objectProperty(object, 'timeout') || objectProperty(object, 'signal'))) return 'bounded';
  }
  return undefined;
}

/**
 * A value the caller decides whether there is one: passed through as it is (`signal`, `options?.signal`), or made only
 * when the caller asks (`timeout ? AbortSignal.timeout(timeout) : undefined`).
 */
function isCallersValue(value: Node, model: FileModel): boolean {
  const node = model.dialect.unwrap(value);
  if (/^(identifier|shorthand_property_identifier|member_expression)$/.test(node.type)) return true;
  if (node.type !== 'ternary_expression') return false;
  return ['consequence', 'alternative'].some((field) => /^(undefined|null|void 0)$/.test(node.childForFieldName(field)?.text ?? ''));
}

/** `{ headers }`, a variable holding an object, or a parameter named for options: an options argument, not a callback. */
function optionsArgument(arg: Node | undefined, params: Map<string, ParamSource>, model: FileModel): boolean {
  if (!arg) return false;
  const node = model.dialect.unwrap(arg);
  if (objectOf(node, model)) return true;
  return node.type === 'identifier' && params.has(node.text) && /opt|config|settings|init/i.test(node.text);
}

/**
 * A parameter of its own that bounds the request (`fetchWithTimeout(input, init, timeoutMs)` arms
 * `setTimeout(() => controller.abort(), timeoutMs)`: swetrix's server fetch): callers bound it by passing that
 * argument (the key '' names the argument itself, not an option of it).
 */
function timeoutParameter(fn: Node, params: Map<string, ParamSource>, model: FileModel): Bound | undefined {
  for (const node of fn.descendantsOfType([...model.dialect.callTypes])) {
    const call = node && model.dialect.call(node);
    if (call?.kind !== 'call') continue;
    const delay = call.name === 'setTimeout' && !call.receiver ? call.args[1] : call.name === 'timeout' && call.receiver?.text === 'AbortSignal' ? call.args[0] : undefined;
    const armed = delay ? model.dialect.unwrap(delay) : undefined;
    const source = armed?.type === 'identifier' && /timeout/i.test(armed.text) ? params.get(armed.text) : undefined;
    if (!source || source.key) continue;
    // `timeout: number = 5000` (Portkey's plugin post()): bounded whatever the caller passes.
    return source.defaulted ? 'bounded' : { index: source.index, key: '' };
  }
  return undefined;
}

/** A call to a same-file function that makes the request: its option maps to one of ours, or it never bounds it. */
function helperBound(call: Call, params: Map<string, ParamSource>, model: FileModel, depth: number): Bound | undefined {
  if (call.receiver) return undefined;
  const fn = functionValue(call.node.childForFieldName('function') ?? call.node, model);
  if (!fn) return undefined;
  const inner = boundOf(fn, model, depth + 1);
  if (!inner || typeof inner === 'string') return inner;
  // A positional timeout of the helper's: what this function passes there is not an option we can name.
  if (inner.key === '') return undefined;
  const arg = call.args[inner.index];
  if (!arg) return 'never';
  const node = model.dialect.unwrap(arg);
  const source = node.type === 'identifier' ? params.get(node.text) : undefined;
  if (source && !source.key) return { index: source.index, key: inner.key };
  const object = objectOf(arg, model);
  if (object) return objectProperty(object, inner.key) ? 'bounded' : object.namedChildren.some((c) => c?.type === 'spread_element') ? undefined : 'never';
  return undefined;
}
