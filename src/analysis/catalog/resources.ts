// The catalogue of network resources: what creates them, what releases them, and what to tell the user.
// One list serves the `unclosed-resource` rule, its quick fixes and its docs.
import type { Severity } from '../finding';
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
  /**
   * Those of the derived accessors that can throw or return null (`socket.getInputStream()`, `response.getEntity()`):
   * a try-with-resources on their result does not cover this value when they fail before the try begins.
   */
  readonly fallible?: ReadonlySet<string>;
  /** Handing the value to any function counts as handing over ownership (JavaScript's "passed on"). */
  readonly passedOnIsOwned?: boolean;
  /** Methods that return the value itself (`channel.bind(addr)`, `req.on('error', f)`): it goes where their result goes. */
  readonly fluent?: ReadonlySet<string>;
  /**
   * Methods on the value that cannot leave it open when they throw: getters, and `Socket.connect`, which closes the
   * socket itself when it fails. They are no throw points between the acquisition and its release.
   */
  readonly safeCalls?: RegExp;
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
  /**
   * The calls on it that open its first connection, for what holds no socket until then: an Apache HttpClient (its
   * pool starts empty until `execute`), a URLConnection (`openConnection()` connects nothing). An exception, a return
   * or a throw before the first of them leaks no socket.
   */
  readonly opensWith?: RegExp;
  /**
   * Nothing to release until opensWith opens it: a URLConnection never connected is a request not made yet (a client
   * with an empty pool is still a client to close).
   */
  readonly nothingUntilOpened?: true;
  /**
   * Set when the runtime frees the value once it is garbage-collected (undici's fetch bodies): left unread on an error
   * path it holds a connection only until the next GC, a leak no maintainer we measured would fix (strict profile).
   */
  readonly reclaimedByGc?: string;
  /**
   * Closing the client that made it closes it too (Apache, JAX-RS: the client shuts its pool down, leased connections
   * included): a response made inside a try whose resources or finally close the client is safe.
   */
  readonly closedWithClient?: boolean;
  /**
   * Methods of the request it was executed for that release it (Apache: `get.releaseConnection()` in a finally gives
   * the connection back, or aborts it, whether or not the response was read).
   */
  readonly releasedByRequest?: ReadonlySet<string>;
  /**
   * Methods of the connection manager it was built over (`setConnectionManager(cm)`) that release it: the client's
   * connections are the manager's, and shutting the manager down closes them (flow/manager-releases.ts).
   */
  readonly releasedByManager?: ReadonlySet<string>;
}

const set = (...items: string[]): ReadonlySet<string> => new Set(items);

// ---- Java ----------------------------------------------------------------------------------------------

/**
 * Methods named for closing what they are given: `IOUtils.closeQuietly(x)`, `Closeables.close(x, true)`, a project's
 * own `closeSock(x)`, `safeClose(x)`, `releaseConnection(x)`, `shutdownSocket(x)`. Nobody names a method so and keeps
 * the socket open.
 */
const CLOSE_HELPERS = /^(close|closeQuietly|closeSilently|closeQuiet|closeAll|safeClose|quietClose|silentClose|closeResource)$|^(close|safeClose|quietlyClose|release|shutdown|dispose|destroy|disconnect|terminate)(Sock|Socket|Channel|Conn|Connection|Stream|Client|Response|Resource|Quietly|Silently)s?$/;

/** A close helper (see CLOSE_HELPERS) given the value as an argument: `IOUtils.closeQuietly(x)`, `closeSocket(x)`. */
export function javaCloseHelper(call: Call): boolean {
  return call.kind === 'call' && CLOSE_HELPERS.test(call.name) && call.args.length >= 1;
}

/** What shuts an Apache connection manager down, with every connection of the clients built over it. */
export const CONNECTION_MANAGER_SHUTDOWN = set('shutdown', 'close');

/** Commons IO's `FileUtils.copyInputStreamToFile(in, file)`: copies the stream out and closes it, failed or not (nuxeo's package downloader). */
function copiedToFileAndClosed(call: Call): boolean {
  return call.kind === 'call' && call.name === 'copyInputStreamToFile' && /(^|\.)FileUtils$/.test(call.receiver?.text ?? '');
}

const javaStream: Releasable = { methods: set('close'), releasedBy: (call) => javaCloseHelper(call) || copiedToFileAndClosed(call) };

/** Jedis 2's `pool.returnResource(jedis)`, `returnBrokenResource`, and the projects' `returnJedis(jedis)`, `closeJedis(jedis)`. */
const JEDIS_RETURN = /^(return(Broken)?Resource(Object)?|returnJedis|closeJedis|releaseJedis|recycleJedis)$/;

/** The stream helpers of Commons IO, Guava and Spring that read a stream to its end: into memory, or copying it out. */
const STREAM_HELPERS = /^(IOUtils|ByteStreams|CharStreams|StreamUtils|FileCopyUtils)$/;
const READS_WHOLE = /^(toString|toByteArray|consume|exhaust|copyToString|copyToByteArray)$/;

/**
 * Jackson's `mapper.readTree(stream)`, `mapper.readValue(stream, Type.class)`: the parser closes its source when done
 * or failed (AUTO_CLOSE_SOURCE, on by default). Known by a receiver named for a mapper (`MAPPER`, `objectMapper`,
 * `GenieObjectMapper.getMapper()`).
 */
function jacksonReadsWhole(call: Call): boolean {
  return call.kind === 'call' && /^(readTree|readValue)$/.test(call.name) && /mapper/i.test(call.receiver?.text ?? '');
}

/** jsoup's `Jsoup.parse(stream, charset, baseUri)`: reads the stream to its end and closes it, failed or not (ache). */
function jsoupReadsWhole(call: Call): boolean {
  return call.kind === 'call' && call.name === 'parse' && call.args.length >= 3 && /(^|\.)Jsoup$/.test(call.receiver?.text ?? '');
}

/**
 * A stream that gives its connection back when read to its end: an HttpURLConnection's (to the keep-alive cache) and
 * a java.net.http body from BodyHandlers.ofInputStream (whose contract is to read it to EOF or close it).
 */
const streamReleasedAtEnd: Releasable = {
  methods: set('close', 'readAllBytes', 'transferTo'),
  releasedBy: (call) =>
    javaCloseHelper(call) ||
    copiedToFileAndClosed(call) ||
    jacksonReadsWhole(call) ||
    jsoupReadsWhole(call) ||
    (STREAM_HELPERS.test(call.receiver?.text ?? '') && (READS_WHOLE.test(call.name) || call.name === 'copy')),
};

const apacheEntity: Releasable = {
  methods: set(),
  releasedBy: (call) =>
    /(^|\.)EntityUtils$/.test(call.receiver?.text ?? '') && /^(consume|consumeQuietly|toString|toByteArray)$/.test(call.name),
  derived: new Map([['getContent', javaStream]]),
  fallible: set('getContent'),
};

/**
 * An OkHttp body's stream: reading it to its end in memory completes the exchange (a failed read too), and OkHttp
 * hands the connection back to its pool as closing does. Copying it out is not enough: a write that fails leaves the
 * rest unread and the connection held (shenyu's sandbox proxy).
 */
const okHttpStream: Releasable = {
  methods: set('close', 'readAllBytes'),
  releasedBy: (call) => javaCloseHelper(call) || jacksonReadsWhole(call) || (STREAM_HELPERS.test(call.receiver?.text ?? '') && READS_WHOLE.test(call.name)),
};

const okHttpSource: Releasable = {
  methods: set('close', 'readUtf8', 'readByteArray', 'readByteString', 'readString'),
  releasedBy: javaCloseHelper,
  derived: new Map([['inputStream', okHttpStream]]),
};

const okHttpBody: Releasable = {
  methods: set('close', 'string', 'bytes', 'byteString'),
  releasedBy: javaCloseHelper,
  derived: new Map([
    ['byteStream', okHttpStream],
    ['charStream', okHttpStream],
    ['source', okHttpSource],
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

/** Getters cannot throw an exception that leaves a socket open; a failed `Socket.connect` closes the socket itself. */
const SOCKET_SAFE_CALLS = /^(get(?!InputStream|OutputStream)[A-Z]\w*|is[A-Z]\w*|connect|toString|hashCode)$/;
/** Getters of an Apache response's status line and headers, which arrived with it: they cannot throw. */
const APACHE_RESPONSE_GETTERS = /^(getStatusLine|getCode|getReasonPhrase|getFirstHeader|getLastHeader|getHeaders|getAllHeaders|getHeader|containsHeader|getProtocolVersion|getVersion|getLocale)$/;

/** NIO channels return themselves from their setup methods. */
const CHANNEL_FLUENT = set('bind', 'configureBlocking', 'setOption', 'shutdownInput', 'shutdownOutput');

/**
 * `response.newBuilder().header(...).build()` (an interceptor's copy): the builder and the Response it builds carry
 * the same body, so returning or closing the copy does for the original.
 */
const okHttpResponseBuilder: Releasable = {
  methods: set(),
  fluent: set('header', 'addHeader', 'removeHeader', 'headers', 'body', 'code', 'message', 'request', 'protocol', 'handshake', 'networkResponse', 'cacheResponse', 'priorResponse', 'sentRequestAtMillis', 'receivedResponseAtMillis'),
  derived: new Map([['build', { methods: set('close'), releasedBy: javaCloseHelper }]]),
};

const javaSocket: Releasable = {
  methods: set('close'),
  releasedBy: javaCloseHelper,
  safeCalls: SOCKET_SAFE_CALLS,
  derived: new Map([
    ['getInputStream', javaStream],
    ['getOutputStream', javaStream],
  ]),
  fallible: set('getInputStream', 'getOutputStream'),
};

function channelKind(resource: string, label: string, extra: Partial<ResourceKind> = {}): ResourceKind {
  return javaKind(resource, label, { fluent: CHANNEL_FLUENT, safeCalls: SOCKET_SAFE_CALLS, ...extra });
}

export const JAVA = {
  socket: javaKind('java.net.Socket', 'Socket', javaSocket),
  sslSocket: javaKind('javax.net.ssl.SSLSocket', 'SSLSocket', javaSocket),
  serverSocket: javaKind('java.net.ServerSocket', 'ServerSocket', { safeCalls: SOCKET_SAFE_CALLS }),
  datagramSocket: javaKind('java.net.DatagramSocket', 'DatagramSocket', { safeCalls: SOCKET_SAFE_CALLS }),
  // `channel.socket()` is the channel's own socket: closing either closes both.
  socketChannel: channelKind('java.nio.channels.SocketChannel', 'SocketChannel', { derived: new Map([['socket', javaSocket]]) }),
  asyncSocketChannel: channelKind('java.nio.channels.AsynchronousSocketChannel', 'AsynchronousSocketChannel'),
  serverSocketChannel: channelKind('java.nio.channels.ServerSocketChannel', 'ServerSocketChannel', {
    derived: new Map([['socket', { methods: set('close'), releasedBy: javaCloseHelper, safeCalls: SOCKET_SAFE_CALLS }]]),
  }),
  asyncServerSocketChannel: channelKind('java.nio.channels.AsynchronousServerSocketChannel', 'AsynchronousServerSocketChannel'),
  datagramChannel: channelKind('java.nio.channels.DatagramChannel', 'DatagramChannel'),
  selector: javaKind('java.nio.channels.Selector', 'Selector'),
  urlConnection: javaKind('java.net.HttpURLConnection', 'HttpURLConnection', {
    verb: 'released',
    advice: 'call disconnect() in a finally block, or close its input stream with try-with-resources',
    methods: set('disconnect'),
    exceptionLeaks: false,
    opensWith: /^(connect|getInputStream|getOutputStream|getErrorStream|getResponseCode|getResponseMessage|getHeaderField\w*|getContent\w*|getLastModified|getDate|getExpiration|usingProxy)$/,
    nothingUntilOpened: true,
    derived: new Map([
      ['getInputStream', streamReleasedAtEnd],
      ['getErrorStream', streamReleasedAtEnd],
    ]),
  }),
  apacheClient4: javaKind('org.apache.http.impl.client.CloseableHttpClient', 'CloseableHttpClient', {
    advice: 'wrap it in try-with-resources, or better, create one client per application and reuse it',
    opensWith: /^execute(Open)?$/,
    // HttpClient 4.0-4.2's close(): `client.getConnectionManager().shutdown()` closes every connection it made.
    derived: new Map([['getConnectionManager', { methods: CONNECTION_MANAGER_SHUTDOWN }]]),
    releasedByManager: CONNECTION_MANAGER_SHUTDOWN,
  }),
  apacheClient5: javaKind('org.apache.hc.client5.http.impl.classic.CloseableHttpClient', 'CloseableHttpClient', {
    advice: 'wrap it in try-with-resources, or better, create one client per application and reuse it',
    opensWith: /^execute(Open)?$/,
    releasedByManager: CONNECTION_MANAGER_SHUTDOWN,
  }),
  apacheResponse4: javaKind('org.apache.http.client.methods.CloseableHttpResponse', 'CloseableHttpResponse', {
    advice: 'wrap it in try-with-resources (or call EntityUtils.consume(response.getEntity()) in a finally block)',
    derived: new Map([['getEntity', apacheEntity]]),
    closedWithClient: true,
    releasedByRequest: set('releaseConnection', 'reset', 'abort'),
    safeCalls: APACHE_RESPONSE_GETTERS,
  }),
  apacheResponse5: javaKind('org.apache.hc.client5.http.impl.classic.CloseableHttpResponse', 'CloseableHttpResponse', {
    advice: 'wrap it in try-with-resources, or use execute(request, responseHandler), which closes it for you',
    derived: new Map([['getEntity', apacheEntity]]),
    closedWithClient: true,
    releasedByRequest: set('reset', 'cancel', 'abort'),
    safeCalls: APACHE_RESPONSE_GETTERS,
  }),
  okHttpResponse: javaKind('okhttp3.Response', 'OkHttp Response', {
    derived: new Map<string, Releasable>([
      ['body', okHttpBody],
      ['newBuilder', okHttpResponseBuilder],
    ]),
    // Getters of what already arrived: they cannot throw.
    safeCalls: /^(isSuccessful|isRedirect|code|message|headers|header|request|protocol|networkResponse|priorResponse|sentRequestAtMillis|receivedResponseAtMillis)$/,
  }),
  // Hutool's `executeAsync()` leaves the reply's body on the connection until it is read (body(), bodyBytes(),
  // sync(), writeBody(...), which also close it, even when they fail) or the response is closed; `execute()` reads
  // and closes at once. What stands between executeAsync() and the read copies status and headers (to a servlet
  // response, zfile's download proxy; into MimeHeaders, Hutool's SoapClient): both exception paths found so were
  // no leak anyone would fix, so only a response never read or closed is reported, as for HttpURLConnection.
  hutoolAsyncResponse: javaKind('cn.hutool.http.HttpResponse', 'Hutool HttpResponse', {
    exceptionLeaks: false,
    methods: set('close', 'body', 'bodyBytes', 'sync', 'writeBody', 'writeBodyForFile'),
    advice: 'read its body (body(), bodyBytes(), writeBody(...)) or close it with try-with-resources; execute() does both for you',
    derived: new Map([['bodyStream', streamReleasedAtEnd]]),
    // Getters of what already arrived: they cannot throw.
    safeCalls: /^(getStatus|isOk|header|headers|headerList|contentLength|contentEncoding|isGzip|isDeflate|isZlib|isChunked|getCookieStr|getCookies|getCookie|getCookieValue)$/,
  }),
  // A Jedis connection: its own socket (`new Jedis(host, port)`) or one lent by a JedisPool, which waits for ever
  // (maxWait -1 by default) once every lent connection is held. close() gives a pooled one back.
  jedis: javaKind('redis.clients.jedis.Jedis', 'Jedis', {
    methods: set('close', 'disconnect', 'quit'),
    releasedBy: (call) => javaCloseHelper(call) || (call.kind === 'call' && JEDIS_RETURN.test(call.name) && call.args.length >= 1),
    advice: 'close it with try-with-resources: close() gives a pooled connection back to its JedisPool and closes a standalone one',
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
    derived: new Map([['body', streamReleasedAtEnd]]),
    // Getters of what already arrived: they cannot throw.
    safeCalls: /^(statusCode|headers|uri|version|request|previousResponse|sslSession|body)$/,
    advice: 'close it: try (InputStream in = response.body()) { ... }',
  }),
  jaxrsClient: javaKind('jakarta.ws.rs.client.Client', 'JAX-RS Client', {
    advice: 'close it in a finally block, or better, create one Client per application and reuse it',
  }),
  jaxrsResponse: javaKind('jakarta.ws.rs.core.Response', 'JAX-RS Response', {
    // bufferEntity() reads the whole entity into memory and closes its stream: the connection is free after it.
    methods: set('close', 'readEntity', 'bufferEntity'),
    // An unread entity is the response's stream: closing it, or handing it to an owner, settles the response
    // (openremote's redirect filter gives it to the outer response with setEntityStream).
    derived: new Map([['getEntity', { methods: set('close') }]]),
    // Getters of the status and headers, which arrived with it: they cannot throw (Ranger's clients log them).
    safeCalls: /^(getStatus|getStatusInfo|getHeaders|getStringHeaders|getHeaderString|getMetadata|getMediaType|getLength|getLocation|getCookies|getDate|getLastModified|getEntityTag|getLanguage|getAllowedMethods|getLinks|getLink|hasLink|hasEntity)$/,
    advice: 'wrap it in try-with-resources, or read it with readEntity(...)',
    closedWithClient: true,
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

/** A fetch Response's body: a web stream, or node-fetch 2's Node stream (`response.body.pipe(out)`). */
const webStream: Releasable = {
  methods: set('cancel', 'getReader', 'pipeTo', 'pipeThrough', 'tee', 'pipe', 'resume'),
  iterationConsumes: true,
  passedOnIsOwned: true,
};

/** What a fetch Response holds until read, for Node's fetch (undici) and node-fetch (`buffer()`, 2.x) alike. */
const FETCH_BODY: Partial<ResourceKind> = {
  verb: 'read or cancelled',
  advice: 'read it (await res.text(), res.json(), ...) or cancel it with await res.body?.cancel() so the connection is freed',
  methods: set('text', 'json', 'arrayBuffer', 'blob', 'formData', 'bytes', 'buffer', 'textConverted'),
  derived: new Map([['body', webStream]]),
};

const undiciBody: Releasable = {
  methods: set('text', 'json', 'arrayBuffer', 'blob', 'bytes', 'formData', 'dump', 'destroy', 'pipe', 'resume'),
  consumingEvents: NODE_STREAM_EVENTS,
  iterationConsumes: true,
  passedOnIsOwned: true,
};

/** Node's emitters and sockets return themselves from these: `https.request(...).on('error', f)` is still the request. */
const EMITTER_FLUENT = set('on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'setTimeout', 'setNoDelay', 'setKeepAlive', 'setEncoding', 'setHeader', 'ref', 'unref', 'pause', 'cork');

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
    fluent: EMITTER_FLUENT,
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
    ...FETCH_BODY,
    reclaimedByGc:
      "undici frees an unread fetch body when the Response is garbage-collected, and node-fetch drains one under about 64 KB into its own stream (measured), freeing the socket",
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
  browserConnection: jsKind('playwright/puppeteer Browser', 'remote Browser connection', {
    advice: 'call browser.close() when done (in a finally block), or keep one connection and reuse it while browser.isConnected()',
    methods: set('close', 'disconnect'),
  }),
  gotStream: jsKind('got stream', 'got stream', {
    verb: 'consumed or destroyed',
    advice: 'pipe or read the stream, or call stream.destroy() when you do not need it',
    ...nodeStream,
  }),
} satisfies Record<string, ResourceKind>;

const KINDS: ReadonlyMap<string, ResourceKind> = new Map([
  ...Object.entries(JAVA).map(([key, kind]) => [`java.${key}`, kind] as const),
  ...Object.entries(JS).map(([key, kind]) => [`js.${key}`, kind] as const),
]);
const KEYS: ReadonlyMap<ResourceKind, string> = new Map([...KINDS].map(([key, kind]) => [kind, key]));

/** A kind's stable name (`java.okHttpResponse`), for workspace facts that must survive serialisation. */
export function kindKey(kind: ResourceKind): string | undefined {
  return KEYS.get(kind);
}

/** The kind a kindKey names. */
export function kindOfKey(key: string): ResourceKind | undefined {
  return KINDS.get(key);
}
