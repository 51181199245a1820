// The catalogue of network clients whose default is "wait forever", and how each one is given a timeout.
// One entry per API family: what creates the client or call, which setters/options bound it, and the fix to show.
import type { Node } from 'web-tree-sitter';
import { NO_FACTS, projectOf, type TimeoutDefault, type WorkspaceFacts } from '../facts/workspace';
import { timeoutDefaultsOf } from '../facts/source-facts';
import type { FileModel } from '../model';
import { builderCalls, handedElsewhere, initializerOf, laterConfiguration, type Configuration } from '../flow/configuration';
import type { Call } from '../syntax/dialect';
import { certain, possible, type Certainty } from './certainty';
import { urlConnectionCertainty } from './java-acquisitions';
import { objectProperty } from '../syntax/javascript';
import { chainRoot } from './java-acquisitions';
import { jsCertainty } from './js-acquisitions';

export interface TimeoutProblem {
  /** Where the client, connection or request is created. */
  readonly node: Node;
  readonly message: string;
  /** The API family, for docs and quick fixes: `HttpURLConnection`, `fetch`, ... */
  readonly api: string;
  readonly certainty: Certainty;
}

interface Requirement {
  /** In messages: "read timeout". */
  readonly label: string;
  /** Setter or builder method names that provide it. */
  readonly setters: RegExp;
}

/** A timeout argument that disables the timeout: `0`, `0L`, `Duration.ZERO`, `Timeout.DISABLED`. */
function disables(arg: Node | undefined, model: FileModel): boolean {
  if (!arg) return false;
  const text = model.dialect.unwrap(arg).text.replace(/\s+/g, '');
  return /^(0+[lL]?|0\.0+|Duration\.ZERO|Duration\.ofMillis\(0+\)|Duration\.ofSeconds\(0+\)|Timeout\.DISABLED|Timeout\.INFINITE|Timeout\.ZERO_MILLISECONDS)$/.test(text);
}

/** The requirements not met by a list of configuration calls; a setter given 0 does not meet its requirement. */
function unmet(requirements: readonly Requirement[], calls: readonly Configuration[], model: FileModel): Requirement[] {
  return requirements.filter((r) => !calls.some((c) => r.setters.test(c.name) && !disables(c.args[0], model)));
}

/** "no connect timeout and no read timeout" */
function none(items: readonly { label: string }[]): string {
  const labels = items.map((i) => `no ${i.label}`);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

// ---- Java ----------------------------------------------------------------------------------------------

const SO_TIMEOUT: Requirement = { label: 'read timeout (setSoTimeout)', setters: /^setSoTimeout$/ };
const URL_CONNECT: Requirement = { label: 'connect timeout (setConnectTimeout)', setters: /^setConnectTimeout$/ };
const URL_READ: Requirement = { label: 'read timeout (setReadTimeout)', setters: /^setReadTimeout$/ };

function javaSocket(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'new' || call.name !== 'Socket') return undefined;
  if (model.javaTypes.qualify(call.typeQualifier ? `${call.typeQualifier}.Socket` : 'Socket') !== 'java.net.Socket') return undefined;
  const later = laterConfiguration(call.node, model);
  const connects = later.filter((c) => c.name === 'connect');
  const connectsInConstructor = call.args.length >= 2;
  const noConnectTimeout = connectsInConstructor || connects.some((c) => c.args.length < 2 || disables(c.args[1], model));
  const fix = 'Fix: Socket socket = new Socket(); socket.connect(new InetSocketAddress(host, port), 5_000); socket.setSoTimeout(10_000);';
  if (unmet([SO_TIMEOUT], later, model).length > 0) {
    // A socket returned, stored or passed on may get its read timeout there: it is judged where it is used.
    if (handedElsewhere(call.node, model)) return undefined;
    return {
      node: call.node,
      api: 'java.net.Socket',
      certainty: certain('java.net.Socket, resolved from the imports, read without a read timeout in this method'),
      message: `Socket has no read timeout (setSoTimeout)${noConnectTimeout ? ' and no connect timeout' : ''}: a peer that stops answering blocks this thread forever. ${fix}`,
    };
  }
  // With a read timeout only the connect can still wait, and the operating system bounds that (minutes, not forever).
  if (connectsInConstructor || !noConnectTimeout) return undefined;
  return {
    node: call.node,
    api: 'java.net.Socket',
    certainty: possible('the read timeout is set; only connect() waits, for as long as the operating system allows'),
    message: `Socket connects without a connect timeout: a host that drops packets holds this thread until the operating system gives up (minutes). ${fix}`,
  };
}

function urlConnection(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call' || call.name !== 'openConnection' || call.args.length > 1) return undefined;
  const certainty = urlConnectionCertainty(call, model);
  if (!certainty) return undefined;
  const later = laterConfiguration(call.node, model);
  const missing = unmet([URL_CONNECT, URL_READ], later, model);
  if (missing.length === 0) return undefined;
  // A connection returned, stored or passed on may get its timeouts there: it is judged where it is used.
  if (handedElsewhere(call.node, model)) return undefined;
  return {
    node: call.node,
    api: 'HttpURLConnection',
    certainty,
    message:
      `HttpURLConnection has ${none(missing)}: the default is 0, wait forever, so a stalled server blocks this thread. ` +
      'Fix: conn.setConnectTimeout(5_000); conn.setReadTimeout(10_000);',
  };
}

const APACHE4_CONFIG: Requirement[] = [
  { label: 'connect timeout', setters: /^setConnectTimeout$/ },
  { label: 'socket timeout', setters: /^setSocketTimeout$/ },
  { label: 'connection-request timeout', setters: /^setConnectionRequestTimeout$/ },
];
const APACHE5_CONFIG: Requirement[] = [
  { label: 'connect timeout', setters: /^(setConnectTimeout|setConnectionManager)$/ },
  { label: 'response timeout', setters: /^setResponseTimeout$/ },
  { label: 'connection-request timeout', setters: /^setConnectionRequestTimeout$/ },
];
const APACHE4_FIX =
  'Fix: HttpClients.custom().setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(5_000).setSocketTimeout(10_000).setConnectionRequestTimeout(5_000).build()).build()';
const APACHE5_FIX =
  'Fix: HttpClients.custom().setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).setResponseTimeout(Timeout.ofSeconds(10)).setConnectionRequestTimeout(Timeout.ofSeconds(5)).build()).build()';

const APACHE_HTTP_CLIENTS = /^org\.apache\.(http\.impl\.client|hc\.client5\.http\.impl\.classic)\.HttpClients$/;

function isApache5(model: FileModel): boolean {
  return model.javaTypes.importsFrom('org.apache.hc.');
}

/** The calls that configure a RequestConfig expression; undefined when it cannot be followed (assume it is fine). */
function requestConfigCalls(expr: Node, model: FileModel, depth = 0): Configuration[] | undefined {
  if (depth > 3) return undefined;
  const node = model.dialect.unwrap(expr);
  if (node.type === 'identifier') {
    const init = initializerOf(node.text, node, model);
    return init ? requestConfigCalls(init, model, depth + 1) : undefined;
  }
  if (/^RequestConfig\.DEFAULT$/.test(node.text)) return [];
  const c = model.dialect.call(node);
  if (!c) return undefined;
  if (c.name === 'build') return builderCalls(c, model);
  // A same-file factory method: follow what it returns.
  if (!c.receiver || c.receiver.type === 'this') {
    for (const method of model.methodsNamed(c.name)) {
      const returned = method.descendantsOfType('return_statement')[0]?.namedChildren[0];
      if (returned) return requestConfigCalls(returned, model, depth + 1);
    }
  }
  return undefined;
}

/** Per-request configuration anywhere in the file (`request.setConfig(config)`) also bounds the calls. */
function configuresPerRequest(model: FileModel): boolean {
  return /\.setConfig\s*\(/.test(model.file.text);
}

/** The receiver's text, read only once a call's name matched: reading it for every call of a file is what costs. */
function receiverText(call: Call, model: FileModel): string {
  return call.receiver ? model.dialect.unwrap(call.receiver).text : '';
}

function apacheClient(call: Call, model: FileModel): TimeoutProblem | undefined {
  const v5 = () => isApache5(model);
  const fix = () => (v5() ? APACHE5_FIX : APACHE4_FIX);
  const factory = call.kind === 'call' && /^(createDefault|createSystem|createMinimal)$/.test(call.name) ? model.javaTypes.qualify(receiverText(call, model)) : '';
  if (APACHE_HTTP_CLIENTS.test(factory)) {
    if (configuresPerRequest(model)) return undefined;
    return {
      node: call.node,
      api: 'Apache HttpClient',
      certainty: certain(`${factory}.${call.name}(), resolved from the imports`),
      message: `HttpClients.${call.name}() sets no timeouts: with no connect, ${v5() ? 'response' : 'socket'} and connection-request timeout a stalled server or an exhausted pool blocks the calling thread forever. ${fix()}`,
    };
  }
  const constructed = call.kind === 'new' ? model.javaTypes.qualify(call.typeQualifier ? `${call.typeQualifier}.${call.name}` : call.name) : '';
  if (/^org\.apache\.http\.impl\.client\.(DefaultHttpClient|SystemDefaultHttpClient)$/.test(constructed)) {
    const fn = model.functionOf(call.node);
    const scopeText = (fn ?? model.root).text;
    if (/setConnectionTimeout|setSoTimeout|CONNECTION_TIMEOUT|SO_TIMEOUT/.test(scopeText)) return undefined;
    return {
      node: call.node,
      api: 'Apache HttpClient',
      certainty: certain(`${constructed}, resolved from the imports`),
      message: `new ${call.name}() sets no timeouts: connect and socket timeouts default to infinite, so a stalled server blocks the calling thread forever. ${APACHE4_FIX}`,
    };
  }
  if (call.kind !== 'call' || call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (!/^org\.apache\.(http\.impl\.client|hc\.client5\.http\.impl\.classic)\.CloseableHttpClient$/.test(type)) return undefined;
  const certainty = certain(`builds a ${type}`);
  const calls = builderCalls(call, model);
  const setConfig = calls.find((c) => c.name === 'setDefaultRequestConfig');
  if (!setConfig) {
    if (configuresPerRequest(model)) return undefined;
    return {
      node: call.node,
      api: 'Apache HttpClient',
      certainty,
      message: `HttpClient is built without setDefaultRequestConfig(...): no connect, ${v5() ? 'response' : 'socket'} or connection-request timeout, so a stalled server or an exhausted pool blocks the calling thread forever. ${fix()}`,
    };
  }
  const configCalls = setConfig.args[0] ? requestConfigCalls(setConfig.args[0], model) : undefined;
  if (!configCalls) return undefined;
  const connectionConfigured = calls.some((c) => c.name === 'setConnectionManager');
  const missing = unmet(v5() ? APACHE5_CONFIG : APACHE4_CONFIG, connectionConfigured ? [...configCalls, ...calls] : configCalls, model);
  if (missing.length === 0) return undefined;
  return {
    node: call.node,
    api: 'Apache HttpClient',
    certainty,
    message: `HttpClient's RequestConfig sets ${none(missing)}: that wait is unbounded, so a stalled server or an exhausted pool blocks the calling thread forever. ${fix()}`,
  };
}

function javaHttpClient(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const fix = 'Fix: HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()';
  if (call.name === 'newHttpClient' && model.javaTypes.refersTo(receiverText(call, model), 'java.net.http.HttpClient')) {
    return {
      node: call.node,
      api: 'java.net.http.HttpClient',
      certainty: certain('java.net.http.HttpClient.newHttpClient(), resolved from the imports'),
      message: `HttpClient.newHttpClient() has no connect timeout: connecting to a host that drops packets waits for the operating system (minutes). ${fix}`,
    };
  }
  if (call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (type === 'java.net.http.HttpClient') {
    if (unmet([{ label: 'connect timeout', setters: /^connectTimeout$/ }], builderCalls(call, model), model).length === 0) return undefined;
    return {
      node: call.node,
      api: 'java.net.http.HttpClient',
      certainty: certain('builds a java.net.http.HttpClient'),
      message: `HttpClient is built without connectTimeout(...): connecting to a host that drops packets waits for the operating system (minutes). ${fix}`,
    };
  }
  if (type === 'java.net.http.HttpRequest') {
    if (unmet([{ label: 'timeout', setters: /^timeout$/ }], builderCalls(call, model), model).length === 0) return undefined;
    return {
      node: call.node,
      api: 'java.net.http.HttpRequest',
      certainty: certain('builds a java.net.http.HttpRequest'),
      message:
        'HttpRequest has no timeout(...): send() waits for the response headers forever when the server stalls. ' +
        'Fix: HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build()',
    };
  }
  return undefined;
}

const REST_TEMPLATE = 'org.springframework.web.client.RestTemplate';
const REST_TEMPLATE_BUILDER: Requirement[] = [
  { label: 'connect timeout', setters: /^(setConnectTimeout|connectTimeout)$/ },
  { label: 'read timeout', setters: /^(setReadTimeout|readTimeout)$/ },
];
const FACTORY_TIMEOUTS: Requirement[] = [
  { label: 'connect timeout', setters: /^setConnectTimeout$/ },
  { label: 'read timeout', setters: /^(setReadTimeout|setConnectionRequestTimeout)$/ },
];

function restTemplate(call: Call, model: FileModel): TimeoutProblem | undefined {
  const fix =
    'Fix: restTemplateBuilder.connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build(), or a request factory with setConnectTimeout/setReadTimeout';
  const constructed = call.kind === 'new' && call.name === 'RestTemplate' ? model.javaTypes.qualify(call.typeQualifier ? `${call.typeQualifier}.RestTemplate` : 'RestTemplate') : '';
  if (constructed === REST_TEMPLATE) {
    const certainty = certain(`${REST_TEMPLATE}, resolved from the imports`);
    if (call.args.length === 0) {
      return {
        node: call.node,
        api: 'RestTemplate',
        certainty,
        message: `new RestTemplate() uses SimpleClientHttpRequestFactory with no connect or read timeout: a stalled server blocks the calling thread forever. ${fix}`,
      };
    }
    const factory = model.dialect.unwrap(call.args[0]);
    const created = factory.type === 'identifier' ? initializerOf(factory.text, factory, model) : factory;
    const createdCall = created ? model.dialect.call(model.dialect.unwrap(created)) : null;
    if (createdCall?.kind !== 'new' || !/^(SimpleClientHttpRequestFactory|HttpComponentsClientHttpRequestFactory)$/.test(createdCall.name)) return undefined;
    const missing = unmet(FACTORY_TIMEOUTS, laterConfiguration(createdCall.node, model), model);
    if (missing.length === 0) return undefined;
    return {
      node: call.node,
      api: 'RestTemplate',
      certainty,
      message: `RestTemplate's ${createdCall.name} has ${none(missing)}: a stalled server blocks the calling thread forever. ${fix}`,
    };
  }
  if (call.kind !== 'call' || call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (type !== REST_TEMPLATE) return undefined;
  const missing = unmet(REST_TEMPLATE_BUILDER, builderCalls(call, model), model);
  if (missing.length === 0) return undefined;
  return {
    node: call.node,
    api: 'RestTemplate',
    certainty: certain(`builds a ${REST_TEMPLATE}`),
    message: `RestTemplate is built with ${none(missing)}: a stalled server blocks the calling thread forever. ${fix}`,
  };
}

const JAXRS: Requirement[] = [
  { label: 'connect timeout', setters: /^connectTimeout$/ },
  { label: 'read timeout', setters: /^readTimeout$/ },
];

/** `client.property(ClientProperties.CONNECT_TIMEOUT, 5000)` also sets a JAX-RS timeout. */
function jaxrsProperties(calls: readonly Configuration[]): Configuration[] {
  return calls
    .filter((c) => c.name === 'property' && c.args.length === 2)
    .map((c) => {
      const key = c.args[0].text;
      const name = /CONNECT_TIMEOUT|connectTimeout/i.test(key) ? 'connectTimeout' : /READ_TIMEOUT|readTimeout/i.test(key) ? 'readTimeout' : c.name;
      return { ...c, name, args: c.args.slice(1) };
    });
}

function jaxrsClient(call: Call, model: FileModel): TimeoutProblem | undefined {
  const fix = 'Fix: ClientBuilder.newBuilder().connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS).build()';
  if (call.kind !== 'call' || (call.name !== 'newClient' && call.name !== 'build')) return undefined;
  const root = call.name === 'newClient' ? call : chainRoot(call, model);
  const builder = root.receiver ? model.javaTypes.qualify(model.dialect.unwrap(root.receiver).text) : '';
  if (!/^(javax|jakarta)\.ws\.rs\.client\.ClientBuilder$/.test(builder)) return undefined;
  const calls = call.name === 'build' ? builderCalls(call, model) : [];
  const later = laterConfiguration(call.node, model);
  const missing = unmet(JAXRS, jaxrsProperties([...calls, ...later]).concat(calls), model);
  if (missing.length === 0) return undefined;
  return {
    node: call.node,
    api: 'JAX-RS Client',
    certainty: certain(`a ${builder}, resolved from the imports`),
    message: `JAX-RS Client has ${none(missing)}: most implementations default to waiting forever. ${fix}`,
  };
}

const OKHTTP_TIMEOUTS = /^(connectTimeout|readTimeout|writeTimeout)$/;

function okHttp(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call' || call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (type !== 'okhttp3.OkHttpClient') return undefined;
  const disabled = builderCalls(call, model).filter((c) => OKHTTP_TIMEOUTS.test(c.name) && disables(c.args[0], model));
  if (disabled.length === 0) return undefined;
  const names = [...new Set(disabled.map((c) => c.name))];
  return {
    node: call.node,
    api: 'OkHttp',
    certainty: certain('builds an okhttp3.OkHttpClient'),
    message: `OkHttpClient ${names.map((n) => `${n}(0)`).join(', ')} disables ${names.length > 1 ? 'those timeouts' : 'that timeout'} (0 means none; the default is 10 s): a stalled server blocks the call forever. Fix: keep the default or set a positive duration, e.g. .readTimeout(Duration.ofSeconds(10))`,
  };
}

const JAVA_CHECKS = [javaSocket, urlConnection, apacheClient, javaHttpClient, restTemplate, jaxrsClient, okHttp];

// ---- TypeScript / JavaScript ---------------------------------------------------------------------------

/**
 * The object literal an options argument stands for (inline, or a variable initialised with one); 'unknown' for
 * a value we cannot see into (a parameter, a call), undefined for something that is not options at all.
 */
function optionsObject(arg: Node | undefined, model: FileModel): Node | undefined | 'unknown' {
  if (!arg) return undefined;
  const node = model.dialect.unwrap(arg);
  if (node.type === 'object') return node;
  if (node.type === 'identifier') {
    const init = initializerOf(node.text, node, model);
    const value = init && model.dialect.unwrap(init);
    if (value?.type === 'object') return value;
    return value && (value.type === 'string' || value.type === 'template_string') ? undefined : 'unknown';
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
  if (call.kind !== 'call' || call.name !== 'fetch') return undefined;
  const target = model.jsModules.resolve(call);
  if (call.receiver && !target) return undefined;
  if (target && !/^(undici|node-fetch|cross-fetch)$/.test(target.module)) return undefined;
  if (call.args.length === 0) return undefined;
  const options = optionsObject(call.args[1], model);
  if (options === 'unknown') return undefined;
  if (options && (hasKey(options, 'signal') || hasKey(options, 'timeout'))) return undefined;
  return {
    node: call.node,
    api: 'fetch',
    certainty: jsCertainty(target, 'fetch'),
    message:
      'fetch(...) has no signal: nothing aborts it, so a server that stops answering holds this request (and whatever awaits it) for as long as the connection lives. ' +
      'Fix: fetch(url, { signal: AbortSignal.timeout(10_000) })',
  };
}

/** A listener or callback whose body destroys or aborts something: what makes a Node timeout actually stop. */
function destroysOnTimeout(configuration: readonly Configuration[], model: FileModel): boolean {
  const destroys = (fn: Node | undefined) => !!fn && model.dialect.functionTypes.has(fn.type) && /\b(destroy|abort|end)\s*\(/.test(fn.text);
  return configuration.some(
    (c) =>
      ((c.name === 'on' || c.name === 'once' || c.name === 'addListener') && model.dialect.stringLiteral(c.args[0]) === 'timeout' && destroys(c.args[1])) ||
      (c.name === 'setTimeout' && destroys(c.args[1])),
  );
}

function nodeHttp(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const target = model.jsModules.resolve(call);
  if (!target || !/^https?$/.test(target.module) || !/^(request|get)$/.test(target.member)) return undefined;
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
  if (!creates) return undefined;
  const objects = call.args.map((a) => optionsObject(a, model)).filter((o): o is Node => !!o && o !== 'unknown');
  if (objects.some((o) => objectProperty(o, 'timeout') && !isUndefinedOrEmpty(objectProperty(o, 'timeout'), model))) return undefined;
  const later = laterConfiguration(call.node, model);
  if (later.some((c) => c.name === 'setTimeout' && !disables(c.args[0], model))) return undefined;
  if (handedElsewhere(call.node, model)) return undefined;
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

const AXIOS_CONFIG_INDEX: Record<string, number> = { get: 1, delete: 1, head: 1, options: 1, request: 0, post: 2, put: 2, patch: 2 };

/** `axios.defaults.timeout = ...` anywhere in this project's production code (a workspace fact) bounds every call. */
function axiosDefaultTimeout(model: FileModel, facts: WorkspaceFacts): TimeoutDefault | undefined {
  const project = projectOf(facts, model.file.path);
  return facts.timeoutDefaults.find((d) => d.library === 'axios' && d.project === project);
}

function axiosCall(call: Call, model: FileModel, facts: WorkspaceFacts): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const target = model.jsModules.resolve(call);
  if (target?.module !== 'axios') return undefined;
  const fix = 'Fix: axios.create({ timeout: 10_000 }) (or a timeout in the request config)';
  if (target.member === 'create') {
    const options = optionsObject(call.args[0], model);
    if (options === 'unknown') return undefined;
    const timeout = options ? objectProperty(options, 'timeout') : undefined;
    if (timeout ? !isUndefinedOrEmpty(timeout, model) : options && hasKey(options, 'timeout')) return undefined;
    const later = laterConfiguration(call.node, model);
    if (later.some((c) => c.path === 'defaults.timeout' && c.assigned && !disables(c.assigned, model))) return undefined;
    return {
      node: call.node,
      api: 'axios',
      certainty: jsCertainty(target, target.member),
      message: `axios.create() ${timeout ? 'disables the timeout' : 'without a timeout'}: axios waits forever by default (timeout 0), so a stalled server hangs every call of this instance. ${fix}`,
    };
  }
  const index = target.member === 'default' ? (call.args.length > 1 ? 1 : 0) : AXIOS_CONFIG_INDEX[target.member];
  if (index === undefined) return undefined;
  if (axiosDefaultTimeout(model, facts) || timeoutDefaultsOf(model.file.path, model.file.text).length > 0) return undefined;
  const options = optionsObject(call.args[index], model);
  if (options === 'unknown') return undefined;
  const timeout = options ? objectProperty(options, 'timeout') : undefined;
  if (timeout ? !isUndefinedOrEmpty(timeout, model) : options && hasKey(options, 'timeout')) return undefined;
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
  // got(url) with only a URL is unbounded; an options value we cannot see into might not be.
  const objects = call.args.map((a) => optionsObject(a, model));
  if (objects.slice(1).includes('unknown') || (target.member === 'extend' && objects[0] === 'unknown')) return undefined;
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

const JS_CHECKS = [fetchCall, nodeHttp, netSocket, axiosCall, gotCall, superagentCall, undiciZero];

/** The timeout problem of a call or construction, if its API is in the catalogue and no timeout bounds it. */
export function timeoutProblemAt(call: Call, model: FileModel, facts: WorkspaceFacts = NO_FACTS): TimeoutProblem | undefined {
  for (const check of model.isJava ? JAVA_CHECKS : JS_CHECKS) {
    const problem = check(call, model, facts);
    if (problem) return problem;
  }
  return undefined;
}
