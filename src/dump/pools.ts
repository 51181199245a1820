// Thread pools, recognised by how pools name their threads: `http-nio-8080-exec-12` is worker 12 of the pool
// `http-nio-8080-exec`, which serves port 8080.

import { isSpace } from './threads/header';

// A name ending in a worker number: `pool-4-thread-1`, `GC Thread#9`, `RMI/IIOP Worker [3]`, `XNIO-1 task-3`.
const NUMBERED = /^(.+?)(?:[-_#]|\s\[|\s)(\d+)\]?$/;
const WEBLOGIC = /ExecuteThread: '\d+' for queue: '([^']+)'/;
// `Thread-12` is what unnamed threads are called, not a pool.
const NOT_A_POOL = new Set(['Thread']);

export function poolNameOf(threadName: string): string | null {
  if (threadName.includes("ExecuteThread: '")) {
    const weblogic = WEBLOGIC.exec(threadName);
    if (weblogic) return `ExecuteThread for queue '${weblogic[1]}'`;
  }
  const prefix = numberedPrefix(threadName);
  return prefix === null || NOT_A_POOL.has(prefix) ? null : prefix;
}

/**
 * What NUMBERED captures, read by hand (it runs once per thread of a dump of 100,000): the name before the
 * separator that precedes its trailing number. Names with a line break go through the expression itself.
 */
function numberedPrefix(name: string): string | null {
  if (/[\n\r\u2028\u2029]/.test(name)) return NUMBERED.exec(name)?.[1] ?? null;
  const end = name.charCodeAt(name.length - 1) === 93 /* ] */ ? name.length - 1 : name.length;
  let digits = end;
  while (digits > 0 && isDigit(name.charCodeAt(digits - 1))) digits--;
  if (digits === end || digits < 2) return null;
  const separator = name.charCodeAt(digits - 1);
  if (separator === 45 /* - */ || separator === 95 /* _ */ || separator === 35 /* # */ || isSpace(separator)) return name.slice(0, digits - 1);
  if (separator === 91 /* [ */ && digits >= 3 && isSpace(name.charCodeAt(digits - 2))) return name.slice(0, digits - 2);
  return null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Port in a connector pool's name: Tomcat `http-nio-8080-exec`, `ajp-nio-127.0.0.1-8009-exec`, GlassFish `httpWorkerThread-4848`. */
export function serverPortOfPool(pool: string): number | null {
  const tomcat = /^(?:https?|ajp)\b.*-(\d{2,5})-exec$/i.exec(pool);
  const glassfish = /^http(?:SSL)?WorkerThread-(\d{2,5})$/.exec(pool);
  const port = Number((tomcat ?? glassfish)?.[1]);
  return port > 0 && port <= 65535 ? port : null;
}
