// Hutool's HTTP client (cn.hutool.http), common in Chinese Spring projects: HttpUtil's one-call helpers and the
// HttpRequest builder. Hutool's global default timeout is -1, which leaves HttpURLConnection's own default of 0:
// wait forever. A call is bounded by its timeout argument, a timeout on the request, or
// `HttpGlobalConfig.setTimeout(...)` anywhere in the workspace's production code (a workspace fact).
import type { Node } from 'web-tree-sitter';
import type { WorkspaceFacts } from '../facts/workspace';
import { chainedConfiguration, escapeOf, laterConfiguration, type Configuration } from '../flow/configuration';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { certain, possible } from './certainty';
import { disables, type TimeoutProblem } from './timeout-requirements';

const HTTP_UTIL = 'cn.hutool.http.HttpUtil';
const HTTP_REQUEST = 'cn.hutool.http.HttpRequest';

/** Cheap pre-filter for java-call-names.ts: a file that names neither class calls neither. */
export const MENTIONS_HUTOOL_HTTP = /\bHttp(Util|Request)\s*\.\s*\w+\s*\(/;

/**
 * HttpUtil's helpers that read a response, and which of their overloads take a timeout: the index of the argument
 * that may be one, and the argument count from which the last argument surely is one.
 */
const HELPERS = new Map<string, { readonly maybeTimeoutAt?: number; readonly boundedFrom?: number; readonly fix: string }>([
  // get(url), get(url, charset | params | timeout), get(url, params, timeout)
  ['get', { maybeTimeoutAt: 1, boundedFrom: 3, fix: 'HttpUtil.get(url, 10_000)' }],
  // post(url, params | body), post(url, params | body, timeout)
  ['post', { boundedFrom: 3, fix: 'HttpUtil.post(url, body, 10_000)' }],
  ['downloadString', { fix: 'HttpRequest.get(url).timeout(10_000).execute().body()' }],
  ['downloadBytes', { fix: 'HttpRequest.get(url).timeout(10_000).execute().bodyBytes()' }],
  ['download', { fix: 'HttpRequest.get(url).timeout(10_000).execute().writeBody(out, isCloseOut, null)' }],
  // (url, dest), (url, dest, timeout | progress), (url, dest, timeout, progress)
  ['downloadFile', { maybeTimeoutAt: 2, boundedFrom: 4, fix: 'HttpUtil.downloadFile(url, dest, 10_000)' }],
  ['downloadFileFromUrl', { maybeTimeoutAt: 2, boundedFrom: 4, fix: 'HttpUtil.downloadFileFromUrl(url, dest, 10_000)' }],
]);

/** Calls that make an HttpRequest: `HttpRequest.get(url)`, `HttpUtil.createPost(url)`. */
const REQUEST_FACTORIES = new Map<string, string>([
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'of'].map((name): [string, string] => [name, HTTP_REQUEST]),
  ...['createGet', 'createPost', 'createRequest'].map((name): [string, string] => [name, HTTP_UTIL]),
]);

/** Setters that bound the response wait (`timeout` sets both; a connect timeout alone leaves the read unbounded). */
const READ_TIMEOUT = /^(timeout|setReadTimeout|setConfig)$/;
const EXECUTES = /^(execute|executeAsync)$/;
/** The fix for one call, then the one for every call of the process. */
function fix(call: string): string {
  return `Fix: ${call}, or HttpGlobalConfig.setTimeout(10_000) at startup`;
}

/** `3000`, `60 * 1000`, `TIMEOUT`, `timeoutMillis`, an int-typed variable: an argument that reads as a timeout. */
function isTimeout(arg: Node, model: FileModel): boolean {
  const text = model.dialect.unwrap(arg).text;
  if (/^[\d_\s*+()lL]+$/.test(text) || /time_?out|millis/i.test(text)) return true;
  const type = model.javaTypes.typeOf(arg, model.functionOf(arg)) ?? '';
  return /^(int|long|short|Integer|Long|java\.lang\.(Integer|Long))$/.test(type);
}

/** Hutool's -1 means "no timeout", as 0 does for the JDK. */
function boundedBy(config: Configuration, model: FileModel): boolean {
  const arg = config.args[0];
  return READ_TIMEOUT.test(config.name) && (config.name === 'setConfig' || (!!arg && !disables(arg, model) && !/^-\s*1$/.test(arg.text)));
}

function setGlobally(facts: WorkspaceFacts): boolean {
  return facts.timeoutDefaults.some((d) => d.library === 'hutool');
}

function receiverIs(call: Call, fqn: string, model: FileModel): boolean {
  return !!call.receiver && model.javaTypes.refersTo(model.dialect.unwrap(call.receiver).text, fqn);
}

function helperCall(call: Call, model: FileModel): TimeoutProblem | undefined {
  const helper = HELPERS.get(call.name);
  if (!helper || !receiverIs(call, HTTP_UTIL, model)) return undefined;
  const { maybeTimeoutAt, boundedFrom } = helper;
  if (boundedFrom !== undefined && call.args.length >= boundedFrom) return undefined;
  if (maybeTimeoutAt !== undefined && call.args[maybeTimeoutAt] && isTimeout(call.args[maybeTimeoutAt], model)) return undefined;
  return {
    node: call.node,
    api: 'Hutool HttpUtil',
    certainty: certain(`${HTTP_UTIL}.${call.name}, resolved from the imports, with no timeout argument`),
    message: `HttpUtil.${call.name}(...) sets no timeout: Hutool's default (-1) leaves HttpURLConnection waiting forever, so a stalled server blocks this thread. ${fix(helper.fix)}`,
  };
}

function requestCall(call: Call, model: FileModel): TimeoutProblem | undefined {
  const factory = REQUEST_FACTORIES.get(call.name);
  if (!factory || !receiverIs(call, factory, model)) return undefined;
  // The calls chained on it (`HttpRequest.get(url).header(..).execute()`) and the outermost of them.
  const calls = chainedConfiguration(call.node, model);
  const top = calls.at(-1)?.node ?? call.node;
  const executedAt = calls.findIndex((c) => EXECUTES.test(c.name));
  let configuration: readonly Configuration[];
  if (executedAt >= 0) {
    configuration = calls.slice(0, executedAt);
  } else {
    // Held in a variable and executed later; a request returned or handed on is executed, and may be bounded, there.
    if (escapeOf(top, model)) return undefined;
    configuration = [...calls, ...laterConfiguration(top, model)];
    if (!configuration.some((c) => EXECUTES.test(c.name))) configuration = [...configuration, ...rebound(configuration, model)];
    if (!configuration.some((c) => EXECUTES.test(c.name))) return undefined;
  }
  if (configuration.some((c) => boundedBy(c, model))) return undefined;
  const written = `${factory === HTTP_UTIL ? 'HttpUtil' : 'HttpRequest'}.${call.name}`;
  const resolved = certain(`${factory}.${call.name}, resolved from the imports, executed with no timeout set`);
  // `request.setReadTimeout(0)`: the code asks for no limit (zfile's long poll of a QR code's state), on purpose.
  const zeroed = configuration.some((c) => READ_TIMEOUT.test(c.name) && c.name !== 'setConfig' && disables(c.args[0], model));
  return {
    node: call.node,
    api: 'Hutool HttpRequest',
    certainty: zeroed ? possible(`${resolved.basis}; the code sets a zero read timeout itself, on purpose (a long poll)`) : resolved,
    message: `${written}(...) is executed with no timeout(...): Hutool's default (-1) leaves HttpURLConnection waiting forever, so a stalled server blocks this thread. ${fix(`${written}(...).timeout(10_000) before execute()`)}`,
  };
}

/**
 * `post = HttpUtil.createPost(url); request = post.body(json).header(k, v); request.execute()`: Hutool's setters
 * return the request itself, so a chain of them bound to another variable goes on configuring the same request
 * (snail-job's alarms). What is done with that variable, one rebinding deep.
 */
function rebound(configuration: readonly Configuration[], model: FileModel): Configuration[] {
  const out: Configuration[] = [];
  const tops = new Set<number>();
  for (const c of configuration) {
    const chain = chainedConfiguration(c.node, model);
    const top = chain.at(-1)?.node ?? c.node;
    if (tops.has(top.id)) continue;
    tops.add(top.id);
    const bound = model.dialect.context(top);
    if (bound.kind === 'bind' && bound.binding === 'local') out.push(...chain, ...laterConfiguration(top, model));
  }
  return out;
}

/**
 * Whether `call` (an `execute()`/`executeAsync()`) runs a Hutool HttpRequest: a chain that starts at one of
 * REQUEST_FACTORIES, or a receiver declared an HttpRequest.
 */
export function isHutoolRequest(call: Call, model: FileModel): boolean {
  for (let receiver = call.receiver; receiver; ) {
    const unwrapped = model.dialect.unwrap(receiver);
    const inner = model.dialect.call(unwrapped);
    if (!inner) return model.javaTypes.typeOf(unwrapped, model.functionOf(unwrapped)) === HTTP_REQUEST;
    const factory = REQUEST_FACTORIES.get(inner.name);
    if (factory && receiverIs(inner, factory, model)) return true;
    receiver = inner.receiver;
  }
  return false;
}

export function hutoolHttp(call: Call, model: FileModel, facts: WorkspaceFacts): TimeoutProblem | undefined {
  if (call.kind !== 'call' || !call.receiver) return undefined;
  if (!HELPERS.has(call.name) && !REQUEST_FACTORIES.has(call.name)) return undefined;
  if (setGlobally(facts)) return undefined;
  return helperCall(call, model) ?? requestCall(call, model);
}
