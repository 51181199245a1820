// Java clients that wait forever by default and how each gets a timeout: sockets, HttpURLConnection, Apache
// HttpClient 4 and 5, RestTemplate, JAX-RS, OkHttp (java.net.http in java-net-http-timeouts.ts, Hutool's client in
// hutool-timeouts.ts).
import type { Node } from 'web-tree-sitter';
import { builderCalls, escapeOf, handedElsewhere, initializerOf, laterConfiguration, type Configuration, type Escape } from '../flow/configuration';
import type { WorkspaceFacts } from '../facts/workspace';
import type { FileModel } from '../model';
import { callsOwnCode, type Call } from '../syntax/dialect';
import { certain, possible, type Certainty } from './certainty';
import { hutoolHttp } from './hutool-timeouts';
import { javaHttpClient } from './java-net-http-timeouts';
import { chainRoot, matchJava, urlConnectionCertainty, urlOrigin } from './java-acquisitions';
import { JAVA, javaCloseHelper } from './resources';
import { disables, none, unmet, type Requirement, type TimeoutCheck, type TimeoutProblem } from './timeout-requirements';

const SO_TIMEOUT: Requirement = { label: 'read timeout (setSoTimeout)', setters: /^setSoTimeout$/ };
const URL_CONNECT: Requirement = { label: 'connect timeout (setConnectTimeout)', setters: /^setConnectTimeout$/ };
const URL_READ: Requirement = { label: 'read timeout (setReadTimeout)', setters: /^setReadTimeout$/ };

/**
 * A socket read in this method (its input stream taken) or handed on to code that may read it: passed to a call
 * other than a close helper, or stored where its class may read it. A socket that is only connected (a port probe)
 * or only written to has no read to time out.
 */
function isRead(later: readonly Configuration[], escape: string | undefined, created: Node, model: FileModel): boolean {
  if (later.some((c) => c.name === 'getInputStream' && !unusedStream(c.node, model))) return true;
  if (escape === 'passed') return !passedOnlyToClose(created, model);
  if (escape === 'stored') return !storedButNeverRead(created, model);
  return false;
}

/**
 * `BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream()))` and `in` never used (a
 * try-with-resources closes it, which reads nothing): Red5's shutdown command writes its token and leaves.
 */
function unusedStream(getInputStream: Node, model: FileModel): boolean {
  let n: Node = getInputStream;
  while (n.parent?.type === 'argument_list' && n.parent.parent?.type === 'object_creation_expression') n = n.parent.parent;
  const holder = n.parent;
  if (!holder || (holder.type !== 'variable_declarator' && holder.type !== 'resource') || !holder.childForFieldName('value')?.equals(n)) return false;
  const name = holder.childForFieldName('name')?.text;
  const fn = model.functionOf(getInputStream);
  return !!name && !!fn && model.references(fn, name).every((ref) => ref.startIndex < holder.endIndex);
}

/**
 * A socket whose only hand-overs are to a close helper (`IOUtils.closeQuietly(socket)` in a port probe's finally, as
 * jvm-sandbox's isPortInUsing does) or to a method of this file that only calls methods on it other than
 * getInputStream (ngrinder's `tryConnection(host, port, socket)`, which connects it): nothing reads it.
 */
function passedOnlyToClose(created: Node, model: FileModel): boolean {
  const c = model.dialect.context(created);
  if (c.kind !== 'bind') return false;
  const handed = model
    .references(model.functionOf(created) ?? model.root, c.name)
    .filter((ref) => ref.startIndex > created.startIndex)
    .map((ref) => ({ ref, context: model.dialect.context(ref) }))
    .filter((r) => r.context.kind === 'argument');
  return (
    handed.length > 0 &&
    handed.every(({ ref, context }) => context.kind === 'argument' && (javaCloseHelper(context.call) || readsNothingIn(context.call, ref, model)))
  );
}

/** `helper(..., socket, ...)` of a method of this file (the only one by that name) that never reads its parameter. */
function readsNothingIn(call: Call, argument: Node, model: FileModel): boolean {
  if (call.receiver && call.receiver.type !== 'this') return false;
  const methods = model.methodsNamed(call.name);
  const index = call.args.findIndex((a) => model.dialect.unwrap(a).equals(argument));
  if (methods.length !== 1 || index < 0) return false;
  const parameter = model.dialect.parameterNames(methods[0])[index];
  if (!parameter) return false;
  return model.references(methods[0], parameter).every((ref) => {
    const use = model.dialect.context(ref);
    return use.kind === 'receiver' && use.call.name !== 'getInputStream';
  });
}

/**
 * A socket stored in a field of a class that never reads it: no input stream taken anywhere in the class, and the
 * field neither returned nor handed to other code (Datadog's Jenkins plugin writes log lines to its agent so).
 * Written only, it has no read to time out.
 */
function storedButNeverRead(created: Node, model: FileModel): boolean {
  const c = model.dialect.context(created);
  // Assigned straight to the field (`socket = new Socket(...)`, `this.socket = ...`): a local handed on later is not.
  const local = (name: string) => model.localNames(model.functionOf(created) ?? model.root).has(name);
  const field = c.kind === 'bind' ? (local(c.name) ? undefined : c.name) : c.kind === 'store' ? /^this\.(\w+)$/.exec(c.target.text)?.[1] : undefined;
  let cls: Node | null = created.parent;
  while (cls && cls.type !== 'class_declaration' && cls.type !== 'enum_declaration' && cls.type !== 'record_declaration') cls = cls.parent;
  if (!field || !cls) return false;
  const text = cls.text;
  const name = field.replace(/\$/g, '\\$');
  const handedOut = new RegExp(String.raw`\breturn\s+(this\.)?${name}\b|[(,]\s*(this\.)?${name}\s*[,)]`);
  return !/\bgetInputStream\s*\(/.test(text) && !handedOut.test(text);
}

/**
 * `new Socket(...)`, or a socket factory's `createSocket(...)` (`SocketFactory.getDefault().createSocket(host, port)`):
 * how it names itself in messages, and whether the call itself connects. A socket layered over another one
 * (`sslFactory.createSocket(plain, host, port, true)`) has the timeouts of the one below: not judged here.
 */
function createdSocket(call: Call, model: FileModel): { api: string; connects: boolean; certainty: Certainty } | undefined {
  if (call.kind === 'new') {
    if (call.name !== 'Socket' || model.javaTypes.qualify(call.typeQualifier ? `${call.typeQualifier}.Socket` : 'Socket') !== 'java.net.Socket') return undefined;
    return { api: 'java.net.Socket', connects: call.args.length >= 2, certainty: certain('java.net.Socket, resolved from the imports, read with no read timeout set') };
  }
  if (call.name !== 'createSocket' || !call.receiver) return undefined;
  const match = matchJava(call, model);
  if (!match || match.certainty.confidence !== 'certain' || (match.kind !== JAVA.socket && match.kind !== JAVA.sslSocket)) return undefined;
  return { api: 'javax.net.SocketFactory', connects: call.args.length >= 2, certainty: certain(`${match.certainty.basis}, read with no read timeout set`) };
}

function javaSocket(call: Call, model: FileModel): TimeoutProblem | undefined {
  const created = createdSocket(call, model);
  if (!created) return undefined;
  const later = laterConfiguration(call.node, model);
  const connects = later.filter((c) => c.name === 'connect');
  const connectsInConstructor = created.connects;
  const connected = connectsInConstructor || connects.length > 0;
  const noConnectTimeout = connectsInConstructor || connects.some((c) => c.args.length < 2 || disables(c.args[1], model));
  const fix =
    created.api === 'java.net.Socket'
      ? 'Fix: Socket socket = new Socket(); socket.connect(new InetSocketAddress(host, port), 5_000); socket.setSoTimeout(10_000);'
      : 'Fix: Socket socket = factory.createSocket(); socket.connect(new InetSocketAddress(host, port), 5_000); socket.setSoTimeout(10_000);';
  // A socket returned (a factory), or handed on before it is even connected, gets its timeouts from whoever uses
  // it: it is judged there.
  const escape = escapeOf(call.node, model);
  if (escape === 'returned' || (escape && !connected)) return undefined;
  if (unmet([SO_TIMEOUT], later, model).length > 0 && isRead(later, escape, call.node, model)) {
    return {
      node: call.node,
      api: created.api,
      certainty: created.certainty,
      message: `Socket has no read timeout (setSoTimeout)${noConnectTimeout ? ' and no connect timeout' : ''}: a peer that stops answering blocks this thread forever. ${fix}`,
    };
  }
  // Only the connect can still wait, and the operating system bounds that (minutes, not forever).
  if (!connected || !noConnectTimeout) return undefined;
  return {
    node: call.node,
    api: created.api,
    certainty: possible('nothing reads it without a timeout; only the connect waits, for as long as the operating system allows'),
    message: `Socket connects without a connect timeout: a host that drops packets holds this thread until the operating system gives up (minutes). ${fix}`,
  };
}

/** Calls that wait for the response of an HttpURLConnection: with no read timeout, for ever. */
export const READS_RESPONSE = /^(getInputStream|getErrorStream|getResponseCode|getResponseMessage|getHeaderField\w*|getContent\w*|getLastModified|getDate|getExpiration)$/;

function urlConnection(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call' || call.name !== 'openConnection' || call.args.length > 1) return undefined;
  const certainty = urlConnectionCertainty(call, model);
  if (!certainty) return undefined;
  const later = laterConfiguration(call.node, model);
  const missing = unmet([URL_CONNECT, URL_READ], later, model);
  if (missing.length === 0) return undefined;
  // A connection returned, stored or passed on may get its timeouts there: it is judged where it is used.
  if (handedElsewhere(call.node, model)) return undefined;
  const fix = 'Fix: conn.setConnectTimeout(5_000); conn.setReadTimeout(10_000);';
  const readsResponse = later.some((c) => READS_RESPONSE.test(c.name));
  if (missing.includes(URL_READ) && readsResponse) {
    return {
      node: call.node,
      api: 'HttpURLConnection',
      certainty,
      message: `HttpURLConnection has ${none(missing)}: the default is 0, wait forever, so a stalled server blocks this thread. ${fix}`,
    };
  }
  // No response read here, or only the connect unbounded: the operating system gives up on a connect in minutes.
  if (!missing.includes(URL_CONNECT)) return undefined;
  return {
    node: call.node,
    api: 'HttpURLConnection',
    certainty: possible(`${certainty.basis}; only the connect is unbounded here, and the operating system bounds it (minutes)`),
    message: `HttpURLConnection has no connect timeout (setConnectTimeout): a host that drops packets holds this thread until the operating system gives up (minutes). ${fix}`,
  };
}

/**
 * `url.openStream()`: openConnection().getInputStream() with the JDK's defaults (0: wait forever), and no way to give
 * it a timeout. Never for a resource's or a file's URL (urlConnectionCertainty); certain only for an http(s) URL
 * written here: unlike openConnection(), openStream() reads files, jars and configured locations as often as the
 * network (36 such calls in the evaluated repositories: a CLI's import paths, Jena's model locations, Struts' source
 * snippets), so a URL built from some other string is strict only.
 */
function urlOpenStream(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call' || call.name !== 'openStream' || call.args.length > 0 || !call.receiver) return undefined;
  const resolved = urlConnectionCertainty(call, model);
  if (!resolved) return undefined;
  const certainty = /['"]https?:\/\//.test(urlOrigin(call.receiver, model).text) ? certain('opens an http(s) URL') : possible(`${resolved.basis}; openStream() reads files and resources as often as the network`);
  return {
    node: call.node,
    api: 'URL.openStream()',
    certainty,
    message:
      'URL.openStream() opens the connection with no connect or read timeout (the default is 0, wait forever) and cannot be given one, so a stalled server blocks this thread. Fix: URLConnection conn = url.openConnection(); conn.setConnectTimeout(5_000); conn.setReadTimeout(10_000); then read conn.getInputStream()',
  };
}

/**
 * How sure a missing timeout makes us: a missing read (socket, response) timeout waits forever; a missing connect
 * or pool-lease timeout is bounded by the operating system or by the other timeouts, so it is a strict-profile
 * finding. A client returned or handed to another component (a factory, a library's builder) may get its timeouts
 * per request where it is used.
 */
function grade(resolved: Certainty, missing: readonly Requirement[], reads: readonly Requirement[], escape?: Escape): Certainty {
  if (!missing.some((r) => reads.includes(r))) {
    return possible(`${resolved.basis}; only the connect or pool wait is unbounded, which the operating system or the other timeouts bound`);
  }
  if (escape === 'returned' || escape === 'passed') {
    return possible(`${resolved.basis}; ${escape === 'returned' ? 'returned to its callers' : 'handed to another component'}, which may set timeouts on each request`);
  }
  return resolved;
}

const APACHE4_SOCKET: Requirement = { label: 'socket timeout', setters: /^setSocketTimeout$/ };
const APACHE4_CONFIG: Requirement[] = [
  { label: 'connect timeout', setters: /^setConnectTimeout$/ },
  APACHE4_SOCKET,
  { label: 'connection-request timeout', setters: /^setConnectionRequestTimeout$/ },
];
const APACHE5_RESPONSE: Requirement = { label: 'response timeout', setters: /^setResponseTimeout$/ };
const APACHE5_CONFIG: Requirement[] = [
  { label: 'connect timeout', setters: /^(setConnectTimeout|setConnectionManager)$/ },
  APACHE5_RESPONSE,
  { label: 'connection-request timeout', setters: /^setConnectionRequestTimeout$/ },
];
const APACHE4_FIX =
  'Fix: HttpClients.custom().setDefaultRequestConfig(RequestConfig.custom().setConnectTimeout(5_000).setSocketTimeout(10_000).setConnectionRequestTimeout(5_000).build()).build()';
const APACHE5_FIX = 'Fix: HttpClients.custom().setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build()).build()';

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
  if (callsOwnCode(c)) {
    for (const method of model.methodsNamed(c.name)) {
      const returned = method.descendantsOfType('return_statement')[0]?.namedChildren[0];
      if (returned) return requestConfigCalls(returned, model, depth + 1);
    }
  }
  return undefined;
}

/**
 * Per-request configuration anywhere in the file (`request.setConfig(config)`, a context's request config) that
 * may set a timeout: one whose config we cannot follow, or one that sets a timeout. A config that only names a
 * proxy (dinky's HttpUtils) bounds nothing.
 */
function configuresPerRequest(model: FileModel): boolean {
  if (!/\.set(Request)?Config\s*\(/.test(model.file.text)) return false;
  return ['setConfig', 'setRequestConfig'].some((name) =>
    model.callsNamed(name).some(({ call }) => {
      const calls = call.args[0] ? requestConfigCalls(call.args[0], model) : [];
      return !calls || calls.some((c) => /Timeout$/.test(c.name) && !disables(c.args[0], model));
    }),
  );
}

/**
 * `builder.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(t).build())` (HttpClient 4) bounds every read
 * as RequestConfig's socket timeout does: counted as a `setSocketTimeout(t)`.
 */
function socketConfigTimeouts(calls: readonly Configuration[], model: FileModel): Configuration[] {
  const socketConfig = calls.find((c) => c.name === 'setDefaultSocketConfig')?.args[0];
  const made = socketConfig ? model.dialect.call(model.dialect.unwrap(socketConfig)) : null;
  if (made?.name !== 'build') return [];
  return builderCalls(made, model)
    .filter((c) => c.name === 'setSoTimeout')
    .map((c) => ({ ...c, name: 'setSocketTimeout' }));
}

/** Setters of a connection manager that may bound its sockets' reads (a SocketConfig's or a ConnectionConfig's timeout). */
const MANAGER_TIMEOUTS = /^(setDefaultSocketConfig|setDefaultConnectionConfig|setSocketConfigResolver|setConnectionConfigResolver)$/;

/**
 * A connection manager given to the builder may bound every read without a RequestConfig: its SocketConfig's
 * soTimeout, or (HttpClient 5) its ConnectionConfig's socket timeout (gravitino's HTTPClient). Judged unbounded only
 * when it is made in sight with neither: `new PoolingHttpClientConnectionManager()`, or a manager builder's chain
 * or later calls that set none. One made by a method or handed in is taken to be configured there.
 */
function connectionManagerMayBound(calls: readonly Configuration[], model: FileModel): boolean {
  const given = calls.find((c) => c.name === 'setConnectionManager')?.args[0];
  if (!given) return false;
  const node = model.dialect.unwrap(given);
  const made = node.type === 'identifier' ? initializerOf(node.text, node, model) : node;
  const call = made ? model.dialect.call(model.dialect.unwrap(made)) : null;
  if (call?.kind === 'new' && /ConnectionManager$/.test(call.name)) return laterConfiguration(call.node, model).some((c) => MANAGER_TIMEOUTS.test(c.name));
  if (call?.kind !== 'call' || call.name !== 'build') return true;
  const chain = builderCalls(call, model);
  const startsManager = chain.some((c) => {
    const started = /^(create|custom)$/.test(c.name) ? model.dialect.call(c.node) : null;
    return !!started && /ConnectionManagerBuilder$/.test(receiverText(started, model));
  });
  return !startsManager || chain.some((c) => MANAGER_TIMEOUTS.test(c.name));
}

/** The receiver's text, read only once a call's name matched: reading it for every call of a file is what costs. */
export function receiverText(call: Call, model: FileModel): string {
  return call.receiver ? model.dialect.unwrap(call.receiver).text : '';
}

/** `HttpClients.custom()`, `HttpClientBuilder.create()` (CachingHttpClients too): a builder with nothing set yet. */
function startsBuilder(configuration: Configuration, model: FileModel): boolean {
  if (configuration.name !== 'custom' && configuration.name !== 'create') return false;
  const call = model.dialect.call(configuration.node);
  return !!call && /(^|\.)(\w*HttpClients|HttpClientBuilder)$/.test(receiverText(call, model));
}

function apacheClient(call: Call, model: FileModel): TimeoutProblem | undefined {
  const v5 = () => isApache5(model);
  const fix = () => (v5() ? APACHE5_FIX : APACHE4_FIX);
  const config = () => (v5() ? APACHE5_CONFIG : APACHE4_CONFIG);
  const reads = () => [v5() ? APACHE5_RESPONSE : APACHE4_SOCKET];
  // HttpClient 5 bounds connects and pool leases at 3 minutes by default: only the response wait is unbounded.
  const noConfig = () =>
    v5()
      ? 'no response timeout, so a stalled server blocks the calling thread forever (HttpClient 5 bounds connects and pool leases at 3 minutes by default)'
      : 'no connect, socket or connection-request timeout, so a stalled server or an exhausted pool blocks the calling thread forever';
  const factory = call.kind === 'call' && /^(createDefault|createSystem|createMinimal)$/.test(call.name) ? model.javaTypes.qualify(receiverText(call, model)) : '';
  if (APACHE_HTTP_CLIENTS.test(factory)) {
    if (configuresPerRequest(model)) return undefined;
    return {
      node: call.node,
      api: 'Apache HttpClient',
      certainty: grade(certain(`${factory}.${call.name}(), resolved from the imports`), reads(), reads(), escapeOf(call.node, model)),
      message: `HttpClients.${call.name}() sets ${noConfig()}. ${fix()}`,
    };
  }
  const constructed = call.kind === 'new' ? model.javaTypes.qualify(call.typeQualifier ? `${call.typeQualifier}.${call.name}` : call.name) : '';
  if (/^org\.apache\.http\.impl\.client\.(DefaultHttpClient|SystemDefaultHttpClient)$/.test(constructed)) {
    const fn = model.functionOf(call.node);
    const scopeText = (fn ?? model.root).text;
    if (/setConnectionTimeout|setSoTimeout|CONNECTION_TIMEOUT|SO_TIMEOUT/.test(scopeText) || configuresPerRequest(model)) return undefined;
    return {
      node: call.node,
      api: 'Apache HttpClient',
      certainty: grade(certain(`${constructed}, resolved from the imports`), [APACHE4_SOCKET], [APACHE4_SOCKET], escapeOf(call.node, model)),
      message: `new ${call.name}() sets no timeouts: connect and socket timeouts default to infinite, so a stalled server blocks the calling thread forever. ${APACHE4_FIX}`,
    };
  }
  if (call.kind !== 'call' || call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (!/^org\.apache\.(http\.impl\.client|hc\.client5\.http\.impl\.classic)\.CloseableHttpClient$/.test(type)) return undefined;
  const resolved = certain(`builds a ${type}`);
  const escape = escapeOf(call.node, model);
  const calls = builderCalls(call, model);
  // A builder a project method or a caller hands over (`Clients.builder().disableCookieManagement()`) was configured
  // there, out of sight: only one started here (HttpClients.custom(), HttpClientBuilder.create()) is judged (slack-plugin).
  if (!calls.some((c) => startsBuilder(c, model))) return undefined;
  const setConfig = calls.find((c) => c.name === 'setDefaultRequestConfig');
  if (!setConfig) {
    if (configuresPerRequest(model)) return undefined;
    if (socketConfigTimeouts(calls, model).length > 0 || connectionManagerMayBound(calls, model)) return undefined;
    return {
      node: call.node,
      api: 'Apache HttpClient',
      certainty: grade(resolved, reads(), reads(), escape),
      message: `HttpClient is built without setDefaultRequestConfig(...): ${noConfig()}. ${fix()}`,
    };
  }
  const configCalls = setConfig.args[0] ? requestConfigCalls(setConfig.args[0], model) : undefined;
  if (!configCalls) return undefined;
  const connectionConfigured = calls.some((c) => c.name === 'setConnectionManager');
  const missing = unmet(config(), [...configCalls, ...(connectionConfigured ? calls : []), ...socketConfigTimeouts(calls, model)], model);
  if (missing.length === 0) return undefined;
  return {
    node: call.node,
    api: 'Apache HttpClient',
    certainty: grade(resolved, missing, reads(), escape),
    message: `HttpClient's RequestConfig sets ${none(missing)}: that wait is unbounded, so a stalled server or an exhausted pool blocks the calling thread. ${fix()}`,
  };
}

const REST_TEMPLATE = 'org.springframework.web.client.RestTemplate';
/** RestTemplate and its subclasses that keep its default request factory (Spring Security OAuth's, for token checks). */
const REST_TEMPLATE_CLASSES = new Map([
  ['RestTemplate', REST_TEMPLATE],
  ['OAuth2RestTemplate', 'org.springframework.security.oauth2.client.OAuth2RestTemplate'],
]);
/** RestTemplate's methods that send a request. */
const REST_REQUEST = /^(getFor\w+|headFor\w+|postFor\w+|put|patchForObject|delete|optionsForAllow|exchange|execute)$/;
const REST_READ: Requirement = { label: 'read timeout', setters: /^(setReadTimeout|readTimeout)$/ };
const REST_TEMPLATE_BUILDER: Requirement[] = [{ label: 'connect timeout', setters: /^(setConnectTimeout|connectTimeout)$/ }, REST_READ];
const FACTORY_READ: Requirement = { label: 'read timeout', setters: /^(setReadTimeout|setConnectionRequestTimeout)$/ };
const FACTORY_TIMEOUTS: Requirement[] = [{ label: 'connect timeout', setters: /^setConnectTimeout$/ }, FACTORY_READ];

function restTemplate(call: Call, model: FileModel, facts: WorkspaceFacts): TimeoutProblem | undefined {
  const fix =
    'Fix: restTemplateBuilder.connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build(), or a request factory with setConnectTimeout/setReadTimeout';
  const template = call.kind === 'new' ? REST_TEMPLATE_CLASSES.get(call.name) : undefined;
  const constructed = template ? model.javaTypes.qualify(call.typeQualifier ? `${call.typeQualifier}.${call.name}` : call.name) : '';
  if (template && constructed === template) {
    // `new RestTemplate().getMessageConverters()`: made for its defaults, thrown away, it sends nothing (lamp-cloud).
    const context = model.dialect.context(call.node);
    if (context.kind === 'receiver' && !REST_REQUEST.test(context.call.name)) return undefined;
    const resolved = certain(`${template}, resolved from the imports`);
    // The request factory: given to a RestTemplate's constructor (an OAuth2RestTemplate's takes the resource), or
    // installed later (`restTemplate.setRequestFactory(factory)`).
    const given = template === REST_TEMPLATE ? call.args[0] : undefined;
    const factoryArg = given ?? laterConfiguration(call.node, model).find((c) => c.name === 'setRequestFactory')?.args[0];
    if (!factoryArg) {
      return {
        node: call.node,
        api: 'RestTemplate',
        certainty: resolved,
        message: `new ${call.name}() uses SimpleClientHttpRequestFactory with no connect or read timeout: a stalled server blocks the calling thread forever. ${fix}`,
      };
    }
    const factory = model.dialect.unwrap(factoryArg);
    const created = factory.type === 'identifier' ? initializerOf(factory.text, factory, model) : factory;
    const createdCall = created ? model.dialect.call(model.dialect.unwrap(created)) : null;
    if (createdCall?.kind !== 'new' || !/^(SimpleClientHttpRequestFactory|HttpComponentsClientHttpRequestFactory)$/.test(createdCall.name)) return undefined;
    // `new HttpComponentsClientHttpRequestFactory(httpClient)`, or `factory.setHttpClient(httpClient)` later: the
    // client's own configuration bounds the requests, and that client is judged where it is built (nakadi).
    if (createdCall.args.length > 0) return undefined;
    const configuration = laterConfiguration(createdCall.node, model);
    if (configuration.some((c) => c.name === 'setHttpClient')) return undefined;
    const missing = unmet(FACTORY_TIMEOUTS, configuration, model);
    if (missing.length === 0) return undefined;
    return {
      node: call.node,
      api: 'RestTemplate',
      certainty: grade(resolved, missing, [FACTORY_READ]),
      message: `RestTemplate's ${createdCall.name} has ${none(missing)}: a stalled server blocks the calling thread. ${fix}`,
    };
  }
  if (call.kind !== 'call' || call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (type !== REST_TEMPLATE) return undefined;
  const missing = unmet(REST_TEMPLATE_BUILDER, builderCalls(call, model), model);
  if (missing.length === 0 || (injectedBuilder(call, model) && facts.timeoutDefaults.some((d) => d.library === 'spring-rest-template-builder'))) {
    return undefined;
  }
  return {
    node: call.node,
    api: 'RestTemplate',
    certainty: grade(certain(`builds a ${REST_TEMPLATE}`), missing, [REST_READ]),
    message: `RestTemplate is built with ${none(missing)}: a stalled server blocks the calling thread. ${fix}`,
  };
}

/**
 * `restTemplateBuilder.build()` on a builder Spring injects (a parameter or a field with no initializer): it is the
 * application's RestTemplateBuilder bean, which the workspace may configure (see TimeoutDefault); not `new
 * RestTemplateBuilder()`, nor `RestTemplateBuilder.builder()`.
 */
function injectedBuilder(call: Call, model: FileModel): boolean {
  const holder = builderOrigin(call, model).receiver;
  const name = holder && model.dialect.unwrap(holder);
  return name?.type === 'identifier' && !initializerOf(name.text, name, model);
}

const JAXRS_READ: Requirement = { label: 'read timeout', setters: /^readTimeout$/ };
const JAXRS: Requirement[] = [{ label: 'connect timeout', setters: /^connectTimeout$/ }, JAXRS_READ];

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

/** What configures a `ClientConfig` handed to `newClient(config)` / `newBuilder().withConfig(config)`. */
function clientConfigCalls(arg: Node | undefined, model: FileModel): Configuration[] {
  if (!arg) return [];
  const node = model.dialect.unwrap(arg);
  if (node.type !== 'identifier') {
    const created = model.dialect.call(node);
    return created ? [...builderCalls(created, model), ...laterConfiguration(node, model)] : [];
  }
  // A config variable (or field) set up in this method: every call made on it here counts.
  const calls: Configuration[] = [];
  for (const ref of model.references(model.functionOf(node) ?? model.root, node.text)) {
    const c = model.dialect.context(ref);
    if (c.kind === 'receiver') calls.push({ name: c.call.name, args: c.call.args, node: c.call.node });
  }
  const created = initializerOf(node.text, node, model);
  const createdCall = created ? model.dialect.call(model.dialect.unwrap(created)) : null;
  return [...calls, ...(createdCall ? builderCalls(createdCall, model) : []), ...(created ? laterConfiguration(created, model) : [])];
}

/**
 * The first call of a builder chain, through the variables that hold the builder on the way: `b.build()` after
 * `ClientBuilder b = ClientBuilder.newBuilder().register(x);` starts at `ClientBuilder.newBuilder()`.
 */
export function builderOrigin(call: Call, model: FileModel): Call {
  let root = chainRoot(call, model);
  for (let depth = 0; depth < 3 && root.receiver; depth++) {
    const holder = model.dialect.unwrap(root.receiver);
    if (holder.type !== 'identifier') break;
    const init = initializerOf(holder.text, holder, model);
    const created = init ? model.dialect.call(model.dialect.unwrap(init)) : null;
    if (!created) break;
    root = chainRoot(created, model);
  }
  return root;
}

function jaxrsClient(call: Call, model: FileModel): TimeoutProblem | undefined {
  const fix = 'Fix: ClientBuilder.newBuilder().connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS).build()';
  if (call.kind !== 'call' || (call.name !== 'newClient' && call.name !== 'build')) return undefined;
  const root = call.name === 'newClient' ? call : builderOrigin(call, model);
  const builder = root.receiver ? model.javaTypes.qualify(model.dialect.unwrap(root.receiver).text) : '';
  if (!/^(javax|jakarta)\.ws\.rs\.client\.ClientBuilder$/.test(builder)) return undefined;
  const calls = call.name === 'build' ? builderCalls(call, model) : [];
  const configs = [call, ...calls].flatMap((c) => (c.name === 'newClient' || c.name === 'withConfig' ? clientConfigCalls(c.args[0], model) : []));
  const later = laterConfiguration(call.node, model);
  const missing = unmet(JAXRS, jaxrsProperties([...calls, ...configs, ...later]).concat(calls), model);
  if (missing.length === 0) return undefined;
  return {
    // A builder held in a variable is reported where it is created: that is where the timeouts go.
    node: root.node.endIndex < call.node.startIndex ? root.node : call.node,
    api: 'JAX-RS Client',
    certainty: grade(certain(`a ${builder}, resolved from the imports`), missing, [JAXRS_READ]),
    message: `JAX-RS Client has ${none(missing)}: most implementations default to waiting forever. ${fix}`,
  };
}

const OKHTTP_TIMEOUTS = /^(connectTimeout|readTimeout|writeTimeout)$/;

function okHttp(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call' || call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (type !== 'okhttp3.OkHttpClient') return undefined;
  const calls = builderCalls(call, model);
  // A call timeout bounds the whole call (connect, write, the server's wait, the body), whatever the phases say.
  if (calls.some((c) => c.name === 'callTimeout' && c.args[0] && !disables(c.args[0], model))) return undefined;
  const disabled = calls.filter((c) => OKHTTP_TIMEOUTS.test(c.name) && disables(c.args[0], model));
  if (disabled.length === 0) return undefined;
  const names = [...new Set(disabled.map((c) => c.name))];
  // `.readTimeout(0, ...)` and then `if (readTimeout != null) builder.readTimeout(readTimeout, ...)`: none is the
  // default of a client its users configure (docker-java's, for Docker's streaming endpoints), not a decision.
  const replaced = names.every((name) => calls.some((c) => c.name === name && c.args[0] && !disables(c.args[0], model)));
  return {
    node: call.node,
    api: 'OkHttp',
    certainty: replaced
      ? possible('builds an okhttp3.OkHttpClient; the disabled timeout is only a default that a configured value replaces')
      : certain('builds an okhttp3.OkHttpClient'),
    message: `OkHttpClient ${names.map((n) => `${n}(0)`).join(', ')} disables ${names.length > 1 ? 'those timeouts' : 'that timeout'} (0 means none; the default is 10 s): a stalled server blocks the call forever. Fix: keep the default or set a positive duration, e.g. .readTimeout(Duration.ofSeconds(10))`,
  };
}

/** A call name a check starts from is also in java-call-names.ts' TIMED: files that call none are not walked. */
export const JAVA_CHECKS: readonly TimeoutCheck[] = [javaSocket, urlConnection, urlOpenStream, apacheClient, javaHttpClient, restTemplate, jaxrsClient, okHttp, hutoolHttp];
