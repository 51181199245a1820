// Synthetic dump inputs: a jstack-style dump of Tomcat workers in a few typical stacks and a netstat of the same
// process, of any size. The dump bench falls back on these when ../shared's corpus is absent; test/dump/large.test.ts
// feeds them through the whole analysis.

// Stacks the generator mixes: Tomcat workers idle, in a database read, in an outbound HTTP call, waiting on a
// future, blocked on a lock; plus JVM threads without a Java stack. Application frames vary so groups differ.
const IDLE_WORKER = [
  'jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)',
  '- parking to wait for  <0x00000000c1a2b3c8> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)',
  'java.util.concurrent.locks.LockSupport.parkNanos(java.base@17.0.9/LockSupport.java:252)',
  'java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.awaitNanos(java.base@17.0.9/AbstractQueuedSynchronizer.java:1672)',
  'java.util.concurrent.LinkedBlockingQueue.poll(java.base@17.0.9/LinkedBlockingQueue.java:460)',
  'org.apache.tomcat.util.threads.TaskQueue.poll(TaskQueue.java:99)',
  'org.apache.tomcat.util.threads.TaskQueue.poll(TaskQueue.java:33)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1113)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1174)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)',
  'org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)',
  'java.lang.Thread.run(java.base@17.0.9/Thread.java:840)',
];

const REQUEST_TAIL = [
  'org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)',
  'javax.servlet.http.HttpServlet.service(HttpServlet.java:764)',
  'org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:227)',
  'org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:162)',
  'org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:197)',
  'org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:97)',
  'org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:360)',
  'org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:399)',
  'org.apache.coyote.AbstractProcessorLight.process(AbstractProcessorLight.java:65)',
  'org.apache.coyote.AbstractProtocol$ConnectionHandler.process(AbstractProtocol.java:893)',
  'org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1789)',
  'org.apache.tomcat.util.net.SocketProcessorBase.run(SocketProcessorBase.java:49)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191)',
  'org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)',
  'java.lang.Thread.run(java.base@17.0.9/Thread.java:840)',
];

const DB_READ = [
  'sun.nio.ch.Net.poll(java.base@17.0.9/Native Method)',
  'sun.nio.ch.NioSocketImpl.park(java.base@17.0.9/NioSocketImpl.java:186)',
  'sun.nio.ch.NioSocketImpl.timedRead(java.base@17.0.9/NioSocketImpl.java:290)',
  'sun.nio.ch.NioSocketImpl.implRead(java.base@17.0.9/NioSocketImpl.java:314)',
  'sun.nio.ch.NioSocketImpl.read(java.base@17.0.9/NioSocketImpl.java:355)',
  'java.net.Socket$SocketInputStream.read(java.base@17.0.9/Socket.java:976)',
  'org.postgresql.core.VisibleBufferedInputStream.readMore(VisibleBufferedInputStream.java:161)',
  'org.postgresql.core.PGStream.receiveChar(PGStream.java:453)',
  'org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2120)',
  'org.postgresql.jdbc.PgPreparedStatement.executeQuery(PgPreparedStatement.java:134)',
  'com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)',
];

const FUTURE_WAIT = [
  'jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)',
  '- parking to wait for  <0x00000000d2f1e0a8> (a java.util.concurrent.FutureTask)',
  'java.util.concurrent.locks.LockSupport.park(java.base@17.0.9/LockSupport.java:211)',
  'java.util.concurrent.FutureTask.awaitDone(java.base@17.0.9/FutureTask.java:447)',
  'java.util.concurrent.FutureTask.get(java.base@17.0.9/FutureTask.java:190)',
];

const SERVICES = ['OrderService', 'CatalogService', 'SearchService', 'AccountService', 'ReportService'];

function appFrames(variant: number): string[] {
  const service = SERVICES[variant % SERVICES.length];
  return [
    `com.example.shop.${service.toLowerCase()}.${service}.load(${service}.java:${40 + (variant % 37)})`,
    `com.example.shop.web.${service}Controller.handle(${service}Controller.java:${20 + (variant % 11)})`,
    'jdk.internal.reflect.GeneratedMethodAccessor88.invoke(Unknown Source)',
    'org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1072)',
  ];
}

function threadBlock(n: number): string {
  const header = (state: string, words: string) =>
    `"http-nio-8080-exec-${n}" #${n + 40} daemon prio=5 os_prio=0 cpu=${(n % 997) * 3.1}ms elapsed=${1000 + n}.12s tid=0x00007f${(0x10000000 + n).toString(16)} nid=0x${(0x1000 + n).toString(16)} ${words}  [0x00007f2a${(n & 0xffff).toString(16).padStart(4, '0')}000]\n   java.lang.Thread.State: ${state}\n`;
  const at = (frames: readonly string[]) => frames.map((f) => (f.startsWith('- ') ? `\t${f}\n` : `\tat ${f}\n`)).join('');
  const variant = n % 40;
  switch (n % 4) {
    case 0:
      return header('TIMED_WAITING (parking)', 'waiting on condition') + at(IDLE_WORKER) + '\n   Locked ownable synchronizers:\n\t- None\n\n';
    case 1:
      return header('RUNNABLE', 'runnable') + at([...DB_READ, ...appFrames(variant), ...REQUEST_TAIL]) + '\n';
    case 2:
      return header('WAITING (parking)', 'waiting on condition') + at([...FUTURE_WAIT, ...appFrames(variant), ...REQUEST_TAIL]) + '\n';
    default:
      return (
        header('BLOCKED (on object monitor)', 'waiting for monitor entry') +
        at([`com.example.shop.cache.PriceCache.get(PriceCache.java:${60 + variant})`, '- waiting to lock <0x00000000c0ffee00> (a java.lang.Object)', ...appFrames(variant), ...REQUEST_TAIL]) +
        '\n'
      );
  }
}

/** A jstack-style dump of about `bytes` bytes; returns the text and how many threads it holds. */
export function generateThreadDump(bytes: number): { text: string; threads: number } {
  const parts = ['2024-03-05 10:15:42\nFull thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode, sharing):\n\n'];
  let size = parts[0].length;
  let threads = 0;
  while (size < bytes) {
    const block = threadBlock(threads);
    parts.push(block);
    size += block.length;
    threads++;
  }
  parts.push('"VM Thread" os_prio=0 cpu=1201.33ms elapsed=9001.20s tid=0x00007f2a00001000 nid=0x1a runnable\n\nJNI global refs: 2117, weak refs: 0\n');
  return { text: parts.join(''), threads: threads + 1 };
}

/** A `netstat -tanp` listing of `lines` connections of pid 4242: clients on 8080 and outbound database connections. */
export function generateNetstat(lines: number): { text: string; sockets: number } {
  const rows = ['Active Internet connections (servers and established)', 'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name'];
  rows.push('tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      4242/java');
  for (let i = 1; i < lines; i++) {
    const client = `10.${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    const port = 32768 + (i % 28000);
    const database = `10.0.9.${Math.floor(i / 28000)}`;
    if (i % 5 === 0) rows.push(`tcp        0      0 10.0.0.5:${port}         ${database}:5432           ESTABLISHED 4242/java`);
    else if (i % 5 === 1) rows.push(`tcp        0      0 10.0.0.5:${port}         ${database}:5432           TIME_WAIT   -`);
    else if (i % 5 === 2) rows.push(`tcp        1      0 10.0.0.5:8080           ${client}:${port}       CLOSE_WAIT  4242/java`);
    else rows.push(`tcp        0      0 10.0.0.5:8080           ${client}:${port}       ESTABLISHED 4242/java`);
  }
  return { text: rows.join('\n') + '\n', sockets: lines };
}

