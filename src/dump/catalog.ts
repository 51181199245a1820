// One catalogue of the stack frames that mean something to us: whose code a frame is, and which frames say that a
// thread waits for a socket, a pooled connection, a future or a new task. Activity classification, pools, links and
// verdicts all read this list, so a new client library is taught here once.

/** Packages that are not the user's code: JDK, servers, frameworks, client libraries, drivers, JVM vendors. */
const LIBRARY_PREFIXES = [
  'java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'jakarta.', 'com.oracle.', 'oracle.', 'com.ibm.', 'openj9.',
  'org.apache.', 'org.eclipse.', 'io.netty.', 'io.undertow.', 'org.xnio.', 'org.jboss.',
  'org.wildfly.', 'org.glassfish.', 'weblogic.', 'jrockit.', 'com.sap.', 'com.sapportals.', 'org.springframework.',
  'reactor.', 'io.reactivex.', 'rx.', 'okhttp3.', 'okio.', 'com.squareup.', 'retrofit2.', 'feign.', 'kotlin.',
  'kotlinx.', 'scala.', 'akka.', 'groovy.', 'org.codehaus.', 'com.google.', 'com.fasterxml.', 'ch.qos.logback.',
  'org.slf4j.', 'com.zaxxer.', 'com.mchange.', 'com.alibaba.druid.', 'com.mysql.', 'org.mariadb.',
  'org.postgresql.', 'com.microsoft.sqlserver.', 'org.h2.', 'org.hsqldb.', 'redis.clients.', 'io.lettuce.',
  'org.redisson.', 'com.mongodb.', 'org.mongodb.', 'org.elasticsearch.', 'org.hibernate.', 'org.mybatis.',
  'org.aspectj.', 'net.bytebuddy.', 'net.sf.cglib.', 'javassist.', 'org.objectweb.asm.', 'io.grpc.', 'io.vertx.',
  'io.micrometer.', 'io.opentelemetry.', 'io.opentracing.', 'brave.', 'zipkin2.', 'com.netflix.', 'io.github.resilience4j.',
  'org.quartz.', 'org.junit.', 'junit.', 'org.testng.', 'org.mockito.', 'org.gradle.', 'org.jetbrains.', 'com.intellij.',
  'com.amazonaws.', 'software.amazon.', 'com.azure.', 'com.microsoft.azure.', 'org.asynchttpclient.', 'com.ning.',
  'org.bouncycastle.', 'io.prometheus.', 'com.hazelcast.', 'org.infinispan.', 'net.sf.ehcache.', 'org.ehcache.',
  'com.github.benmanes.caffeine.', 'org.yaml.', 'org.jooq.', 'io.smallrye.', 'io.quarkus.', 'io.micronaut.',
  'io.helidon.', 'io.dropwizard.', 'org.thymeleaf.', 'freemarker.', 'org.freemarker.',
];

const GENERATED_CLASS = /\$\$Lambda|\$\$EnhancerBy|\$\$FastClassBy|\$\$SpringCGLIB|^\$Proxy|\.\$Proxy|GeneratedMethodAccessor|GeneratedConstructorAccessor|GeneratedSerializationConstructorAccessor/;

/** True for code the user owns: not the JDK, not a server, framework or client library, not generated glue. */
export function isApplicationFrame(className: string): boolean {
  if (className === '' || GENERATED_CLASS.test(className)) return false;
  for (const prefix of LIBRARY_PREFIXES) if (className.startsWith(prefix)) return false;
  return true;
}

export interface FrameSignature {
  /** Class name, or a prefix ending in `.` for a whole package. */
  class: string;
  /** Method names; omitted means any method. */
  methods?: readonly string[];
}

function matches(signature: FrameSignature, className: string, method: string): boolean {
  const classMatches = signature.class.endsWith('.') ? className.startsWith(signature.class) : className === signature.class;
  return classMatches && (signature.methods === undefined || signature.methods.includes(method));
}

export function matchesAny(signatures: readonly FrameSignature[], className: string, method: string): boolean {
  for (const signature of signatures) if (matches(signature, className, method)) return true;
  return false;
}

/** A blocking read on a TCP socket, from JDK 1.4 socket streams to the JDK 13+ NIO socket impl and TLS. */
export const SOCKET_READ: readonly FrameSignature[] = [
  { class: 'java.net.SocketInputStream', methods: ['socketRead0', 'socketRead', 'read'] },
  { class: 'java.net.Socket$SocketInputStream', methods: ['read', 'implRead'] },
  { class: 'sun.nio.ch.NioSocketImpl', methods: ['read', 'implRead', 'timedRead', 'tryRead'] },
  { class: 'sun.nio.ch.SocketDispatcher', methods: ['read', 'read0'] },
  { class: 'sun.nio.ch.SocketChannelImpl', methods: ['read', 'blockingRead'] },
  { class: 'sun.security.ssl.SSLSocketImpl$AppInputStream', methods: ['read'] },
  { class: 'sun.security.ssl.SSLSocketInputRecord', methods: ['read', 'decode', 'bytesInCompletePacket'] },
  { class: 'org.apache.tomcat.jni.Socket', methods: ['recv', 'recvb', 'recvbb', 'recvt'] },
];

export const SOCKET_WRITE: readonly FrameSignature[] = [
  { class: 'java.net.SocketOutputStream', methods: ['socketWrite0', 'socketWrite', 'write'] },
  { class: 'java.net.Socket$SocketOutputStream', methods: ['write', 'implWrite'] },
  { class: 'sun.nio.ch.NioSocketImpl', methods: ['write', 'implWrite', 'tryWrite'] },
  { class: 'sun.nio.ch.SocketDispatcher', methods: ['write', 'write0'] },
];

export const SOCKET_CONNECT: readonly FrameSignature[] = [
  { class: 'java.net.PlainSocketImpl', methods: ['socketConnect'] },
  { class: 'java.net.DualStackPlainSocketImpl', methods: ['connect0', 'waitForConnect', 'socketConnect'] },
  { class: 'java.net.AbstractPlainSocketImpl', methods: ['connect', 'doConnect', 'connectToAddress'] },
  { class: 'sun.nio.ch.NioSocketImpl', methods: ['connect', 'timedFinishConnect'] },
  { class: 'sun.nio.ch.Net', methods: ['connect', 'connect0'] },
];

export const SOCKET_ACCEPT: readonly FrameSignature[] = [
  { class: 'java.net.PlainSocketImpl', methods: ['socketAccept', 'accept0'] },
  { class: 'java.net.DualStackPlainSocketImpl', methods: ['accept0', 'socketAccept'] },
  { class: 'sun.nio.ch.NioSocketImpl', methods: ['accept', 'timedAccept'] },
  { class: 'sun.nio.ch.ServerSocketChannelImpl', methods: ['accept', 'accept0', 'implAccept'] },
  { class: 'org.apache.tomcat.jni.Socket', methods: ['accept'] },
];

/** Event loops and pollers waiting for readiness: a normal, idle state for I/O threads. */
export const SELECTOR_WAIT: readonly FrameSignature[] = [
  { class: 'sun.nio.ch.EPollArrayWrapper', methods: ['epollWait', 'poll'] },
  { class: 'sun.nio.ch.EPoll', methods: ['wait', 'epollWait'] },
  { class: 'sun.nio.ch.KQueue', methods: ['poll', 'kevent0'] },
  { class: 'sun.nio.ch.KQueueArrayWrapper', methods: ['kevent0', 'poll'] },
  { class: 'sun.nio.ch.WindowsSelectorImpl$SubSelector', methods: ['poll0', 'poll'] },
  { class: 'sun.nio.ch.PollSelectorImpl', methods: ['poll', 'poll0', 'doSelect'] },
  { class: 'sun.nio.ch.DevPollArrayWrapper', methods: ['poll0', 'poll'] },
  { class: 'sun.nio.ch.SelectorImpl', methods: ['select', 'lockAndDoSelect'] },
  { class: 'io.netty.channel.epoll.Native', methods: ['epollWait', 'epollWait0', 'epollBusyWait0'] },
  { class: 'io.netty.channel.kqueue.Native', methods: ['keventWait'] },
  { class: 'org.apache.tomcat.jni.Poll', methods: ['poll'] },
];

/** Waiting for the result of work handed to another thread. */
export const FUTURE_WAIT: readonly FrameSignature[] = [
  { class: 'java.util.concurrent.FutureTask', methods: ['get', 'awaitDone'] },
  { class: 'java.util.concurrent.CompletableFuture', methods: ['get', 'join', 'waitingGet', 'timedGet'] },
  { class: 'java.util.concurrent.AbstractExecutorService', methods: ['invokeAll', 'invokeAny', 'doInvokeAny'] },
  { class: 'java.util.concurrent.ForkJoinTask', methods: ['get', 'join', 'awaitDone'] },
  { class: 'com.google.common.util.concurrent.AbstractFuture', methods: ['get'] },
  { class: 'io.netty.util.concurrent.DefaultPromise', methods: ['await', 'sync', 'get'] },
  { class: 'scala.concurrent.Await$', methods: ['result', 'ready'] },
  // Reactor's block() (WebClient ... .block()) and RxJava's blockingGet: the answer comes from another thread.
  { class: 'reactor.core.publisher.BlockingSingleSubscriber', methods: ['blockingGet'] },
  { class: 'reactor.core.publisher.Mono', methods: ['block', 'blockOptional'] },
  { class: 'reactor.core.publisher.Flux', methods: ['blockFirst', 'blockLast'] },
  { class: 'io.reactivex.internal.observers.BlockingMultiObserver', methods: ['blockingGet'] },
  { class: 'io.reactivex.rxjava3.internal.observers.BlockingMultiObserver', methods: ['blockingGet'] },
];

export interface LeaseSignature extends FrameSignature {
  library: string;
}

/** Waiting for a free connection from a client-side pool. */
export const CONNECTION_LEASE: readonly LeaseSignature[] = [
  { library: 'Apache HttpClient 4', class: 'org.apache.http.pool.AbstractConnPool', methods: ['getPoolEntryBlocking'] },
  { library: 'Apache HttpClient 4', class: 'org.apache.http.pool.PoolEntryFuture', methods: ['await', 'get'] },
  { library: 'Apache HttpClient 4', class: 'org.apache.http.impl.conn.PoolingHttpClientConnectionManager', methods: ['leaseConnection'] },
  { library: 'Apache HttpClient 4', class: 'org.apache.http.impl.conn.tsccm.ConnPoolByRoute', methods: ['getEntryBlocking'] },
  { library: 'Apache HttpClient 4', class: 'org.apache.http.impl.conn.tsccm.WaitingThread', methods: ['await'] },
  { library: 'Apache HttpClient 3', class: 'org.apache.commons.httpclient.MultiThreadedHttpConnectionManager', methods: ['doGetConnection'] },
  { library: 'Apache HttpClient 5', class: 'org.apache.hc.core5.pool.StrictConnPool', methods: ['lease', 'getPoolEntryBlocking'] },
  { library: 'Apache HttpClient 5', class: 'org.apache.hc.core5.pool.LaxConnPool$PerRoutePool', methods: ['lease'] },
  { library: 'Apache HttpClient 5', class: 'org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager$1', methods: ['get'] },
  { library: 'HikariCP', class: 'com.zaxxer.hikari.util.ConcurrentBag', methods: ['borrow'] },
  { library: 'HikariCP', class: 'com.zaxxer.hikari.pool.HikariPool', methods: ['getConnection'] },
  { library: 'Apache Commons Pool', class: 'org.apache.commons.pool2.impl.GenericObjectPool', methods: ['borrowObject'] },
  { library: 'Apache Commons Pool', class: 'org.apache.commons.pool.impl.GenericObjectPool', methods: ['borrowObject'] },
  { library: 'Tomcat JDBC pool', class: 'org.apache.tomcat.jdbc.pool.ConnectionPool', methods: ['borrowConnection'] },
  { library: 'c3p0', class: 'com.mchange.v2.resourcepool.BasicResourcePool', methods: ['awaitAvailable', 'checkoutResource'] },
  { library: 'Druid', class: 'com.alibaba.druid.pool.DruidDataSource', methods: ['takeLast', 'pollLast'] },
];

/** A pool worker waiting for its next task: idle, not stuck. */
export const TASK_WAIT: readonly FrameSignature[] = [
  { class: 'java.util.concurrent.ThreadPoolExecutor', methods: ['getTask'] },
  { class: 'java.util.concurrent.ForkJoinPool', methods: ['awaitWork', 'awaitQuiescence'] },
  { class: 'org.apache.tomcat.util.threads.TaskQueue', methods: ['take', 'poll'] },
  { class: 'org.eclipse.jetty.util.thread.QueuedThreadPool$Runner', methods: ['idleJobPoll', 'reservedWait'] },
  { class: 'org.eclipse.jetty.util.thread.QueuedThreadPool', methods: ['idleJobPoll'] },
  { class: 'org.eclipse.jetty.util.thread.ReservedThreadExecutor$ReservedThread', methods: ['reservedWait'] },
  { class: 'org.jboss.threads.EnhancedQueueExecutor$ThreadBody', methods: ['run'] },
  { class: 'java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue', methods: ['take', 'poll'] },
  { class: 'java.util.TimerThread', methods: ['mainLoop'] },
  { class: 'com.sap.engine.core.thread.execution.CentralExecutor$SingleThread', methods: ['getTask', 'waitForTask'] },
];

export interface ClientLibrary extends FrameSignature {
  library: string;
  /** HTTP clients can call the application's own server; database and cache drivers cannot. */
  http: boolean;
}

/** Code that talks to a remote server: a thread reading below one of these is waiting for a peer. */
export const CLIENT_LIBRARIES: readonly ClientLibrary[] = [
  { library: 'Apache HttpClient', class: 'org.apache.http.impl.', http: true },
  { library: 'Apache HttpClient', class: 'org.apache.http.protocol.HttpRequestExecutor', http: true },
  { library: 'Apache HttpClient', class: 'org.apache.hc.client5.', http: true },
  { library: 'Apache HttpClient', class: 'org.apache.hc.core5.http.impl.', http: true },
  { library: 'Apache HttpClient', class: 'org.apache.commons.httpclient.', http: true },
  { library: 'OkHttp', class: 'okhttp3.', http: true },
  { library: 'OkHttp', class: 'com.squareup.okhttp.', http: true },
  { library: 'HttpURLConnection', class: 'sun.net.www.protocol.http.HttpURLConnection', http: true },
  { library: 'HttpURLConnection', class: 'sun.net.www.http.HttpClient', http: true },
  { library: 'HttpURLConnection', class: 'sun.net.www.protocol.https.', http: true },
  { library: 'java.net.http.HttpClient', class: 'jdk.internal.net.http.', http: true },
  { library: 'RestTemplate', class: 'org.springframework.web.client.', http: true },
  { library: 'WebClient', class: 'org.springframework.web.reactive.function.client.', http: true },
  { library: 'Spring HTTP client', class: 'org.springframework.http.client.', http: true },
  { library: 'Reactor Netty client', class: 'reactor.netty.http.client.', http: true },
  { library: 'Feign', class: 'feign.', http: true },
  { library: 'Jetty client', class: 'org.eclipse.jetty.client.', http: true },
  { library: 'Jersey client', class: 'org.glassfish.jersey.client.', http: true },
  { library: 'Jersey client', class: 'com.sun.jersey.api.client.', http: true },
  { library: 'CXF', class: 'org.apache.cxf.transport.http.', http: true },
  { library: 'AsyncHttpClient', class: 'org.asynchttpclient.', http: true },
  { library: 'MySQL JDBC', class: 'com.mysql.', http: false },
  { library: 'MariaDB JDBC', class: 'org.mariadb.jdbc.', http: false },
  { library: 'PostgreSQL JDBC', class: 'org.postgresql.', http: false },
  { library: 'Oracle JDBC', class: 'oracle.jdbc.', http: false },
  { library: 'SQL Server JDBC', class: 'com.microsoft.sqlserver.', http: false },
  { library: 'Jedis', class: 'redis.clients.', http: false },
  { library: 'Lettuce', class: 'io.lettuce.', http: false },
  { library: 'MongoDB driver', class: 'com.mongodb.', http: false },
  { library: 'Elasticsearch client', class: 'org.elasticsearch.client.', http: true },
  { library: 'AWS SDK', class: 'com.amazonaws.http.', http: true },
  { library: 'AWS SDK', class: 'software.amazon.awssdk.http.', http: true },
];

/** Server-side connection handling: a read below these waits for a client's request, not for a peer's answer. */
export const SERVER_READ: readonly FrameSignature[] = [
  { class: 'org.apache.coyote.' },
  { class: 'sun.net.httpserver.' },
  { class: 'org.apache.tomcat.util.net.' },
  { class: 'org.eclipse.jetty.server.' },
  { class: 'org.eclipse.jetty.io.' },
  { class: 'io.undertow.server.' },
  { class: 'sun.rmi.transport.' },
  { class: 'com.sun.enterprise.web.connector.' },
  { class: 'com.sun.grizzly.' },
  { class: 'org.glassfish.grizzly.' },
  { class: 'weblogic.socket.' },
  { class: 'com.sap.engine.services.httpserver.' },
];

/**
 * Frames of a web request being served: servlet containers, the JDK's own HTTP server, Jetty, Undertow, Netty and
 * the frameworks on top. A thread with one of these below its wait is a worker of a server, whatever its pool is called.
 */
export const REQUEST_HANDLING: readonly FrameSignature[] = [
  { class: 'org.apache.catalina.core.ApplicationFilterChain' },
  { class: 'org.apache.catalina.core.StandardWrapperValve' },
  { class: 'org.apache.coyote.http11.Http11Processor', methods: ['service'] },
  { class: 'org.apache.coyote.AbstractProcessorLight', methods: ['process'] },
  { class: 'sun.net.httpserver.ServerImpl$Exchange', methods: ['run'] },
  { class: 'sun.net.httpserver.AuthFilter', methods: ['doFilter'] },
  { class: 'com.sun.net.httpserver.Filter$Chain', methods: ['doFilter'] },
  { class: 'org.eclipse.jetty.server.HttpChannel', methods: ['handle', 'dispatch'] },
  { class: 'org.eclipse.jetty.server.Server', methods: ['handle', 'handleAsync'] },
  { class: 'org.eclipse.jetty.server.handler.' },
  { class: 'org.eclipse.jetty.servlet.ServletHandler' },
  { class: 'org.eclipse.jetty.ee10.servlet.' },
  { class: 'io.undertow.server.Connectors', methods: ['executeRootHandler'] },
  { class: 'io.undertow.servlet.handlers.' },
  { class: 'io.netty.channel.AbstractChannelHandlerContext', methods: ['invokeChannelRead', 'fireChannelRead'] },
  { class: 'reactor.netty.http.server.HttpServerOperations', methods: ['onInboundNext'] },
  { class: 'org.springframework.web.reactive.DispatcherHandler', methods: ['handle'] },
  { class: 'org.glassfish.jersey.server.ServerRuntime$Responder' },
  { class: 'org.glassfish.jersey.server.ApplicationHandler', methods: ['handle'] },
  { class: 'org.glassfish.grizzly.http.server.HttpHandler', methods: ['doHandle'] },
  { class: 'io.vertx.core.http.impl.Http1xServerRequestHandler', methods: ['handle'] },
  { class: 'javax.servlet.http.HttpServlet', methods: ['service'] },
  { class: 'jakarta.servlet.http.HttpServlet', methods: ['service'] },
  { class: 'org.springframework.web.servlet.DispatcherServlet' },
  { class: 'org.springframework.web.servlet.FrameworkServlet' },
  { class: 'com.sun.enterprise.web.' },
  { class: 'weblogic.servlet.internal.' },
  { class: 'com.ibm.ws.webcontainer.' },
];
