// The catalogue of network resources: what creates them, what releases them, and what to tell the user.
// One list serves the `unclosed-resource` rule, its quick fixes and its docs.
import type { Node } from 'web-tree-sitter';
import type { Severity } from '../finding';
import type { FileModel } from '../model';
import type { Call, Family } from '../syntax/dialect';

/** How a value (a resource, or something derived from it such as its stream or body) is released. */
export interface Releasable {
  /** Methods on the value that release it: `close`, `disconnect`, `end`, `text`. */
  readonly methods: ReadonlySet<string>;
  /** Events whose listener consumes a Node stream: `res.on('data', ...)` lets it drain and close. */
  readonly consumingEvents?: ReadonlySet<string>;
  /** Iterating the value (`for await (const chunk of body)`) drains it. */
  readonly iterationConsumes?: boolean;
  /** Static helpers that release their argument: `IOUtils.closeQuietly(x)`, `EntityUtils.consume(x)`. */
  readonly releasedBy?: (call: Call) => boolean;
  /** Accessors (methods or properties) whose result, once released, releases this value too. */
  readonly derived?: ReadonlyMap<string, Releasable>;
  /** Handing the value to any function counts as handing over ownership (JavaScript's "passed on"). */
  readonly passedOnIsOwned?: boolean;
}

export interface ResourceKind extends Releasable {
  /** What the finding's `resource` field says: a fully qualified type, or `module.Type` for Node. */
  readonly resource: string;
  readonly family: Family;
  /** Short name in messages: "OkHttp Response". */
  readonly label: string;
  /** Past participle for "is never …": "closed", "read or cancelled", "ended". */
  readonly verb: string;
  /** What to do, completing "…: " in messages. */
  readonly advice: string;
  readonly severity: Severity;
  /** Whether an exception between acquisition and release leaks it (Java sockets yes; an unconnected URLConnection no). */
  readonly exceptionLeaks: boolean;
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);

// ---- Java ----------------------------------------------------------------------------------------------

const CLOSE_HELPERS = /^(closeQuietly|closeSilently|closeQuiet|closeAll|close|safeClose|closeResource)$/;

/** `IOUtils.closeQuietly(x)`, `Closeables.close(x, true)`, `HttpClientUtils.closeQuietly(x)`, own `closeQuietly(x)`. */
function javaCloseHelper(call: Call): boolean {
  return call.kind === 'call' && CLOSE_HELPERS.test(call.name) && call.args.length >= 1;
}

const javaStream: Releasable = { methods: set('close'), releasedBy: javaCloseHelper };

/** An HttpURLConnection's stream also returns the connection to the keep-alive cache when read to its end. */
const urlConnectionStream: Releasable = {
  methods: set('close', 'readAllBytes', 'transferTo'),
  releasedBy: (call) =>
    javaCloseHelper(call) ||
    (/^(IOUtils|ByteStreams|CharStreams|StreamUtils|FileCopyUtils)$/.test(call.receiver?.text ?? '') &&
      /^(toString|toByteArray|copy|consume|exhaust|copyToString|copyToByteArray)$/.test(call.name)),
};

const apacheEntity: Releasable = {
  methods: set(),
  releasedBy: (call) =>
    /(^|\.)EntityUtils$/.test(call.receiver?.text ?? '') && /^(consume|consumeQuietly|toString|toByteArray)$/.test(call.name),
  derived: new Map([['getContent', javaStream]]),
};

const okHttpBody: Releasable = {
  methods: set('close', 'string', 'bytes', 'byteString'),
  releasedBy: javaCloseHelper,
  derived: new Map([
    ['byteStream', javaStream],
    ['charStream', javaStream],
    ['source', javaStream],
  ]),
};

const SOCKET_ADVICE = 'wrap it in try-with-resources';

function javaKind(resource: string, label: string, extra: Partial<ResourceKind> = {}): ResourceKind {
  return {
    resource,
    label,
    family: 'java',
    verb: 'closed',
    advice: SOCKET_ADVICE,
    severity: 'warning',
    exceptionLeaks: true,
    methods: set('close'),
    releasedBy: javaCloseHelper,
    ...extra,
  };
}

export const JAVA = {
  socket: javaKind('java.net.Socket', 'Socket', {
    derived: new Map([
      ['getInputStream', javaStream],
      ['getOutputStream', javaStream],
    ]),
  }),
  sslSocket: javaKind('javax.net.ssl.SSLSocket', 'SSLSocket', {
    derived: new Map([
      ['getInputStream', javaStream],
      ['getOutputStream', javaStream],
    ]),
  }),
  serverSocket: javaKind('java.net.ServerSocket', 'ServerSocket'),
  datagramSocket: javaKind('java.net.DatagramSocket', 'DatagramSocket'),
  socketChannel: javaKind('java.nio.channels.SocketChannel', 'SocketChannel'),
  asyncSocketChannel: javaKind('java.nio.channels.AsynchronousSocketChannel', 'AsynchronousSocketChannel'),
  serverSocketChannel: javaKind('java.nio.channels.ServerSocketChannel', 'ServerSocketChannel'),
  asyncServerSocketChannel: javaKind('java.nio.channels.AsynchronousServerSocketChannel', 'AsynchronousServerSocketChannel'),
  datagramChannel: javaKind('java.nio.channels.DatagramChannel', 'DatagramChannel'),
  selector: javaKind('java.nio.channels.Selector', 'Selector'),
  urlConnection: javaKind('java.net.HttpURLConnection', 'HttpURLConnection', {
    verb: 'released',
    advice: 'call disconnect() in a finally block, or close its input stream with try-with-resources',
    methods: set('disconnect'),
    exceptionLeaks: false,
    derived: new Map([
      ['getInputStream', urlConnectionStream],
      ['getErrorStream', urlConnectionStream],
    ]),
  }),
  apacheClient4: javaKind('org.apache.http.impl.client.CloseableHttpClient', 'CloseableHttpClient', {
    advice: 'wrap it in try-with-resources, or better, create one client per application and reuse it',
  }),
  apacheClient5: javaKind('org.apache.hc.client5.http.impl.classic.CloseableHttpClient', 'CloseableHttpClient', {
    advice: 'wrap it in try-with-resources, or better, create one client per application and reuse it',
  }),
  apacheResponse4: javaKind('org.apache.http.client.methods.CloseableHttpResponse', 'CloseableHttpResponse', {
    advice: 'wrap it in try-with-resources (or call EntityUtils.consume(response.getEntity()) in a finally block)',
    derived: new Map([['getEntity', apacheEntity]]),
  }),
  apacheResponse5: javaKind('org.apache.hc.client5.http.impl.classic.CloseableHttpResponse', 'CloseableHttpResponse', {
    advice: 'wrap it in try-with-resources, or use execute(request, responseHandler), which closes it for you',
    derived: new Map([['getEntity', apacheEntity]]),
  }),
  okHttpResponse: javaKind('okhttp3.Response', 'OkHttp Response', {
    derived: new Map([['body', okHttpBody]]),
  }),
  javaHttpClient: javaKind('java.net.http.HttpClient', 'java.net.http.HttpClient', {
    methods: set('close', 'shutdown', 'shutdownNow'),
    severity: 'info',
    exceptionLeaks: false,
    advice:
      'share one client per application, or close it with try-with-resources (AutoCloseable since Java 21) so its selector thread and pooled connections go away',
  }),
  javaHttpStreamResponse: javaKind('java.net.http.HttpResponse<java.io.InputStream>', 'HttpResponse body stream', {
    methods: set(),
    derived: new Map([['body', javaStream]]),
    advice: 'close it: try (InputStream in = response.body()) { ... }',
  }),
  jaxrsClient: javaKind('jakarta.ws.rs.client.Client', 'JAX-RS Client', {
    advice: 'close it in a finally block, or better, create one Client per application and reuse it',
  }),
  jaxrsResponse: javaKind('jakarta.ws.rs.core.Response', 'JAX-RS Response', {
    methods: set('close', 'readEntity'),
    advice: 'wrap it in try-with-resources, or read it with readEntity(...)',
  }),
} satisfies Record<string, ResourceKind>;

// ---- JavaScript / TypeScript ---------------------------------------------------------------------------

const NODE_STREAM_EVENTS = set('data', 'readable');

const nodeStream: Releasable = {
  methods: set('pipe', 'resume', 'destroy'),
  consumingEvents: NODE_STREAM_EVENTS,
  iterationConsumes: true,
  passedOnIsOwned: true,
};

const webStream: Releasable = {
  methods: set('cancel', 'getReader', 'pipeTo', 'pipeThrough', 'tee'),
  iterationConsumes: true,
  passedOnIsOwned: true,
};

const undiciBody: Releasable = {
  methods: set('text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData', 'dump', 'destroy', 'pipe', 'resume'),
  consumingEvents: NODE_STREAM_EVENTS,
  iterationConsumes: true,
  passedOnIsOwned: true,
};

function jsKind(resource: string, label: string, extra: Partial<ResourceKind>): ResourceKind {
  return {
    resource,
    label,
    family: 'js',
    verb: 'closed',
    advice: 'close it',
    severity: 'warning',
    exceptionLeaks: false,
    methods: set(),
    passedOnIsOwned: true,
    ...extra,
  };
}

export const JS = {
  socket: jsKind('net.Socket', 'net.Socket', {
    verb: 'ended or destroyed',
    advice: 'call socket.end() or socket.destroy() when done (in a finally block or on "error"/"timeout")',
    methods: set('end', 'destroy', 'destroySoon', 'resetAndDestroy', 'pipe', 'resume'),
    // A flowing socket sees the peer's FIN and, with allowHalfOpen off (the default), ends itself.
    consumingEvents: NODE_STREAM_EVENTS,
    iterationConsumes: true,
  }),
  tlsSocket: jsKind('tls.TLSSocket', 'tls.TLSSocket', {
    verb: 'ended or destroyed',
    advice: 'call socket.end() or socket.destroy() when done (in a finally block or on "error"/"timeout")',
    methods: set('end', 'destroy', 'destroySoon', 'pipe', 'resume'),
    consumingEvents: NODE_STREAM_EVENTS,
    iterationConsumes: true,
  }),
  clientRequest: jsKind('http.ClientRequest', 'http.request ClientRequest', {
    verb: 'ended',
    advice: 'call req.end() (http.request does not send the request until you do)',
    methods: set('end', 'destroy', 'abort'),
  }),
  incomingMessage: jsKind('http.IncomingMessage', 'HTTP response', {
    verb: 'consumed or destroyed',
    advice: "read it (res.on('data', ...), res.pipe(...)) or discard it with res.resume() so the socket is freed",
    ...nodeStream,
  }),
  fetchResponse: jsKind('Response', 'fetch Response body', {
    verb: 'read or cancelled',
    advice: 'read it (await res.text(), res.json(), ...) or cancel it with await res.body?.cancel() so the connection is freed',
    methods: set('text', 'json', 'arrayBuffer', 'blob', 'formData', 'bytes'),
    derived: new Map([['body', webStream]]),
  }),
  undiciResponse: jsKind('undici.Dispatcher.ResponseData', 'undici response body', {
    verb: 'read or dumped',
    advice: 'read it (await body.text(), body.json(), ...) or discard it with await body.dump()',
    derived: new Map([['body', undiciBody]]),
  }),
  webSocket: jsKind('WebSocket', 'WebSocket', {
    advice: 'call ws.close() (or ws.terminate()) when done, and on "error"',
    methods: set('close', 'terminate'),
  }),
  axiosStream: jsKind('axios stream response', 'axios stream response', {
    verb: 'consumed or destroyed',
    advice: "pipe or read res.data, or call res.data.destroy() when you do not need it",
    derived: new Map([['data', nodeStream]]),
  }),
  keepAliveAgent: jsKind('http.Agent', 'keep-alive http.Agent', {
    verb: 'destroyed',
    severity: 'info',
    advice: 'call agent.destroy() on shutdown, or its idle keep-alive sockets stay open for the life of the process',
    methods: set('destroy'),
  }),
  gotStream: jsKind('got stream', 'got stream', {
    verb: 'consumed or destroyed',
    advice: 'pipe or read the stream, or call stream.destroy() when you do not need it',
    ...nodeStream,
  }),
} satisfies Record<string, ResourceKind>;

/** A value the catalogue recognises as a freshly acquired resource. */
export interface Acquisition {
  readonly kind: ResourceKind;
  /** The expression that creates or obtains the resource: where the finding is reported. */
  readonly node: Node;
  /** For resources handed to a callback (`http.get(url, res => ...)`): the callback that receives them. */
  readonly callback?: Node;
}

// ---- Matching acquisitions ------------------------------------------------------------------------------

const JAVA_CONSTRUCTED: Record<string, ResourceKind> = {
  Socket: JAVA.socket,
  ServerSocket: JAVA.serverSocket,
  SSLServerSocket: JAVA.serverSocket,
  DatagramSocket: JAVA.datagramSocket,
  MulticastSocket: JAVA.datagramSocket,
  DefaultHttpClient: JAVA.apacheClient4,
  SystemDefaultHttpClient: JAVA.apacheClient4,
};

const JAVA_OPENED: Record<string, ResourceKind> = {
  SocketChannel: JAVA.socketChannel,
  AsynchronousSocketChannel: JAVA.asyncSocketChannel,
  ServerSocketChannel: JAVA.serverSocketChannel,
  AsynchronousServerSocketChannel: JAVA.asyncServerSocketChannel,
  DatagramChannel: JAVA.datagramChannel,
  Selector: JAVA.selector,
};

/** Receivers whose `build()` yields an HTTP client, by the type the builder chain starts from. */
function apacheClient(model: FileModel): ResourceKind {
  return model.javaTypes.importsFrom('org.apache.hc.') ? JAVA.apacheClient5 : JAVA.apacheClient4;
}

function apacheResponse(model: FileModel): ResourceKind {
  return model.javaTypes.importsFrom('org.apache.hc.') ? JAVA.apacheResponse5 : JAVA.apacheResponse4;
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

function isResponseHandler(arg: Node, model: FileModel): boolean {
  const node = model.dialect.unwrap(arg);
  if (node.type === 'lambda_expression' || node.type === 'method_reference') return true;
  if (/handler/i.test(node.text)) return true;
  const type = node.type === 'identifier' ? model.javaTypes.typeOfName(node.text, model.functionOf(arg)) : undefined;
  return !!type && /Handler/.test(type);
}

function javaTypeOf(node: Node, model: FileModel): string {
  return model.javaTypes.typeOf(node, model.functionOf(node)) ?? '';
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
    mentions = /Invocation|SyncInvoker|\.\s*request\s*\(/.test(model.file.text);
    mentionsJaxrs.set(model, mentions);
  }
  return mentions;
}

function matchJava(call: Call, model: FileModel): ResourceKind | undefined {
  if (call.kind === 'new') {
    if (call.name === 'Socket' && call.typeQualifier && !/^(java\.net)?$/.test(call.typeQualifier)) return undefined;
    return Object.hasOwn(JAVA_CONSTRUCTED, call.name) ? JAVA_CONSTRUCTED[call.name] : undefined;
  }
  // Read the receiver's text only for the names that need it: most calls of a file are none of these.
  const receiverText = () => (call.receiver ? model.dialect.unwrap(call.receiver).text.replace(/\s+/g, '') : '');
  const receiverSimple = () => receiverText().replace(/^.*\./, '');
  switch (call.name) {
    case 'open':
      return Object.hasOwn(JAVA_OPENED, receiverSimple()) ? JAVA_OPENED[receiverSimple()] : undefined;
    case 'createSocket':
      return /SSL/.test(receiverText()) || /SSL/.test(javaTypeOf(call.receiver ?? call.node, model)) ? JAVA.sslSocket : JAVA.socket;
    case 'createServerSocket':
      return JAVA.serverSocket;
    case 'accept': {
      if (!call.receiver || call.args.length > 0) return undefined;
      const type = javaTypeOf(call.receiver, model);
      if (/ServerSocketChannel$/.test(type)) return JAVA.socketChannel;
      if (/ServerSocket$/.test(type)) return JAVA.socket;
      return undefined;
    }
    case 'openConnection':
      return call.args.length <= 1 ? JAVA.urlConnection : undefined;
    case 'createDefault':
    case 'createSystem':
    case 'createMinimal':
      return receiverSimple() === 'HttpClients' ? apacheClient(model) : undefined;
    case 'build': {
      const type = javaTypeOf(call.node, model);
      if (/CloseableHttpClient$/.test(type)) return apacheClient(model);
      if (/java\.net\.http\.HttpClient$/.test(type)) return JAVA.javaHttpClient;
      if (type === 'Client' && chainRoot(call, model).receiver?.text === 'ClientBuilder') return JAVA.jaxrsClient;
      return undefined;
    }
    case 'newHttpClient':
      return receiverSimple() === 'HttpClient' ? JAVA.javaHttpClient : undefined;
    case 'newClient':
    case 'createClient':
      return /ClientBuilder$/.test(receiverSimple()) ? JAVA.jaxrsClient : undefined;
    case 'execute':
    case 'executeOpen':
      return matchExecute(call, model);
    case 'send': {
      if (call.args.length !== 2) return undefined;
      const handler = call.args[1].text;
      return /\bofInputStream\b|\bofLines\b/.test(handler) ? JAVA.javaHttpStreamResponse : undefined;
    }
  }
  if (JAXRS_VERBS.test(call.name) && call.receiver && mayInvokeJaxrs(model)) {
    // `map.get(key)` is everywhere: the cheap tests first, the chain's root only for a `.request(` chain.
    const isInvocation =
      /Invocation\.Builder$|SyncInvoker$/.test(javaTypeOf(call.receiver, model)) ||
      (/\.request\(/.test(call.receiver.text) && chainRoot(call, model).name !== 'newCall');
    if (!isInvocation) return undefined;
    // `get(String.class)` returns the entity, only the untyped forms return a Response to close.
    const entityTyped = call.args.some((a) => /\.class$|GenericType/.test(a.text));
    if (entityTyped) return undefined;
    if (call.name === 'invoke' && call.args.length > 0) return undefined;
    return JAVA.jaxrsResponse;
  }
  return undefined;
}

function matchExecute(call: Call, model: FileModel): ResourceKind | undefined {
  // OkHttp: client.newCall(request).execute()
  if (call.args.length === 0) {
    if (!call.receiver) return undefined;
    const receiverCall = model.dialect.call(model.dialect.unwrap(call.receiver));
    if (receiverCall?.name === 'newCall' || /(^|\.)Call$/.test(javaTypeOf(call.receiver, model))) return JAVA.okHttpResponse;
    return undefined;
  }
  if (!call.receiver) return undefined;
  // Apache: execute(request) / execute(host, request) / executeOpen(host, request, context); handlers close for you.
  if (call.args.some((a) => isResponseHandler(a, model))) return undefined;
  const receiverType = javaTypeOf(call.receiver, model);
  const qualified = receiverType ? model.javaTypes.qualify(receiverType) : '';
  if (/^java\.net\.http\./.test(qualified) || /Executor|Service$/.test(receiverType)) return undefined;
  const looksApache =
    /HttpClient$/.test(receiverType) ||
    (!receiverType && /client/i.test(call.receiver.text) && model.javaTypes.importsFrom('org.apache.'));
  const declared = model.dialect.context(call.node);
  const declaredResponse = declared.kind === 'bind' && /HttpResponse$/.test(declared.typeText ?? '');
  return looksApache || declaredResponse ? apacheResponse(model) : undefined;
}

function jsOptions(call: Call, model: FileModel): Node | undefined {
  for (const arg of call.args) {
    const node = model.dialect.unwrap(arg);
    if (node.type === 'object') return node;
  }
  return undefined;
}

/** The value of a property in an object literal, when written literally: `{ responseType: 'stream' }`. */
export function objectProperty(object: Node, key: string): Node | undefined {
  for (const child of object.namedChildren) {
    if (child?.type === 'pair' && child.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') === key) {
      return child.childForFieldName('value') ?? undefined;
    }
    if (child?.type === 'shorthand_property_identifier' && child.text === key) return child;
  }
  return undefined;
}

function lastFunctionArgument(call: Call, model: FileModel): Node | undefined {
  const last = call.args[call.args.length - 1];
  return last && model.dialect.functionTypes.has(last.type) ? last : undefined;
}

const AXIOS_METHODS = /^(get|post|put|patch|delete|head|options|request|default)$/;

function matchJs(call: Call, model: FileModel): Acquisition[] {
  const target = model.jsModules.resolve(call);
  const module = target?.module;
  const member = target?.member ?? (call.receiver ? '' : call.name);
  const found: Acquisition[] = [];
  const add = (kind: ResourceKind, callback?: Node) => found.push({ kind, node: call.node, callback });

  if (call.kind === 'new') {
    if ((module === 'net' && member === 'Socket') || (module === 'tls' && member === 'TLSSocket')) {
      add(module === 'net' ? JS.socket : JS.tlsSocket);
    } else if (call.name === 'WebSocket' && (!module || module === 'ws' || module === 'isomorphic-ws')) add(JS.webSocket);
    return found;
  }
  if ((module === 'net' && (member === 'connect' || member === 'createConnection')) || (module === 'tls' && member === 'connect')) {
    add(module === 'net' ? JS.socket : JS.tlsSocket);
  } else if ((module === 'http' || module === 'https') && (member === 'request' || member === 'get')) {
    if (member === 'request') add(JS.clientRequest);
    const callback = lastFunctionArgument(call, model);
    if (callback) add(JS.incomingMessage, callback);
  } else if (member === 'fetch' && (!module || module === 'undici' || module === 'node-fetch' || module === 'cross-fetch')) {
    if (!call.receiver || module) add(JS.fetchResponse);
  } else if (module === 'undici' && member === 'request') {
    add(JS.undiciResponse);
  } else if (module === 'got' && (member === 'stream' || (member === 'default' && isStreamOption(call, model, 'isStream', 'true')))) {
    add(JS.gotStream);
  } else if ((module === 'axios' && AXIOS_METHODS.test(member)) || (AXIOS_METHODS.test(call.name) && call.receiver)) {
    if (isStreamOption(call, model, 'responseType', 'stream')) add(JS.axiosStream);
  }
  return found;
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

/** The resources a call or construction acquires (several for `http.request(opts, res => ...)`). */
export function acquisitionsAt(call: Call, model: FileModel): Acquisition[] {
  if (model.isJava) {
    const kind = matchJava(call, model);
    return kind ? [{ kind, node: call.node }] : [];
  }
  return matchJs(call, model);
}
