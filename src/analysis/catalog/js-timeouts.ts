// JavaScript/TypeScript clients that wait forever by default and how each gets a timeout: fetch, http.request,
// net.Socket, axios, got, superagent, request, undici.
import type { Node } from 'web-tree-sitter';
import { timeoutDefaultsOf } from '../facts/source-facts';
import { projectOf, type TimeoutDefault, type WorkspaceFacts } from '../facts/workspace';
import { givenValues, handedElsewhere, initializerOf, laterConfiguration, type Configuration } from '../flow/configuration';
import type { FileModel } from '../model';
import { callsOwnCode, type Call } from '../syntax/dialect';
import { awaitsItself, objectProperty } from '../syntax/javascript';
import { possible } from './certainty';
import { destroysOnTimeout, FETCH_MODULES, isIpcConnection, jsCertainty, overUnixSocket } from './js-acquisitions';
import { disables, type TimeoutCheck, type TimeoutProblem } from './timeout-requirements';

/**
 * The object literal an options argument stands for (inline, or a variable initialised with one); 'unknown' for
 * a value we cannot see into (a parameter, a call), undefined for something that is not options at all.
 */
function optionsObject(arg: Node | undefined, model: FileModel): Node | undefined | 'unknown' {
  if (!arg) return undefined;
  const node = model.dialect.unwrap(arg);
  if (node.type === 'object') return node;
  // `auth ? { headers } : undefined`: the one object a condition may choose, judged as written; a branch we cannot
  // see into (`headers ? { ...init, headers } : init`), or two objects, may hold anything.
  if (node.type === 'ternary_expression') {
    const branches = ['consequence', 'alternative'].map((field) => optionsObject(node.childForFieldName(field) ?? undefined, model));
    const objects = branches.filter((b) => b !== undefined);
    if (objects.length === 0) return undefined;
    const [only] = objects;
    return objects.length === 1 && only !== 'unknown' && !only.namedChildren.some((c) => c?.type === 'spread_element') ? only : 'unknown';
  }
  if (node.type === 'identifier') {
    const init = initializerOf(node.text, node, model);
    const value = init && model.dialect.unwrap(init);
    if (value?.type === 'object') return value;
    if (value && (value.type === 'string' || value.type === 'template_string' || model.dialect.functionTypes.has(value.type))) return undefined;
    // A callback handed over by name (`http.get(url, onResponse)`) carries no options.
    return !value && model.methodsNamed(node.text).length > 0 ? undefined : 'unknown';
  }
  return node.type === 'member_expression' || node.type === 'call_expression' || node.type === 'spread_element' ? 'unknown' : undefined;
}

/** True when an object literal has the key, or a spread that might carry it. */
function hasKey(object: Node, key: string): boolean {
  return !!objectProperty(object, key) || object.namedChildren.some((c) => c?.type === 'spread_element');
}

function isUndefinedOrEmpty(value: Node | undefined, model: FileModel): boolean {
  if (!value) return false;
  const text = model.dialect.unwrap(value).text.replace(/\s+/g, '');
  return text === 'undefined' || text === '{}' || text === 'false' || text === '0';
}

function fetchCall(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call' || call.name !== 'fetch' || bundledAsset(call.args[0], model) || pageRelative(call.args[0], model)) return undefined;
  const target = model.jsModules.resolve(call);
  if (call.receiver && !target) return undefined;
  if (target && !FETCH_MODULES.test(target.module)) return undefined;
  if (!target && model.shadowsGlobal('fetch', call.node)) return undefined;
  // `fetch(...args)` in a fetch-shaped wrapper hands on its caller's init, signal and all (openid-client's customFetch).
  if (call.args.length === 0 || call.args.some((a) => a.type === 'spread_element')) return undefined;
  const options = optionsObject(call.args[1], model);
  if (options === 'unknown') return undefined;
  // `dispatcher: new Agent({ headersTimeout, bodyTimeout })`: an undici dispatcher of the project's own bounds it.
  if (options && (hasKey(options, 'signal') || hasKey(options, 'timeout') || objectProperty(options, 'dispatcher'))) return undefined;
  if (requestWithSignal(call.args[0], model) || callerChoosesNoTimeout(call, model)) return undefined;
  const undici = !target || target.module === 'undici';
  // Nothing waits on a request left to run in the background (asl-workflow's notification and search-index hooks):
  // a stalled server holds that request's socket, no caller (undici's 300 s timeouts free even the socket).
  const certainty = notAwaited(call.node, model)
    ? possible(undici ? "nothing awaits it, and undici's 300 s header and body timeouts free its socket" : 'nothing awaits it: a stalled server holds its socket, no caller')
    : relaysEventStream(call, model)
      ? possible("it relays server-sent events to the client (new Response(res.body)): a timeout would cut the stream, and the client's going away cancels it")
      : jsCertainty(target, 'fetch');
  return {
    node: call.node,
    api: 'fetch',
    certainty,
    message:
      // Node's own fetch (undici) gives up on headers or body after 300 s of silence; node-fetch never does.
      `fetch(...) has no signal: nothing aborts it, so a server that stops answering holds this request (and whatever awaits it) ${
        undici ? "until undici's 300 s header and body timeouts fire (in Node; a browser waits as long as the connection lives)" : 'for as long as the connection lives'
      }. Fix: fetch(url, { signal: AbortSignal.timeout(10_000) })`,
  };
}

/**
 * `const res = await fetch(upstream); return new Response(res.body, { headers: { 'Content-Type': 'text/event-stream' } })`:
 * a route that relays server-sent events (Maintainerr's event and log streams), meant to stay open as long as its
 * client listens. A proxy of a download is not one: a stalled upstream holds its client (payload, midday, NextChat).
 */
function relaysEventStream(call: Call, model: FileModel): boolean {
  const c = model.dialect.context(call.node);
  if (c.kind !== 'bind') return false;
  const fn = model.functionOf(call.node);
  if (!fn || !fn.text.includes('text/event-stream')) return false;
  return new RegExp(`new\\s+Response\\(\\s*${c.name.replace(/\$/g, '\\$')}\\.body\\b`).test(fn.text);
}

/** Names a wrapper's caller chooses its timeout by: a timeout or signal, or the options that may hold one. */
const CALLERS_TIMEOUT = /timeout|signal|^(options|opts|init|config)$/i;

/**
 * `if (!options) return fetch(url)` in a wrapper that gives its other fetch a signal (browserless' fetchTimeout aborts
 * after the caller's `timeout`): the branch without one is taken by the caller's choice, through a parameter or a
 * timeout option. The wrapper's callers are where a timeout is missing or not.
 */
function callerChoosesNoTimeout(call: Call, model: FileModel): boolean {
  const fn = model.functionOf(call.node);
  if (!fn || model.dialect.parameterNames(fn).length === 0) return false;
  let branch: Node | null = null;
  for (let n = call.node.parent; n && !n.equals(fn) && !branch; n = n.parent) if (n.type === 'if_statement') branch = n;
  const condition = branch?.childForFieldName('condition');
  if (!condition?.descendantsOfType('identifier').some((id) => !!id && CALLERS_TIMEOUT.test(id.text))) return false;
  return fn.descendantsOfType('call_expression').some((node) => {
    const other = node && !node.equals(call.node) ? model.dialect.call(node) : null;
    if (other?.name !== 'fetch') return false;
    const options = optionsObject(other.args[1], model);
    return !!options && options !== 'unknown' && hasKey(options, 'signal');
  });
}

/** The timers that drop what their callback returns. */
const TIMERS = /^(setInterval|setTimeout|setImmediate)$/;

/**
 * `flush() { return fetch(url).then(...) }` whose every call in the file drops what it returns, as a statement or as
 * the body of a timer's callback (`setInterval(() => this.flush(), 10_000)`): nothing waits on the request either
 * (moleculer's metrics reporters).
 */
function returnedToDroppers(node: Node, model: FileModel): boolean {
  if (model.dialect.context(node).kind !== 'return') return false;
  const fn = model.functionOf(node);
  const name = fn?.type === 'method_definition' || fn?.type === 'function_declaration' ? fn.childForFieldName('name')?.text : undefined;
  if (!name) return false;
  const sites = model.callsNamed(name).filter(({ call }) => callsOwnCode(call));
  return sites.length > 0 && sites.every(({ node: site }) => {
    const c = model.dialect.context(site);
    // `await this.flush();` is a statement that waits.
    if (c.kind === 'discard') return site.parent?.type !== 'await_expression';
    const callback = c.kind === 'return' ? model.functionOf(site) : null;
    const timer = callback && model.dialect.context(callback);
    return timer?.kind === 'argument' && !timer.call.receiver && TIMERS.test(timer.call.name);
  });
}

/**
 * `fetch(url).then(...)` as a statement of its own, or `void fetch(url)`: a background request nothing waits on (a
 * version check, a cache purge). The request's promise chain is followed to where it goes; a chain whose handlers
 * call back the enclosing function's caller (`done(res.ok)`, `resolve(...)`) has someone waiting.
 */
function notAwaited(call: Node, model: FileModel): boolean {
  const { top: node, handlers } = promiseChain(call, /^parenthesized_expression$/);
  const parent = node.parent;
  // `await fetch(...);` as a statement waits for it, though its value is thrown away.
  if (parent?.type === 'await_expression' || awaitsItself(node)) return false;
  const discarded = (parent?.type === 'unary_expression' && parent.childForFieldName('operator')?.text === 'void') || model.dialect.context(node).kind === 'discard';
  if (!discarded && !returnedToDroppers(node, model)) return false;
  const callers = new Set<string>();
  for (let fn = model.functionOf(call); fn; fn = fn.parent ? model.functionOf(fn.parent) : null) for (const p of model.dialect.parameterNames(fn)) callers.add(p);
  // Calling one back (`done(res.ok)`, `.then(resolve)`) makes the caller wait; handing one to other work
  // (`updateCache(version, stream, config)`) does not.
  const callsBack = (h: Node) => (h.type === 'identifier' && callers.has(h.text)) || h.descendantsOfType('call_expression').some((c) => !!c && callers.has(c.childForFieldName('function')?.text ?? ''));
  return !handlers.some(callsBack);
}

/**
 * The outermost expression of the promise chain a request starts (`fetch(url).then(...).catch(...)`), through the
 * wrappers `through` names, and the arguments of its `then`/`catch`/`finally` calls.
 */
function promiseChain(call: Node, through: RegExp): { top: Node; handlers: Node[] } {
  const handlers: Node[] = [];
  let node = call;
  for (let parent = node.parent; parent; node = parent, parent = node.parent) {
    if (through.test(parent.type)) continue;
    const chained = parent.type === 'member_expression' && parent.childForFieldName('object')?.equals(node) && /^(then|catch|finally)$/.test(parent.childForFieldName('property')?.text ?? '');
    if (!chained || parent.parent?.type !== 'call_expression') break;
    parent = parent.parent;
    handlers.push(...(parent.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a));
  }
  return { top: node, handlers };
}

/**
 * `fetch(new URL('../fonts/Inter.ttf', import.meta.url))` (or `'@/public/Inter.ttf'`, through the project's path
 * alias): a file of the module's own package, which the bundler ships with it (Next.js edge routes load fonts so);
 * no remote server answers it.
 */
function bundledAsset(arg: Node | undefined, model: FileModel): boolean {
  const url = arg ? model.dialect.call(model.dialect.unwrap(arg)) : null;
  if (url?.kind !== 'new' || url.name !== 'URL' || url.args.length !== 2) return false;
  const path = model.dialect.stringLiteral(url.args[0]);
  return path !== undefined && /^(\.\.?|[@~])\//.test(path) && url.args[1].text.replace(/\s+/g, '') === 'import.meta.url';
}

/**
 * `fetch('/configs')`, `fetch(`./api/${id}`)`, `fetch('//cdn.example/x')`: a URL relative to the page. Node's fetch
 * (and node-fetch) rejects it, so the call runs in a browser, whatever the file imports (gravitino's OAuth provider
 * factory imports `http` too).
 */
function pageRelative(arg: Node | undefined, model: FileModel): boolean {
  if (!arg) return false;
  const node = model.dialect.unwrap(arg);
  const start = node.type === 'template_string' ? node.text.slice(1) : model.dialect.stringLiteral(node);
  return start !== undefined && /^\.{0,2}\//.test(start);
}

/** `fetch(request)` where `request = new Request(url, { signal })`: the Request carries the signal. */
function requestWithSignal(arg: Node | undefined, model: FileModel): boolean {
  if (!arg) return false;
  const node = model.dialect.unwrap(arg);
  // `let request; ... request = new Request(url, { signal })`: the initializer or any assignment in the function.
  const values = node.type === 'identifier' ? assignedValues(node.text, node, model) : [node];
  return values.some((value) => {
    const request = model.dialect.call(model.dialect.unwrap(value));
    if (request?.kind !== 'new' || request.name !== 'Request') return false;
    const options = optionsObject(request.args[1], model);
    return options === 'unknown' || (!!options && hasKey(options, 'signal'));
  });
}

/** The values a variable visible from `at` is given: its initializer and the assignments to it in the function. */
function assignedValues(name: string, at: Node, model: FileModel): Node[] {
  const values: Node[] = [];
  const init = initializerOf(name, at, model);
  if (init) values.push(init);
  for (const ref of model.references(model.functionOf(at) ?? model.root, name)) {
    const parent = ref.parent;
    const right = parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.equals(ref) ? parent.childForFieldName('right') : null;
    if (right) values.push(right);
  }
  return values;
}

function nodeHttp(call: Call, model: FileModel): TimeoutProblem | undefined {
  // `new https.request(...)` makes the same request (a function called with new returns the object it returns:
  // nightwatch's analytics).
  const target = model.jsModules.resolve(call);
  if (!target || !/^https?$/.test(target.module) || !/^(request|get)$/.test(target.member)) return undefined;
  if (overUnixSocket(call, model)) return undefined;
  const api = `${target.module}.${target.member}`;
  const objects = call.args.map((a) => optionsObject(a, model)).filter((o): o is Node => !!o && o !== 'unknown');
  if (objects.some((o) => hasKey(o, 'signal'))) return undefined;
  const later = laterConfiguration(call.node, model);
  const timeoutOption = objects.some((o) => objectProperty(o, 'timeout') && !isUndefinedOrEmpty(objectProperty(o, 'timeout'), model));
  const timeoutSet = timeoutOption || later.some((c) => c.name === 'setTimeout' && !disables(c.args[0], model));
  if (!timeoutSet) {
    if (call.args.some((a) => optionsObject(a, model) === 'unknown' && !/^['"`]/.test(a.text) && !/url/i.test(a.text))) return undefined;
    return {
      node: call.node,
      api,
      certainty: jsCertainty(target, target.member),
      message:
        `${api}(...) has no timeout: a server that stops answering keeps the request (and its socket) open forever. ` +
        "Fix: pass { timeout: 10_000 } and destroy the request on 'timeout': req.on('timeout', () => req.destroy(new Error('timeout')))",
    };
  }
  if (destroysOnTimeout(later, model)) return undefined;
  return {
    node: call.node,
    api,
    certainty: jsCertainty(target, target.member),
    message:
      `${api}(...) sets a timeout but nothing destroys the request when it fires: the 'timeout' event only notifies, the socket stays open. ` +
      "Fix: req.on('timeout', () => req.destroy(new Error('timeout')))",
  };
}

function netSocket(call: Call, model: FileModel): TimeoutProblem | undefined {
  const target = model.jsModules.resolve(call);
  if (target?.module !== 'net' && target?.module !== 'tls') return undefined;
  const creates = call.kind === 'new' ? target.member === 'Socket' || target.member === 'TLSSocket' : /^(connect|createConnection)$/.test(target.member);
  if (!creates || isIpcConnection(call, model)) return undefined;
  const objects = call.args.map((a) => optionsObject(a, model)).filter((o): o is Node => !!o && o !== 'unknown');
  if (objects.some((o) => objectProperty(o, 'timeout') && !isUndefinedOrEmpty(objectProperty(o, 'timeout'), model))) return undefined;
  const later = laterConfiguration(call.node, model);
  if (later.some((c) => c.name === 'setTimeout' && !disables(c.args[0], model))) return undefined;
  const uses = withCallsOnItsName(call, later, model);
  if (handedElsewhere(call.node, model) || writeOnly(uses) || connectOnly(uses) || destroyedWithAnother(later, model) || destroyedByTimer(call, model)) return undefined;
  const api = call.kind === 'new' ? `new ${target.module}.${target.member}()` : `${target.module}.${target.member}(...)`;
  return {
    node: call.node,
    api: `${target.module}.Socket`,
    certainty: jsCertainty(target, target.member),
    message:
      `${api} has no timeout: an idle or stalled peer keeps this socket open forever. ` +
      "Fix: socket.setTimeout(10_000, () => socket.destroy(new Error('idle timeout')))",
  };
}

/**
 * `const timer = setTimeout(() => { socket.destroy(); reject(...) }, ms)` beside the socket: a deadline on the whole
 * exchange that destroys it (kener's DNS-over-TLS query), stricter than an idle timeout.
 */
function destroyedByTimer(call: Call, model: FileModel): boolean {
  const bound = model.dialect.context(call.node);
  if (bound.kind !== 'bind') return false;
  const destroys = new RegExp(`(^|[^\\w$])${bound.name.replace(/\$/g, '\\$')}\\s*\\.\\s*(destroy|end)\\s*\\(`);
  const scope = model.functionOf(call.node) ?? model.root;
  return scope.descendantsOfType('call_expression').some((node) => {
    const timer = node ? model.dialect.call(node) : null;
    if (timer?.name !== 'setTimeout' || timer.receiver || timer.args.length < 2) return false;
    const callback = model.dialect.unwrap(timer.args[0]);
    return model.dialect.functionTypes.has(callback.type) && destroys.test(callback.text);
  });
}

/**
 * A socket the code only writes to (a log pipe to the process's own console server): nothing waits for the peer to
 * answer, and Node still reads the peer's FIN and closes its side, so it never sits in CLOSE_WAIT.
 */
function writeOnly(later: readonly Configuration[]): boolean {
  return !reads(later) && later.some((c) => c.name === 'write');
}

/**
 * A connect probe: the socket is ended or destroyed, and never read or written (`.on('connect', () => { conn.end();
 * resolve(true); })`: browsertrix waits so for its SSH proxy's port). Only the connect waits, which the operating
 * system bounds, as for Java's port probes.
 */
function connectOnly(later: readonly Configuration[]): boolean {
  // `end('PING')` writes before it ends: a request, whose answer may be awaited.
  const writes = later.some((c) => c.name === 'write' || (c.name === 'end' && c.args.length > 0));
  return !reads(later) && !writes && later.some((c) => /^(end|destroy)$/.test(c.name));
}

/**
 * The calls made on the variable that holds the socket, wherever they are in its function: in listeners chained on
 * the call (`const conn = net.connect(port).on('connect', () => conn.end())`) or in the callback the call is given
 * (`const socket = connect(port, host, () => { socket.write(data); socket.end(); })`, sitespeed.io's Graphite sender),
 * as well as those after it.
 */
function withCallsOnItsName(call: Call, later: readonly Configuration[], model: FileModel): readonly Configuration[] {
  let end = call.node;
  for (let c = model.dialect.context(end); c.kind === 'receiver'; c = model.dialect.context(end)) end = c.call.node;
  const bound = model.dialect.context(end);
  if (bound.kind !== 'bind') return later;
  const calls: Configuration[] = [];
  for (const ref of model.references(model.functionOf(call.node) ?? model.root, bound.name)) {
    const c = model.dialect.context(ref);
    if (c.kind === 'receiver' && !later.some((l) => l.node.equals(c.call.node))) calls.push({ name: c.call.name, args: c.call.args, node: c.call.node });
  }
  return [...later, ...calls];
}

function reads(later: readonly Configuration[]): boolean {
  return later.some(
    (c) => /^(pipe|read|setEncoding|resume|\[Symbol\.asyncIterator\])$/.test(c.name) || (/^(on|once|addListener|prependListener)$/.test(c.name) && /^['"`](data|readable|end)['"`]$/.test(c.args[0]?.text ?? '')),
  );
}

/**
 * `connection.on('close', () => socket.destroy())`: a tunnel whose socket lives as long as another connection (a
 * WebSocket with its own ping timeout), which ends it; that connection is where a timeout belongs.
 */
function destroyedWithAnother(later: readonly Configuration[], model: FileModel): boolean {
  return later.some((c) => {
    if (!/^(destroy|end)$/.test(c.name)) return false;
    const socket = model.dialect.call(c.node)?.receiver?.text;
    const listener = model.functionOf(c.node);
    const context = listener ? model.dialect.context(listener) : undefined;
    if (context?.kind !== 'argument' || !/^(on|once)$/.test(context.call.name)) return false;
    const emitter = context.call.receiver?.text;
    return !!emitter && emitter !== socket && /^['"`](close|end|disconnect)['"`]$/.test(context.call.args[0]?.text ?? '');
  });
}

const AXIOS_CONFIG_INDEX: Record<string, number> = { get: 1, delete: 1, head: 1, options: 1, request: 0, post: 2, put: 2, patch: 2 };

/** `axios.defaults.timeout = ...` anywhere in this project's production code (a workspace fact) bounds every call. */
function axiosDefaultTimeout(model: FileModel, facts: WorkspaceFacts): TimeoutDefault | undefined {
  const project = projectOf(facts, model.file.path);
  return facts.timeoutDefaults.find((d) => d.library === 'axios' && d.project === project);
}

/**
 * `httpAgent: new AgentKeepAlive({ ... })`: agentkeepalive (4.x) destroys an active socket silent for `timeout` ms
 * (by default twice the free-socket timeout, at least 8 s) when the request sets no timeout of its own. A plain
 * `http.Agent`'s `timeout` only emits an event, which axios does not act on.
 */
function keepAliveAgentBounds(options: Node, model: FileModel): boolean {
  return ['httpAgent', 'httpsAgent'].some((key) => {
    const value = objectProperty(options, key);
    const created = value ? model.dialect.call(agentMadeAt(model.dialect.unwrap(value), model)) : undefined;
    if (created?.kind !== 'new' || model.jsModules.resolve(created)?.module !== 'agentkeepalive') return false;
    const agentOptions = optionsObject(created.args[0], model);
    const timeout = agentOptions && agentOptions !== 'unknown' ? objectProperty(agentOptions, 'timeout') : undefined;
    return !timeout || !disables(timeout, model);
  });
}

/**
 * Where an agent given by name was made: `agent` from its declaration, `Sender.AGENTS.http` from the `http:`
 * property of the `AGENTS` object the file declares (waha's webhook sender keeps its agents so), else `value` itself.
 */
function agentMadeAt(value: Node, model: FileModel): Node {
  if (value.type === 'identifier') return initializerOf(value.text, value, model) ?? value;
  const member = /^(?:[\w$]+\.)*([\w$]+)\.([\w$]+)$/.exec(value.text);
  if (value.type !== 'member_expression' || !member) return value;
  const [, holder, property] = member;
  for (const pair of model.root.descendantsOfType('pair')) {
    if (!pair || pair.childForFieldName('key')?.text !== property) continue;
    const object = pair.parent;
    const declared = object?.parent;
    const name = declared?.childForFieldName('name')?.text ?? declared?.childForFieldName('property')?.text;
    const made = pair.childForFieldName('value');
    if (object?.type === 'object' && name === holder && made) return model.dialect.unwrap(made);
  }
  return value;
}

/**
 * An axios config that bounds its requests: a timeout that is set (and not undefined or empty), a signal, a keep-alive
 * agent; or one that needs no bound (a Unix socket).
 */
function axiosConfigBounds(options: Node | undefined, model: FileModel): boolean {
  // `socketPath: '/var/run/docker.sock'`: a local daemon over a Unix socket, no network peer to stall (as for
  // node:http, see overUnixSocket; flame's Docker client).
  if (options && objectProperty(options, 'socketPath')) return true;
  const timeout = options ? objectProperty(options, 'timeout') : undefined;
  if (timeout ? !isUndefinedOrEmpty(timeout, model) : options && hasKey(options, 'timeout')) return true;
  // `signal: options?.signal`: an AbortSignal (axios 0.22+) ends the request, here the caller's to set.
  const signal = options ? objectProperty(options, 'signal') : undefined;
  if (signal && !isUndefinedOrEmpty(signal, model)) return true;
  return !!options && keepAliveAgentBounds(options, model);
}

/** A request config that bounds the request; a variable only when each value it is given does (`let config; if ... config = { timeout }`). */
function boundingConfig(arg: Node | undefined, model: FileModel): boolean {
  const options = optionsObject(arg, model);
  if (options !== 'unknown') return axiosConfigBounds(options, model);
  const node = arg && model.dialect.unwrap(arg);
  if (node?.type !== 'identifier') return false;
  const values = givenValues(node.text, node, model).map((v) => model.dialect.unwrap(v));
  return values.length > 0 && values.every((v) => v.type === 'object' && axiosConfigBounds(v, model));
}

/**
 * An axios instance made without a timeout whose every request passes a config that bounds it (mempool's
 * FailoverRouter: `pollConnection = axios.create()`, each poll given `{ timeout: FALLBACK_TIMEOUT }`). Only an
 * instance this file alone uses, a local or a class field, and only for requests, interceptors and defaults: handed
 * on, returned or exported, its other callers are out of sight.
 */
function everyRequestBounded(call: Call, model: FileModel): boolean {
  const bound = model.dialect.context(call.node);
  let uses: Node[];
  if (bound.kind === 'bind' && bound.binding === 'field') {
    const field = bound.name;
    if (!model.file.text.includes(`this.${field}`)) return false;
    const members = model.root.descendantsOfType('member_expression').filter((m): m is Node => !!m && m.childForFieldName('property')?.text === field);
    // `other.pollConnection`: reached from outside the class.
    if (members.some((m) => m.childForFieldName('object')?.type !== 'this')) return false;
    uses = members;
  } else if (bound.kind === 'bind' && bound.binding === 'local' && !bound.isAssignment) {
    uses = model.references(model.functionOf(call.node) ?? model.root, bound.name);
  } else {
    return false;
  }
  let requests = 0;
  for (const use of uses) {
    const context = model.dialect.context(use);
    if (context.kind === 'member' && (context.property === 'interceptors' || context.property === 'defaults')) continue;
    if (context.kind !== 'receiver') return false;
    const index = AXIOS_CONFIG_INDEX[context.call.name];
    if (index === undefined || !boundingConfig(context.call.args[index], model)) return false;
    requests++;
  }
  return requests > 0;
}

function axiosCall(call: Call, model: FileModel, facts: WorkspaceFacts): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const target = model.jsModules.resolve(call);
  if (target?.module !== 'axios') return undefined;
  const fix = 'Fix: axios.create({ timeout: 10_000 }) (or a timeout in the request config)';
  if (target.member === 'create') {
    const options = optionsObject(call.args[0], model);
    if (options === 'unknown') return undefined;
    if (axiosConfigBounds(options, model)) return undefined;
    const timeout = options ? objectProperty(options, 'timeout') : undefined;
    const later = laterConfiguration(call.node, model);
    if (later.some((c) => c.path === 'defaults.timeout' && c.assigned && !disables(c.assigned, model))) return undefined;
    if (!timeout && everyRequestBounded(call, model)) return undefined;
    return {
      node: call.node,
      api: 'axios',
      certainty: jsCertainty(target, target.member),
      message: `axios.create() ${timeout ? 'disables the timeout' : 'without a timeout'}: axios waits forever by default (timeout 0), so a stalled server hangs every call of this instance. ${fix}`,
    };
  }
  const index = target.member === 'default' ? (call.args.length > 1 ? 1 : 0) : AXIOS_CONFIG_INDEX[target.member];
  if (index === undefined) return undefined;
  if (axiosDefaultTimeout(model, facts) || timeoutDefaultsOf(model.file.path, model.file.text).some((d) => d.library === 'axios')) return undefined;
  const options = optionsObject(call.args[index], model);
  if (options === 'unknown') return undefined;
  if (axiosConfigBounds(options, model)) return undefined;
  const api = target.member === 'default' ? 'axios(...)' : `axios.${target.member}(...)`;
  return {
    node: call.node,
    api: 'axios',
    certainty: jsCertainty(target, target.member),
    message: `${api} without a timeout: axios waits forever by default (timeout 0), so a stalled server hangs this call. Fix: pass { timeout: 10_000 } in the request config, or set axios.defaults.timeout`,
  };
}

const GOT_METHODS = /^(default|get|post|put|patch|delete|head|stream|extend|paginate)$/;

function gotCall(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const target = model.jsModules.resolve(call);
  if (target?.module !== 'got' || !GOT_METHODS.test(target.member)) return undefined;
  // got(url) with only a URL is unbounded; an options value we cannot see into might not be. got also takes its
  // options alone (`got(alignOptions(options))`, node-crawler's): a first value we cannot see into is judged only
  // when it names a URL.
  const objects = call.args.map((a) => optionsObject(a, model));
  if (objects.slice(1).includes('unknown') || (target.member === 'extend' && objects[0] === 'unknown')) return undefined;
  if (objects[0] === 'unknown' && call.args.length === 1 && !namesUrl(call.args[0], model)) return undefined;
  const options = objects.find((o): o is Node => !!o && o !== 'unknown');
  const timeout = options && objectProperty(options, 'timeout');
  if (timeout && !isUndefinedOrEmpty(timeout, model)) return undefined;
  if (options && !timeout && hasKey(options, 'timeout')) return undefined;
  const api = target.member === 'default' ? 'got(...)' : `got.${target.member}(...)`;
  return {
    node: call.node,
    api: 'got',
    certainty: jsCertainty(target, target.member),
    message: `${api} ${timeout ? 'disables its timeout' : 'has no timeout'}: got sets none by default, so a stalled server hangs this request forever. Fix: { timeout: { request: 10_000 } }`,
  };
}

/** A value named as a URL: `url`, `this.feedUrl`, `buildUrl(...)`, `endpoint`, `link.href`. */
const URL_NAME = /(ur[il]|href|link|endpoint|address|host|path)$/i;

function namesUrl(arg: Node, model: FileModel): boolean {
  const node = model.dialect.unwrap(arg);
  const named = node.type === 'call_expression' ? node.childForFieldName('function') : node;
  const name = named?.type === 'member_expression' ? named.childForFieldName('property')?.text : named?.text;
  return name !== undefined && URL_NAME.test(name);
}

const SUPERAGENT_METHODS = /^(get|post|put|patch|del|delete|head|options|default)$/;

function superagentCall(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const target = model.jsModules.resolve(call);
  if (target?.module !== 'superagent' || !SUPERAGENT_METHODS.test(target.member)) return undefined;
  const later = laterConfiguration(call.node, model);
  if (later.some((c) => c.name === 'timeout' && !disables(c.args[0], model))) return undefined;
  return {
    node: call.node,
    api: 'superagent',
    certainty: jsCertainty(target, target.member),
    message: `superagent request without .timeout(...): it waits forever by default, so a stalled server hangs this call. Fix: .timeout({ response: 5_000, deadline: 30_000 })`,
  };
}

/** The deprecated but still common `request` package and its promise wrappers: one API, no timeout by default. */
const REQUEST_MODULES = /^request(-promise(-native)?)?$/;
const REQUEST_METHODS = /^(default|get|post|put|patch|del|delete|head)$/;

function requestLibraryCall(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const target = model.jsModules.resolve(call);
  if (!target || !REQUEST_MODULES.test(target.module) || !REQUEST_METHODS.test(target.member)) return undefined;
  // request(url), request(url, options, cb), request(options, cb): options we cannot see into may carry a timeout.
  const objects = call.args.map((a) => optionsObject(a, model));
  const first = call.args[0] ? model.dialect.unwrap(call.args[0]) : undefined;
  // A URL first (a literal, or a variable named for one) leaves the options to the second argument.
  const urlFirst = !!first && (/^(string|template_string|binary_expression)$/.test(first.type) || (first.type === 'identifier' && /(url|uri|href|endpoint)$/i.test(first.text)));
  if (objects.slice(urlFirst ? 1 : 0).includes('unknown')) return undefined;
  const options = objects.filter((o): o is Node => !!o && o !== 'unknown' && o.type === 'object');
  const timeout = options.map((o) => objectProperty(o, 'timeout')).find((t) => t !== undefined);
  if (timeout && !isUndefinedOrEmpty(timeout, model) && !disables(timeout, model)) return undefined;
  if (!timeout && options.some((o) => hasKey(o, 'timeout'))) return undefined;
  const api = target.member === 'default' ? `${target.module}(...)` : `${target.module}.${target.member}(...)`;
  return {
    node: call.node,
    api: target.module,
    certainty: jsCertainty(target, target.member),
    message: `${api} ${timeout ? 'disables its timeout' : 'has no timeout'}: the request library waits forever by default, so a stalled server hangs this call and holds its socket. Fix: pass { timeout: 10_000 } in the options`,
  };
}

function undiciZero(call: Call, model: FileModel): TimeoutProblem | undefined {
  const target = model.jsModules.resolve(call);
  if (target?.module !== 'undici') return undefined;
  const relevant = call.kind === 'new' ? /^(Agent|Pool|Client|BalancedPool)$/.test(target.member) : /^(request|stream|fetch)$/.test(target.member);
  if (!relevant) return undefined;
  const zero: string[] = [];
  for (const arg of call.args) {
    const options = optionsObject(arg, model);
    if (!options || options === 'unknown') continue;
    for (const key of ['headersTimeout', 'bodyTimeout', 'connectTimeout']) {
      const value = objectProperty(options, key);
      if (value && disables(value, model)) zero.push(key);
    }
  }
  if (zero.length === 0) return undefined;
  return {
    node: call.node,
    api: 'undici',
    certainty: jsCertainty(target, target.member),
    message: `undici ${call.kind === 'new' ? `new ${target.member}(...)` : `${target.member}(...)`} sets ${zero.map((k) => `${k}: 0`).join(', ')}, which disables ${zero.length > 1 ? 'those timeouts' : 'that timeout'}: a stalled server holds the connection forever. Fix: remove it (the default is 300 s) or use a positive value`,
  };
}

/** What a timer raced against a request looks like: a call that waits (`setTimeout`, `timeoutAt(ms)`), or its promise's name. */
const TIMER_CALL = /\b(setTimeout|sleep|delay|wait|\w*[Tt]imeout\w*)\s*\(/;
const TIMER_NAME = /timeout|timer|deadline/i;

/**
 * `await Promise.race([fetch(url).catch(...), new Promise((r) => setTimeout(r, 150))])`: a timer bounds the wait;
 * the request left running is the caller's choice (a fire-and-forget kick), not a wait without end. The timer may be
 * the project's own helper or a promise made before (`timeoutAt(20_000)`, speckle's; `deadline`).
 */
export function racedAgainstTimer(call: Node, model: FileModel): boolean {
  // Through `(...)`, `await`, `as T` and promise chains (`.catch(...)`, `.then(...)`) to the array it sits in.
  const node = promiseChain(call, /^(parenthesized_expression|await_expression|as_expression|satisfies_expression)$/).top;
  const array = node.parent;
  if (array?.type !== 'array' || array.parent?.type !== 'arguments') return false;
  const race = array.parent.parent ? model.dialect.call(array.parent.parent) : null;
  if (race?.name !== 'race' || race.receiver?.text !== 'Promise') return false;
  return array.namedChildren.some((element) => element && !element.equals(node) && (TIMER_CALL.test(element.text) || (element.type === 'identifier' && TIMER_NAME.test(element.text))));
}

export const JS_CHECKS: readonly TimeoutCheck[] = [fetchCall, nodeHttp, netSocket, axiosCall, gotCall, superagentCall, requestLibraryCall, undiciZero];
