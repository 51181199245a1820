// The catalogue of network resources: what creates them, what releases them, and what to tell the user.
// One list serves the `unclosed-resource` rule, its quick fixes and its docs.
import type { Node } from 'web-tree-sitter';
import type { Severity } from '../finding';
import type { FileModel } from '../model';
import type { Call, Family } from '../syntax/dialect';
import { certain, possible, type Certainty } from './certainty';
import { matchJava } from './java-acquisitions';
import type { ResolvedCall } from '../syntax/js-modules';

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
  /** How sure the match is: a resolved import, or a guess from a name. */
  readonly certainty: Certainty;
  /** The expression that creates or obtains the resource: where the finding is reported. */
  readonly node: Node;
  /** For resources handed to a callback (`http.get(url, res => ...)`): the callback that receives them. */
  readonly callback?: Node;
}

// ---- Matching acquisitions ------------------------------------------------------------------------------

export { chainRoot } from './java-acquisitions';

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

/** How sure a module-resolved JS call is: an import says so, or only the module's usual name does. */
export function jsCertainty(target: ResolvedCall | undefined, api: string): Certainty {
  if (!target) return certain(`the global ${api}`);
  return target.guessed
    ? possible(`\`${target.module}\` taken for the ${target.module} module: no import or require of it is visible`)
    : certain(`${target.module}.${target.member}, resolved from the imports`);
}

function matchJs(call: Call, model: FileModel): Acquisition[] {
  const target = model.jsModules.resolve(call);
  const module = target?.module;
  const member = target?.member ?? (call.receiver ? '' : call.name);
  const found: Acquisition[] = [];
  const add = (kind: ResourceKind, certainty: Certainty, callback?: Node) => found.push({ kind, certainty, node: call.node, callback });

  if (call.kind === 'new') {
    if ((module === 'net' && member === 'Socket') || (module === 'tls' && member === 'TLSSocket')) {
      add(module === 'net' ? JS.socket : JS.tlsSocket, jsCertainty(target, member));
    } else if (call.name === 'WebSocket' && (!module || module === 'ws' || module === 'isomorphic-ws')) {
      add(JS.webSocket, module ? jsCertainty(target, 'WebSocket') : possible('the global WebSocket: browser code, or Node 22+'));
    }
    return found;
  }
  if ((module === 'net' && (member === 'connect' || member === 'createConnection')) || (module === 'tls' && member === 'connect')) {
    add(module === 'net' ? JS.socket : JS.tlsSocket, jsCertainty(target, member));
  } else if ((module === 'http' || module === 'https') && (member === 'request' || member === 'get')) {
    const certainty = jsCertainty(target, member);
    if (member === 'request') add(JS.clientRequest, certainty);
    const callback = lastFunctionArgument(call, model);
    if (callback) add(JS.incomingMessage, certainty, callback);
  } else if (member === 'fetch' && (!module || module === 'undici' || module === 'node-fetch' || module === 'cross-fetch')) {
    if (!call.receiver || module) add(JS.fetchResponse, jsCertainty(target, 'fetch'));
  } else if (module === 'undici' && member === 'request') {
    add(JS.undiciResponse, jsCertainty(target, member));
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
    const match = matchJava(call, model);
    return match ? [{ ...match, node: call.node }] : [];
  }
  return matchJs(call, model);
}
