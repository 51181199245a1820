// Thread pools, recognised by how pools name their threads: `http-nio-8080-exec-12` is worker 12 of the pool
// `http-nio-8080-exec`, which serves port 8080.

// A name ending in a worker number: `pool-4-thread-1`, `GC Thread#9`, `RMI/IIOP Worker [3]`, `XNIO-1 task-3`.
const NUMBERED = /^(.+?)(?:[-_#]|\s\[|\s)(\d+)\]?$/;
const WEBLOGIC = /ExecuteThread: '\d+' for queue: '([^']+)'/;
// `Thread-12` is what unnamed threads are called, not a pool.
const NOT_A_POOL = new Set(['Thread']);

export function poolNameOf(threadName: string): string | null {
  const weblogic = WEBLOGIC.exec(threadName);
  if (weblogic) return `ExecuteThread for queue '${weblogic[1]}'`;
  const m = NUMBERED.exec(threadName);
  if (!m || NOT_A_POOL.has(m[1])) return null;
  return m[1];
}

/** Port in a connector pool's name: Tomcat `http-nio-8080-exec`, `ajp-nio-127.0.0.1-8009-exec`, GlassFish `httpWorkerThread-4848`. */
export function serverPortOfPool(pool: string): number | null {
  const tomcat = /^(?:https?|ajp)\b.*-(\d{2,5})-exec$/i.exec(pool);
  const glassfish = /^http(?:SSL)?WorkerThread-(\d{2,5})$/.exec(pool);
  const port = Number((tomcat ?? glassfish)?.[1]);
  return port > 0 && port <= 65535 ? port : null;
}
