// Calls of the workspace's own HTTP wrappers (workspace facts, see facts/client-wrappers.ts): a caller that gets a
// connection, a request builder or a response without a timeout, and does not set one itself, can wait forever.
import { javaPackageOf, type ClientWrapper } from '../facts/client-wrappers';
import { enclosingClass } from '../facts/handler-callees';
import { declaredNamed, type WorkspaceFacts } from '../facts/workspace';
import { laterConfiguration, escapeOf } from '../flow/configuration';
import type { FileModel } from '../model';
import type { Node } from 'web-tree-sitter';
import type { Call } from '../syntax/dialect';
import { objectProperty } from '../syntax/javascript';
import { certain, possible } from './certainty';
import { READS_RESPONSE } from './java-timeouts';
import { disables, type TimeoutProblem } from './timeout-requirements';

function where(w: ClientWrapper): string {
  return `${w.label} (${w.file}:${w.line})`;
}

function problem(call: Call, w: ClientWrapper, message: string, basis: string): TimeoutProblem {
  return {
    node: call.node,
    api: w.label,
    certainty: w.certain ? certain(`project wrapper ${where(w)} ${basis}`) : possible(`project wrapper ${where(w)} ${basis}; its URL's scheme is not visible`),
    message,
  };
}

// ---- Java

/**
 * Whether a Java call is made on the workspace class `owner` (fully qualified): `ProxyConfiguration.open(url)`
 * through the imports or the package, `HTTP_UTILS.requestCall(...)` through the receiver's declared type.
 */
export function javaCallOn(call: Call, model: FileModel): ((owner: string) => boolean) | undefined {
  const own = javaPackageOf(model);
  const qualified = (type: string) => (own ? `${own}.${type}` : type);
  if (!call.receiver || call.receiver.type === 'this') {
    // `open(url)` or `this.open(url)`: a method of the class the call is written in.
    const enclosing = enclosingClass(call.node);
    return enclosing ? (owner) => owner === qualified(enclosing) : undefined;
  }
  const receiver = model.dialect.unwrap(call.receiver);
  const written = /^[A-Z][\w.]*$/.test(receiver.text) && !model.declaratorOf(receiver.text, receiver) ? receiver.text : '';
  const type = written ? model.javaTypes.qualify(written) : model.javaTypes.typeOf(receiver, model.functionOf(call.node));
  if (!type) return undefined;
  return (owner) => owner === type || (!type.includes('.') && owner === qualified(type));
}

/** The wrapper a Java call reaches. */
function javaWrapper(call: Call, model: FileModel, facts: WorkspaceFacts): ClientWrapper | undefined {
  const candidates = declaredNamed(facts.clientWrappers, call.name).filter((w) => w.language === 'java');
  const on = candidates.length > 0 ? javaCallOn(call, model) : undefined;
  return on && candidates.find((w) => on(w.owner));
}

function javaWrapperCall(call: Call, model: FileModel, facts: WorkspaceFacts): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const w = javaWrapper(call, model, facts);
  if (!w) return undefined;
  if (w.returns === 'response') {
    return problem(call, w, `${where(w)} ${w.gap} and waits for the response inside it: a server that stops answering blocks this thread forever. Fix: set connect and read timeouts in ${w.label}`, 'reads a response with no timeout');
  }
  const later = laterConfiguration(call.node, model);
  if (w.returns === 'connection') {
    if (later.some((c) => c.name === 'setReadTimeout' && !disables(c.args[0], model))) return undefined;
    // Returned or handed on, the connection may get its read timeout where it is used.
    if (escapeOf(call.node, model) || !later.some((c) => READS_RESPONSE.test(c.name))) return undefined;
    return problem(
      call,
      w,
      `${where(w)} ${w.gap}: this response is read with the default of 0, wait forever, so a stalled server blocks this thread. Fix: conn.setReadTimeout(10_000) before reading (or set it in ${w.label})`,
      'returns a URLConnection without a read timeout',
    );
  }
  if (later.some((c) => c.name === 'timeout' && !disables(c.args[0], model))) return undefined;
  if (!later.some((c) => c.name === 'build')) return undefined;
  return problem(
    call,
    w,
    `${where(w)} ${w.gap}, and this request is built without one: send() waits for the response headers forever when the server stalls. Fix: ${w.label}(...).timeout(Duration.ofSeconds(10))`,
    'returns an HttpRequest.Builder without timeout(...)',
  );
}

// ---- JS/TS

/** `../request` from `src/activitypub/index.js` → `src/request`. */
function moduleFile(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.replace(/\.[cm]?[jt]sx?$/, '').split('/')) {
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

function optionGiven(arg: Node | undefined, key: string, model: FileModel): boolean {
  if (!arg) return false;
  const node = model.dialect.unwrap(arg);
  // A positional timeout (key ''): given unless it is spelled as none.
  if (key === '') return !/^(undefined|null|0|false)$/.test(node.text);
  let object = node.type === 'object' ? node : undefined;
  if (node.type === 'identifier') {
    const init = model.declaratorOf(node.text, node)?.childForFieldName('value');
    const value = init && model.dialect.unwrap(init);
    // A parameter or a value we cannot see into may carry it.
    if (value?.type !== 'object') return true;
    object = value;
  }
  if (!object) return !/^(string|template_string|binary_expression|null|undefined)$/.test(node.type);
  const value = objectProperty(object, key);
  if (value) return !/^(undefined|null|0|false)$/.test(model.dialect.unwrap(value).text);
  return object.namedChildren.some((c) => c?.type === 'spread_element');
}

/** The workspace module and export a JS call reaches through a relative import: `request.get(url)` of `../request`. */
export function jsCallOn(call: Call, model: FileModel): { readonly module: (owner: string) => boolean; readonly member: string } | undefined {
  const target = model.jsModules.resolve(call);
  const file = target && !target.guessed ? moduleFile(model.file.path, target.module) : undefined;
  if (!file || !target) return undefined;
  return { module: (owner) => owner === file || owner === `${file}/index`, member: target.member };
}

function jsWrapperCall(call: Call, model: FileModel, facts: WorkspaceFacts): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const candidates = declaredNamed(facts.clientWrappers, call.name).filter((w) => w.language === 'js');
  if (candidates.length === 0) return undefined;
  const target = jsCallOn(call, model);
  const w = target ? candidates.find((c) => !c.local && c.name === target.member && target.module(c.owner)) : candidates.find((c) => calledInItsModule(c, call, model));
  if (!w?.option || optionGiven(call.args[w.option.index], w.option.key, model)) return undefined;
  return problem(
    call,
    w,
    `${where(w)} ${w.gap}, and this call passes none: a server that stops answering holds this request (and whatever awaits it) forever. Fix: ${w.option.key === '' ? `pass a timeout (argument ${w.option.index + 1})` : `pass { ${w.option.key}: ${w.option.key === 'signal' ? 'AbortSignal.timeout(10_000)' : '10_000'} }`} (or give ${w.label} a default)`,
    w.option.key === '' ? `bounds its request only through a timeout argument` : `bounds its request only through the { ${w.option.key} } option`,
  );
}

/** `this.fetchWithAuth(url, init)` in the wrapper's class, `fetchJson(url)` in its module (not an import of that name). */
function calledInItsModule(w: ClientWrapper, call: Call, model: FileModel): boolean {
  if (!w.local || w.file !== model.file.path) return false;
  if (w.local.kind === 'function') return !call.receiver && !model.jsModules.binding(call.name);
  return call.receiver?.type === 'this' && enclosingClass(call.node) === w.local.className;
}

/** The timeout problem of a call of a project wrapper, judged through its workspace summary. */
export function wrapperCall(call: Call, model: FileModel, facts: WorkspaceFacts): TimeoutProblem | undefined {
  return model.isJava ? javaWrapperCall(call, model, facts) : jsWrapperCall(call, model, facts);
}
