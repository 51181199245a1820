// Which Java calls acquire a network resource, and how sure we are: a name counts as a library type only when the
// file's imports resolve it (a project's own `Socket` or `execute` is none of ours); a call on a receiver whose
// type cannot be seen is a guess (`possible`), shown only by the strict profile.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import { laterConfiguration } from '../flow/configuration';
import type { Call } from '../syntax/dialect';
import { certain, possible, resolvedType, type Certainty } from './certainty';
import { isHutoolRequest } from './hutool-timeouts';
import { MENTIONS_JAXRS } from './java-call-names';
import { JAVA, type ResourceKind } from './resources';

export interface JavaMatch {
  readonly kind: ResourceKind;
  readonly certainty: Certainty;
  /** For resources handed to a callback method (`completed(Response)`): the method that receives them. */
  readonly callback?: Node;
  /** Which of the callback's parameters holds the resource (0 when absent): `onResponse(Call, Response)` says 1. */
  readonly parameter?: number;
}

/** Constructions that open a resource, by the fully qualified type constructed. */
const CONSTRUCTED: Record<string, ResourceKind> = {
  'java.net.Socket': JAVA.socket,
  'java.net.ServerSocket': JAVA.serverSocket,
  'java.net.DatagramSocket': JAVA.datagramSocket,
  'java.net.MulticastSocket': JAVA.datagramSocket,
  'org.apache.http.impl.client.DefaultHttpClient': JAVA.apacheClient4,
  'org.apache.http.impl.client.SystemDefaultHttpClient': JAVA.apacheClient4,
  'redis.clients.jedis.Jedis': JAVA.jedis,
};

/** Pools that lend a Jedis from `getResource()`. */
const JEDIS_POOL = /^redis\.clients\.(jedis\.(JedisPool|JedisSentinelPool|util\.Pool)|util\.Pool)$/;

/** `X.open()` factories, by the fully qualified type of `X`. */
const OPENED: Record<string, ResourceKind> = {
  'java.nio.channels.SocketChannel': JAVA.socketChannel,
  'java.nio.channels.AsynchronousSocketChannel': JAVA.asyncSocketChannel,
  'java.nio.channels.ServerSocketChannel': JAVA.serverSocketChannel,
  'java.nio.channels.AsynchronousServerSocketChannel': JAVA.asyncServerSocketChannel,
  'java.nio.channels.DatagramChannel': JAVA.datagramChannel,
  'java.nio.channels.Selector': JAVA.selector,
};

/** What `build()`/`execute()` produce, by the fully qualified type of the result. */
const BUILT: Record<string, ResourceKind> = {
  'org.apache.http.impl.client.CloseableHttpClient': JAVA.apacheClient4,
  'org.apache.hc.client5.http.impl.classic.CloseableHttpClient': JAVA.apacheClient5,
  'javax.ws.rs.client.Client': JAVA.jaxrsClient,
  'jakarta.ws.rs.client.Client': JAVA.jaxrsClient,
};

/** A java.net.http client has close() only from Java 21, and an unreferenced one stops its selector thread itself. */
const JAVA_HTTP_CLIENT = possible('java.net.http.HttpClient: closeable only from Java 21, and collected with its selector thread when unreferenced');

const APACHE_CLIENT = /^org\.apache\.(http\.(impl\.)?client|hc\.client5\.http\.(impl\.)?classic)\.(Closeable)?HttpClient$|^org\.apache\.http\.impl\.client\.(DefaultHttpClient|SystemDefaultHttpClient|AbstractHttpClient|InternalHttpClient)$/;
const APACHE_RESPONSE = /^org\.apache\.(http\.client\.methods\.CloseableHttpResponse|http\.HttpResponse|hc\.client5\.http\.impl\.classic\.CloseableHttpResponse|hc\.core5\.http\.ClassicHttpResponse)$/;
const JAXRS_INVOKER = /^(javax|jakarta)\.ws\.rs\.client\.(Invocation\.Builder|SyncInvoker|Invocation)$/;
const JAXRS_BUILDER = /^((javax|jakarta)\.ws\.rs\.client\.ClientBuilder|org\.glassfish\.jersey\.client\.JerseyClientBuilder)$/;

function typeOf(node: Node, model: FileModel): string {
  return model.javaTypes.typeOf(node, model.functionOf(node)) ?? '';
}

/** The written receiver as a type name, for static calls (`HttpClients.createDefault()`). */
function receiverName(call: Call, model: FileModel): string {
  return call.receiver ? model.dialect.unwrap(call.receiver).text.replace(/\s+/g, '') : '';
}

/** `apache 4` or `5` from the package of a resolved type. */
function apacheVersion(type: string): 4 | 5 {
  return type.startsWith('org.apache.hc.') ? 5 : 4;
}

function isResponseHandler(arg: Node, model: FileModel): boolean {
  const node = model.dialect.unwrap(arg);
  if (node.type === 'lambda_expression' || node.type === 'method_reference') return true;
  if (/handler/i.test(node.text)) return true;
  const type = node.type === 'identifier' ? model.javaTypes.typeOfName(node.text, model.functionOf(arg)) : undefined;
  return !!type && /Handler/.test(type);
}

const JAXRS_VERBS = /^(get|post|put|delete|head|options|trace|method|invoke|patch)$/;

/**
 * A JAX-RS invocation needs an `Invocation.Builder`/`SyncInvoker` type or a `.request(` chain, and either is spelt
 * out in the file. Without one, the `get(...)` calls of maps and optionals (everywhere) need no type inference.
 */
const mentionsJaxrs = new WeakMap<FileModel, boolean>();
function mayInvokeJaxrs(model: FileModel): boolean {
  let mentions = mentionsJaxrs.get(model);
  if (mentions === undefined) {
    mentions = MENTIONS_JAXRS.test(model.file.text);
    mentionsJaxrs.set(model, mentions);
  }
  return mentions;
}

/**
 * `invocation.async().post(entity, new InvocationCallback<Response>() { completed(Response r) {...} })`: the Response
 * is delivered to `completed`, which must close it. A callback typed with an entity (`InvocationCallback<JsonObject>`)
 * gets the entity read and the Response closed by the client; so does `get(JsonObject.class)`.
 */
function jaxrsCallback(call: Call, model: FileModel): { typedResponse: boolean; completed?: Node } | undefined {
  const last = call.args[call.args.length - 1];
  const node = last && model.dialect.unwrap(last);
  if (!node || !/InvocationCallback/.test(node.text.slice(0, 200))) return undefined;
  const type = /InvocationCallback\s*<\s*([\w.]+)/.exec(node.text)?.[1] ?? '';
  if (!/(^|\.)Response$/.test(type)) return { typedResponse: false };
  const completed = node.descendantsOfType('method_declaration').find((m) => m?.childForFieldName('name')?.text === 'completed');
  return { typedResponse: true, ...(completed ? { completed } : {}) };
}

function jaxrsInvocation(call: Call, model: FileModel): JavaMatch | undefined {
  if (!call.receiver || !mayInvokeJaxrs(model)) return undefined;
  // `get(String.class)` returns the entity, only the untyped forms return a Response to close.
  if (call.args.some((a) => /\.class$|GenericType/.test(a.text))) return undefined;
  if (call.name === 'invoke' && call.args.length > 0) return undefined;
  const receiverType = typeOf(call.receiver, model);
  let certainty: Certainty | undefined;
  if (JAXRS_INVOKER.test(receiverType)) certainty = certain(`${receiverType}, resolved from the declarations`);
  else if (!/\.request\(/.test(call.receiver.text) || chainRoot(call, model).name === 'newCall') return undefined;
  else if (model.javaTypes.importsFrom('javax.ws.rs.') || model.javaTypes.importsFrom('jakarta.ws.rs.')) {
    certainty = certain('a JAX-RS request chain (the file imports javax/jakarta.ws.rs)');
  } else certainty = possible('a `.request(...)` chain taken for JAX-RS: the file imports no JAX-RS type');
  const callback = jaxrsCallback(call, model);
  // Without a callback, get(), delete(), head(), options() and trace() return a Response only when given no argument
  // (`get(type)` returns the entity; Vert.x's `ctx.request().headers().get(name)` reads a header).
  if (!callback && /^(get|delete|head|options|trace)$/.test(call.name) && call.args.length > 0) return undefined;
  if (callback && !callback.typedResponse) return undefined;
  if (callback?.completed) return { kind: JAVA.jaxrsResponse, certainty, callback: callback.completed };
  // An async call without a callback hands back a Future<Response>: whoever gets it closes the Response.
  if (/\.async\(\)/.test(call.receiver.text) && !callback) return undefined;
  return { kind: JAVA.jaxrsResponse, certainty };
}

/**
 * `call.enqueue(new Callback() { onResponse(Call c, Response response) {...} })`: OkHttp hands the Response to
 * onResponse, which must close it (the body, or the response itself).
 */
function okHttpEnqueue(call: Call, model: FileModel): JavaMatch | undefined {
  const callback = call.args.length === 1 ? model.dialect.unwrap(call.args[0]) : undefined;
  if (callback?.type !== 'object_creation_expression') return undefined;
  const onResponse = callback
    .descendantsOfType('method_declaration')
    .find((m) => m?.childForFieldName('name')?.text === 'onResponse' && model.dialect.parameterNames(m).length === 2);
  if (!onResponse) return undefined;
  const match = okHttpExecute(call, model);
  return match && { ...match, callback: onResponse, parameter: 1 };
}

/** The left-most receiver of a call chain: `HttpClients` in `HttpClients.custom().setX().build()`. */
export function chainRoot(call: Call, model: FileModel): Call {
  let current = call;
  for (let receiver = current.receiver; receiver; receiver = current.receiver) {
    const inner = model.dialect.call(model.dialect.unwrap(receiver));
    if (!inner) break;
    current = inner;
  }
  return current;
}

function okHttpExecute(call: Call, model: FileModel): JavaMatch | undefined {
  if (!call.receiver) return undefined;
  const receiverType = typeOf(call.receiver, model);
  if (receiverType === 'okhttp3.Call') return { kind: JAVA.okHttpResponse, certainty: certain('okhttp3.Call, resolved from the declarations') };
  const receiverCall = model.dialect.call(model.dialect.unwrap(call.receiver));
  if (receiverCall?.name !== 'newCall') return undefined;
  if (model.javaTypes.importsFrom('okhttp3.')) return { kind: JAVA.okHttpResponse, certainty: certain('an OkHttp call (the file imports okhttp3)') };
  return { kind: JAVA.okHttpResponse, certainty: possible('`newCall(...).execute()` taken for OkHttp: the file imports no okhttp3 type') };
}

function apacheExecute(call: Call, model: FileModel): JavaMatch | undefined {
  if (!call.receiver || call.args.some((a) => isResponseHandler(a, model))) return undefined;
  const receiverType = typeOf(call.receiver, model);
  if (APACHE_CLIENT.test(receiverType)) {
    const kind = apacheVersion(receiverType) === 5 ? JAVA.apacheResponse5 : JAVA.apacheResponse4;
    return { kind, certainty: certain(`${receiverType}.execute, resolved from the declarations`) };
  }
  const declared = model.dialect.context(call.node);
  const declaredType = declared.kind === 'bind' && declared.typeText ? model.javaTypes.qualify(declared.typeText) : '';
  if (APACHE_RESPONSE.test(declaredType)) {
    const kind = apacheVersion(declaredType) === 5 ? JAVA.apacheResponse5 : JAVA.apacheResponse4;
    return { kind, certainty: certain(`assigned to a ${declaredType}`) };
  }
  // A receiver of a known type that is no Apache client (an executor, a Vert.x client, a command) executes nothing of ours.
  if (receiverType) return undefined;
  if (/client/i.test(call.receiver.text) && model.javaTypes.importsFrom('org.apache.')) {
    const kind = model.javaTypes.importsFrom('org.apache.hc.') ? JAVA.apacheResponse5 : JAVA.apacheResponse4;
    return { kind, certainty: possible(`\`${call.receiver.text}.execute(...)\` taken for Apache HttpClient: the receiver's type is not visible here`) };
  }
  return undefined;
}

/** `createSocket()`/`createServerSocket()` on a socket factory, or something only named like one. */
function factorySocket(call: Call, model: FileModel, socket: ResourceKind, ssl: ResourceKind, factories: RegExp): JavaMatch | undefined {
  // `sslFactory.createSocket(plain, host, port, autoClose)`: TLS over a socket made elsewhere, which holds the
  // connection and is judged where it was made (Jedis' and Smack's callers close the plain one when the handshake
  // or the hostname check fails).
  if (isLayered(call)) return undefined;
  if (!call.receiver) {
    // A method of this class named like the JDK factory: a factory only if it says it returns a socket.
    const own = model.methodsNamed(call.name);
    if (own.length > 0 && !own.some((m) => /Socket$/.test(m.childForFieldName('type')?.text ?? ''))) return undefined;
    return own.length > 0
      ? { kind: socket, certainty: certain(`${call.name}() of this class returns a socket`) }
      : { kind: socket, certainty: possible(`an inherited ${call.name}() taken for a socket factory`) };
  }
  const receiverType = typeOf(call.receiver, model);
  const factory = factories.exec(receiverType);
  if (factory) return { kind: /SSL/.test(receiverType) ? ssl : socket, certainty: certain(`${receiverType}, resolved from the declarations`) };
  if (receiverType) return undefined;
  return { kind: /SSL/.test(call.receiver.text) ? ssl : socket, certainty: possible(`\`${call.receiver.text}\` taken for a socket factory: its type is not visible here`) };
}

/**
 * `factory.createSocket(socket, host, port, autoClose)`, or a server's `createSocket(socket, consumed, autoClose)`
 * (TLS over an accepted socket whose first bytes were read already: Membrane's SNI wrap): a socket layered over
 * another one.
 */
function isLayered(call: Call): boolean {
  return (call.args.length === 4 || call.args.length === 3) && /^(true|false|autoClose)$/i.test(call.args[call.args.length - 1].text);
}

/** `factory.createSocket(socket, host, port, true)`: the layered socket owns `socket` and closes it with itself. */
export function layeredOverAndOwning(call: Call, index: number): boolean {
  return index === 0 && call.name === 'createSocket' && isLayered(call) && call.args[call.args.length - 1].text === 'true';
}

/**
 * The resource a Java call or construction acquires, with how sure the match is. A name matched here is also in
 * java-call-names.ts' ACQUIRING: files that call none are not walked.
 */
export function matchJava(call: Call, model: FileModel): JavaMatch | undefined {
  if (call.kind === 'new') {
    const written = call.typeQualifier ? `${call.typeQualifier}.${call.name}` : call.name;
    const fqn = model.javaTypes.qualify(written);
    const kind = Object.hasOwn(CONSTRUCTED, fqn) ? CONSTRUCTED[fqn] : undefined;
    return kind ? { kind, certainty: certain(`${fqn}, resolved from the imports`) } : undefined;
  }
  switch (call.name) {
    case 'open': {
      const fqn = model.javaTypes.qualify(receiverName(call, model));
      return Object.hasOwn(OPENED, fqn) ? { kind: OPENED[fqn], certainty: certain(`${fqn}.open(), resolved from the imports`) } : undefined;
    }
    case 'createSocket':
      return factorySocket(call, model, JAVA.socket, JAVA.sslSocket, /^javax\.net\.(ssl\.SSL)?SocketFactory$/);
    case 'createServerSocket':
      return factorySocket(call, model, JAVA.serverSocket, JAVA.serverSocket, /^javax\.net\.(ssl\.SSL)?ServerSocketFactory$/);
    case 'accept': {
      if (!call.receiver || call.args.length > 0) return undefined;
      const type = typeOf(call.receiver, model);
      if (type === 'java.nio.channels.ServerSocketChannel') return { kind: JAVA.socketChannel, certainty: certain(`${type}.accept()`) };
      if (type === 'java.net.ServerSocket' || type === 'javax.net.ssl.SSLServerSocket') return { kind: JAVA.socket, certainty: certain(`${type}.accept()`) };
      return undefined;
    }
    case 'openConnection': {
      const certainty = call.args.length <= 1 ? urlConnectionCertainty(call, model) : undefined;
      // A HEAD response has no body: the JDK hands the connection back to its keep-alive cache by itself.
      const head = () => laterConfiguration(call.node, model).some((c) => c.name === 'setRequestMethod' && /^"HEAD"$/.test(c.args[0]?.text ?? ''));
      return certainty && !head() ? { kind: JAVA.urlConnection, certainty } : undefined;
    }
    case 'createDefault':
    case 'createSystem':
    case 'createMinimal': {
      const fqn = model.javaTypes.qualify(receiverName(call, model));
      if (fqn === 'org.apache.http.impl.client.HttpClients') return { kind: JAVA.apacheClient4, certainty: certain(`${fqn}.${call.name}()`) };
      if (fqn === 'org.apache.hc.client5.http.impl.classic.HttpClients') return { kind: JAVA.apacheClient5, certainty: certain(`${fqn}.${call.name}()`) };
      return undefined;
    }
    case 'build': {
      const type = typeOf(call.node, model);
      if (type === 'java.net.http.HttpClient') return { kind: JAVA.javaHttpClient, certainty: JAVA_HTTP_CLIENT };
      return Object.hasOwn(BUILT, type) ? { kind: BUILT[type], certainty: certain(`builds a ${type}`) } : undefined;
    }
    case 'getResource': {
      if (!call.receiver || call.args.length > 0) return undefined;
      const type = typeOf(call.receiver, model).replace(/<.*$/, '');
      return JEDIS_POOL.test(type) ? { kind: JAVA.jedis, certainty: certain(`${type}.getResource(), resolved from the declarations`) } : undefined;
    }
    case 'newHttpClient':
      return resolvedType(receiverName(call, model), 'java.net.http.HttpClient', model) ? { kind: JAVA.javaHttpClient, certainty: JAVA_HTTP_CLIENT } : undefined;
    case 'newClient':
    case 'createClient': {
      const fqn = model.javaTypes.qualify(receiverName(call, model));
      return JAXRS_BUILDER.test(fqn) ? { kind: JAVA.jaxrsClient, certainty: certain(`${fqn}.${call.name}()`) } : undefined;
    }
    case 'execute':
    case 'executeOpen':
      return call.args.length === 0 ? okHttpExecute(call, model) : apacheExecute(call, model);
    case 'executeAsync':
      return call.args.length === 0 && isHutoolRequest(call, model) ? { kind: JAVA.hutoolAsyncResponse, certainty: certain('cn.hutool.http.HttpRequest.executeAsync(), resolved from the imports') } : undefined;
    case 'enqueue':
      return okHttpEnqueue(call, model);
    case 'proceed': {
      // An interceptor's `chain.proceed(request)`: a Response of its own, to return or to close (a retry drops one).
      if (!call.receiver || call.args.length !== 1) return undefined;
      const type = typeOf(call.receiver, model);
      // `Chain` alone is the nested type an Interceptor implementation inherits.
      const chain = type === 'okhttp3.Interceptor.Chain' || (/(^|\.)Chain$/.test(type) && model.javaTypes.importsFrom('okhttp3.'));
      return chain ? { kind: JAVA.okHttpResponse, certainty: certain(`okhttp3.Interceptor.Chain.proceed(), resolved from the declarations`) } : undefined;
    }
    case 'send': {
      if (call.args.length !== 2 || !/\bofInputStream\b|\bofLines\b/.test(call.args[1].text)) return undefined;
      const receiverType = call.receiver ? typeOf(call.receiver, model) : '';
      if (receiverType === 'java.net.http.HttpClient' || /BodyHandlers\.of(InputStream|Lines)/.test(call.args[1].text)) {
        return { kind: JAVA.javaHttpStreamResponse, certainty: certain('java.net.http send with a streaming body handler') };
      }
      return undefined;
    }
  }
  return JAXRS_VERBS.test(call.name) ? jaxrsInvocation(call, model) : undefined;
}

/**
 * True when the method tells `url`'s scheme apart only among schemes other than http(s): `"file".equals(url.getProtocol())`,
 * `url.getProtocol().equals("rs")` (dinky opens its own `rs://` resource URLs and files so, throwing for the rest).
 */
function onlyOtherSchemes(url: string, fn: Node | null, model: FileModel): boolean {
  if (!fn) return false;
  const text = model.dialect.functionBody(fn)?.text ?? '';
  const protocol = `${url}\\s*\\.\\s*getProtocol\\s*\\(\\s*\\)`;
  const compared = new RegExp(`"(\\w+)"\\s*\\.\\s*equals(?:IgnoreCase)?\\s*\\(\\s*${protocol}\\s*\\)|${protocol}\\s*\\.\\s*equals(?:IgnoreCase)?\\s*\\(\\s*"(\\w+)"\\s*\\)`, 'g');
  const schemes = Array.from(text.matchAll(compared), (m) => (m[1] ?? m[2]).toLowerCase());
  return schemes.length > 0 && !schemes.some((s) => s === 'http' || s === 'https');
}

/**
 * True when `node` is in the else branch of an `if` that sends http(s) URLs elsewhere: `if ("http".equals(
 * url.getProtocol()) || "https".equals(url.getProtocol())) {...} else { url.openConnection() }` (OpenRefine's
 * importer reads only ftp: URLs here).
 */
function inNonHttpBranch(url: string, node: Node, model: FileModel): boolean {
  const name = url.replace(/\$/g, '\\$');
  const protocol = new RegExp(`"https?"\\s*\\.\\s*equals(?:IgnoreCase)?\\s*\\(\\s*${name}\\s*\\.\\s*getProtocol\\s*\\(\\s*\\)\\s*\\)|${name}\\s*\\.\\s*getProtocol\\s*\\(\\s*\\)\\s*\\.\\s*equals(?:IgnoreCase)?\\s*\\(\\s*"https?"\\s*\\)`);
  for (let child = node, parent = node.parent; parent && !model.dialect.functionTypes.has(parent.type); child = parent, parent = parent.parent) {
    if (parent.type !== 'if_statement' || !parent.childForFieldName('alternative')?.equals(child)) continue;
    const condition = parent.childForFieldName('condition')?.text ?? '';
    if (protocol.test(condition) && !condition.includes('!')) return true;
  }
  return false;
}

/** URLs that name no network peer: classpath resources, files, jars. */
const LOCAL_URL = /\bget(System)?Resources?\s*\(|\.to(URI|Uri)\s*\(\s*\)\s*\.toURL\s*\(|\btoPath\s*\(|\bgetCodeSource\s*\(|\bgetProtectionDomain\s*\(|['"](jar|file|classpath):|\bURL\s*\(\s*"(jar|file)"\s*,/;
/** URLConnections of local schemes: a cast to one, or a variable of one, says the URL is no network address. */
const LOCAL_URL_CONNECTION = /^(java\.net\.JarURLConnection|sun\.net\.www\.protocol\.(file|jar)\.\w+)$/;
const HTTP_URL_CONNECTION = /^(java\.net\.HttpURLConnection|javax\.net\.ssl\.HttpsURLConnection)$/;

/** Where a URL comes from: the initializer of the variable holding it, or the expression itself. */
export function urlOrigin(url: Node, model: FileModel): Node {
  const node = model.dialect.unwrap(url);
  return node.type === 'identifier' ? (model.declaratorOf(node.text, node)?.childForFieldName('value') ?? node) : node;
}

/**
 * How sure we are that `url.openConnection()` opens a network connection: certain when the code treats it as an
 * HTTP connection (a cast or a variable of HttpURLConnection type) or opens an `http(s)://` URL; a URLConnection of
 * unknown scheme is a guess; a classpath, file or jar URL is no network connection at all.
 */
export function urlConnectionCertainty(call: Call, model: FileModel): Certainty | undefined {
  // Without a receiver it is a method of this class, not URL's; a receiver of a known type must be a URL.
  if (!call.receiver) return undefined;
  const receiverType = typeOf(call.receiver, model);
  if (receiverType && receiverType !== 'java.net.URL') return undefined;
  const receiver = model.dialect.unwrap(call.receiver);
  const origin = urlOrigin(call.receiver, model);
  if (LOCAL_URL.test(origin.text)) return undefined;
  if (receiver.type === 'identifier' && onlyOtherSchemes(receiver.text, model.functionOf(call.node), model)) return undefined;
  if (receiver.type === 'identifier' && inNonHttpBranch(receiver.text, call.node, model)) return undefined;
  const carrier = model.dialect.carrier(call.node);
  const cast = call.node.parent?.type === 'cast_expression' ? call.node.parent : carrier.type === 'cast_expression' ? carrier : null;
  const castType = cast?.childForFieldName('type')?.text;
  if (castType && HTTP_URL_CONNECTION.test(model.javaTypes.qualify(castType))) return certain(`cast to ${castType}`);
  if (castType && LOCAL_URL_CONNECTION.test(model.javaTypes.qualify(castType))) return undefined;
  const c = model.dialect.context(call.node);
  if (c.kind === 'bind' && c.typeText && HTTP_URL_CONNECTION.test(model.javaTypes.qualify(c.typeText))) return certain(`assigned to a ${c.typeText}`);
  if (c.kind === 'bind' && c.typeText && LOCAL_URL_CONNECTION.test(model.javaTypes.qualify(c.typeText))) return undefined;
  if (/['"]https?:\/\//.test(origin.text)) return certain('opens an http(s) URL');
  // A URL built here from a string is a remote address in server code (files and resources come as File, Path or
  // getResource URLs, which LOCAL_URL turned away above).
  if (/^new\s+(java\.net\.)?URL\s*\(|^(new\s+(java\.net\.)?URI\s*\(|URI\.create\s*\().*\)\s*\.\s*toURL\s*\(\s*\)$/s.test(origin.text.trim())) {
    return certain('opens a URL built from a string in this method');
  }
  if (castType && !/URLConnection$/.test(castType)) return undefined;
  return possible('a URLConnection whose scheme is not visible here (http, or a file or jar URL?)');
}
