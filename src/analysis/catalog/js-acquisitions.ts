// Which JavaScript/TypeScript calls acquire a network resource, resolved through the file's imports and requires
// (`net.connect`, `http.request`, undici, got and axios streams, fetch), and how sure each match is.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { laterConfiguration, type Configuration } from '../flow/configuration';
import { objectProperty } from '../syntax/javascript';
import type { ResolvedCall } from '../syntax/js-modules';
import type { Acquisition } from './acquisitions';
import { certain, possible, type Certainty } from './certainty';
import { JS, type ResourceKind } from './resources';

function jsOptions(call: Call, model: FileModel): Node | undefined {
  for (const arg of call.args) {
    const node = model.dialect.unwrap(arg);
    if (node.type === 'object') return node;
  }
  return undefined;
}

/** A connect argument list that names a path: a Unix domain socket or named pipe, not a TCP peer. */
function namesPath(args: readonly Node[], model: FileModel): boolean {
  const first = args[0] ? model.dialect.unwrap(args[0]) : undefined;
  if (!first) return false;
  if (first.type === 'string' || first.type === 'template_string') return true;
  // `net.connect(socketPath)`: a string (a port would be a number) or a variable named for a path.
  if (first.type === 'identifier' && /path|sock(et)?file|pipe/i.test(first.text)) return true;
  const init = first.type === 'identifier' ? model.declaratorOf(first.text, first)?.childForFieldName('value') : first;
  const options = init ? model.dialect.unwrap(init) : undefined;
  if (options?.type === 'string' || options?.type === 'template_string') return true;
  return options?.type === 'object' && !!objectProperty(options, 'path');
}

/**
 * `net.connect('/run/app.sock')`, `net.connect({ path })`, or `new net.Socket()` later connected so: a Unix domain
 * socket or named pipe never sits in CLOSE_WAIT, nor waits for a stalled remote peer.
 */
export function isIpcConnection(call: Call, model: FileModel): boolean {
  if (call.kind === 'new') return laterConfiguration(call.node, model).some((c) => c.name === 'connect' && namesPath(c.args, model));
  return namesPath(call.args, model);
}

/**
 * `http.request({ socketPath, path })`: HTTP over a Unix domain socket (a local daemon, an editor's IPC hook), which
 * never sits in CLOSE_WAIT nor waits for a stalled remote peer.
 */
export function overUnixSocket(call: Call, model: FileModel): boolean {
  return call.args.some((arg) => {
    const node = model.dialect.unwrap(arg);
    const init = node.type === 'identifier' ? model.declaratorOf(node.text, node)?.childForFieldName('value') : node;
    const options = init ? model.dialect.unwrap(init) : undefined;
    return options?.type === 'object' && !!objectProperty(options, 'socketPath');
  });
}

function lastFunctionArgument(call: Call, model: FileModel): Node | undefined {
  const last = call.args[call.args.length - 1];
  return last && model.dialect.functionTypes.has(last.type) ? last : undefined;
}

const AXIOS_METHODS = /^(get|post|put|patch|delete|head|options|request|default)$/;

/**
 * Modules whose `fetch` is a fetch: undici's, and node-fetch's with the packages that wrap it (cross-fetch,
 * isomorphic-fetch, formio's proxy-aware @formio/node-fetch-http-proxy), whose default export is that fetch.
 */
export const FETCH_MODULES = /^(undici|node-fetch|cross-fetch|isomorphic-fetch|@formio\/node-fetch-http-proxy)$/;
const DEFAULT_FETCH_MODULES = /^(node-fetch|cross-fetch|isomorphic-fetch|@formio\/node-fetch-http-proxy)$/;

/** How sure a module-resolved JS call is: an import says so, or only the module's usual name does. */
export function jsCertainty(target: ResolvedCall | undefined, api: string): Certainty {
  if (!target) return certain(`the global ${api}`);
  return target.guessed
    ? possible(`\`${target.module}\` taken for the ${target.module} module: no import or require of it is visible`)
    : certain(`${target.module}.${target.member}, resolved from the imports`);
}

export function matchJs(call: Call, model: FileModel): Acquisition[] {
  const target = model.jsModules.resolve(call);
  const module = target?.module;
  const member = target?.member ?? (call.receiver ? '' : call.name);
  const found: Acquisition[] = [];
  const add = (kind: ResourceKind, certainty: Certainty, callback?: Node) => found.push({ kind, certainty, node: call.node, callback });

  if (call.kind === 'new') {
    if ((module === 'net' && member === 'Socket') || (module === 'tls' && member === 'TLSSocket')) {
      if (!isIpcConnection(call, model)) add(module === 'net' ? JS.socket : JS.tlsSocket, jsCertainty(target, member));
    } else if (call.name === 'WebSocket' && (!module || module === 'ws' || module === 'isomorphic-ws')) {
      add(JS.webSocket, module ? jsCertainty(target, 'WebSocket') : possible('the global WebSocket: browser code, or Node 22+'));
    }
    return found;
  }
  const browser = remoteBrowser(call, target, model);
  if (browser) {
    add(JS.browserConnection, browser);
  } else if ((module === 'net' && (member === 'connect' || member === 'createConnection')) || (module === 'tls' && member === 'connect')) {
    // A Unix domain socket or named pipe (`net.connect('/run/app.sock')`) never sits in CLOSE_WAIT.
    if (!isIpcConnection(call, model)) add(module === 'net' ? JS.socket : JS.tlsSocket, jsCertainty(target, member));
  } else if ((module === 'http' || module === 'https') && (member === 'request' || member === 'get')) {
    if (overUnixSocket(call, model)) return found;
    const certainty = jsCertainty(target, member);
    if (member === 'request') add(JS.clientRequest, certainty);
    const callback = lastFunctionArgument(call, model);
    if (callback && !destroyedWhenIdle(call, model)) add(JS.incomingMessage, certainty, callback);
  } else if ((member === 'fetch' && (!module || FETCH_MODULES.test(module))) || (member === 'default' && !!module && DEFAULT_FETCH_MODULES.test(module))) {
    // `import fetch from 'node-fetch'`: the module's default export is its fetch.
    // A HEAD response has no body: nothing is left to read, and the connection is free once the headers are in.
    if (isHeadRequest(call, model)) return found;
    if (module || (!call.receiver && !model.shadowsGlobal('fetch', call.node))) add(JS.fetchResponse, jsCertainty(target, 'fetch'));
  } else if (module === 'undici' && member === 'request') {
    if (!isHeadRequest(call, model)) add(JS.undiciResponse, jsCertainty(target, member));
  } else if (module === 'got' && (member === 'stream' || (member === 'default' && isStreamOption(call, model, 'isStream', 'true')))) {
    add(JS.gotStream, jsCertainty(target, member));
  } else if (module === 'axios' && AXIOS_METHODS.test(member)) {
    if (isStreamOption(call, model, 'responseType', 'stream')) add(JS.axiosStream, jsCertainty(target, member));
  } else if (AXIOS_METHODS.test(call.name) && call.receiver) {
    if (isStreamOption(call, model, 'responseType', 'stream')) {
      add(JS.axiosStream, possible(`\`${model.dialect.unwrap(call.receiver).text}\` taken for an axios instance: responseType 'stream' says so`));
    }
  }
  return found;
}

const BROWSER_MODULE = /^(playwright(-core|-chromium|-firefox|-webkit)?|@playwright\/test|puppeteer(-core)?)$/;
const BROWSER_TYPE = /^(chromium|firefox|webkit)$/;

/**
 * `chromium.connect(wsEndpoint)`, `playwright.chromium.connectOverCDP(url)`, `puppeteer.connect({ browserWSEndpoint })`:
 * a WebSocket to a browser running elsewhere, open until `close()` (`chromium.launch()` starts a local process
 * instead, no socket of ours to a peer). Undefined for anything else.
 */
function remoteBrowser(call: Call, target: ResolvedCall | undefined, model: FileModel): Certainty | undefined {
  if (call.kind !== 'call' || !/^(connect|connectOverCDP)$/.test(call.name)) return undefined;
  if (target && !target.guessed && /^puppeteer(-core)?$/.test(target.module)) return jsCertainty(target, call.name);
  const receiver = call.receiver && model.dialect.unwrap(call.receiver);
  let binding: { module: string; member: string | null } | undefined;
  let type: string | undefined;
  if (receiver?.type === 'identifier') {
    // const { chromium } = require('playwright-core')
    binding = model.jsModules.binding(receiver.text);
    type = binding?.member ?? undefined;
  } else if (receiver?.type === 'member_expression') {
    // import playwright from 'playwright'; playwright.chromium.connect(...)
    const object = receiver.childForFieldName('object');
    binding = object?.type === 'identifier' ? model.jsModules.binding(object.text) : undefined;
    type = binding?.member === null ? receiver.childForFieldName('property')?.text : undefined;
  }
  if (!binding || !type || !BROWSER_MODULE.test(binding.module) || !BROWSER_TYPE.test(type)) return undefined;
  return certain(`${binding.module} ${type}.${call.name}, resolved from the imports`);
}

/** A listener or callback whose body destroys or aborts something: what makes a Node timeout actually stop. */
export function destroysOnTimeout(configuration: readonly Configuration[], model: FileModel): boolean {
  // The listener written there, or named: `const retry = () => { req.destroy(); ... }; req.once('timeout', retry)`
  // (serverless's port wait).
  const listener = (arg: Node | undefined) => (arg?.type === 'identifier' ? model.declaratorOf(arg.text, arg)?.childForFieldName('value') ?? undefined : arg);
  const destroys = (arg: Node | undefined) => {
    const fn = listener(arg);
    return !!fn && model.dialect.functionTypes.has(fn.type) && /\b(destroy|abort|end)\s*\(/.test(fn.text);
  };
  return configuration.some(
    (c) =>
      ((c.name === 'on' || c.name === 'once' || c.name === 'addListener') && model.dialect.stringLiteral(c.args[0]) === 'timeout' && destroys(c.args[1])) ||
      (c.name === 'setTimeout' && destroys(c.args[1])),
  );
}

/**
 * An http.request whose idle timeout destroys it (`{ timeout: 1000 }` or `req.setTimeout(...)`, and a 'timeout'
 * listener that destroys): a response nobody reads leaves its socket idle, and the timeout then destroys it.
 */
function destroyedWhenIdle(call: Call, model: FileModel): boolean {
  const later = laterConfiguration(call.node, model);
  const options = jsOptions(call, model);
  const option = options && objectProperty(options, 'timeout');
  const timeoutSet = (!!option && !/^(0|undefined|null)$/.test(option.text)) || later.some((c) => c.name === 'setTimeout' && c.args[0]?.text !== '0');
  return timeoutSet && destroysOnTimeout(later, model);
}

/** `fetch(url, { method: 'HEAD' })`, the options written there or in a variable. */
function isHeadRequest(call: Call, model: FileModel): boolean {
  const arg = call.args[1] && model.dialect.unwrap(call.args[1]);
  const init = arg?.type === 'identifier' ? model.declaratorOf(arg.text, arg)?.childForFieldName('value') : arg;
  const options = init && model.dialect.unwrap(init);
  const method = options?.type === 'object' ? objectProperty(options, 'method') : undefined;
  return !!method && /^head$/i.test(model.dialect.stringLiteral(method) ?? '');
}

function isStreamOption(call: Call, model: FileModel, key: string, value: string): boolean {
  const options = jsOptions(call, model);
  const v = options && objectProperty(options, key);
  if (!v) return false;
  return (model.dialect.stringLiteral(v) ?? v.text) === value;
}

/** `new http.Agent({ keepAlive: true })`: long-lived by design, so it is only checked at module scope. */
export function isKeepAliveAgent(call: Call, model: FileModel): boolean {
  if (call.kind !== 'new' || call.name !== 'Agent') return false;
  const target = model.jsModules.resolve(call);
  if (target?.module !== 'http' && target?.module !== 'https') return false;
  return isStreamOption(call, model, 'keepAlive', 'true');
}
