// The catalogue of blocking waits that have a bounded twin: `get()` vs `get(timeout, unit)`, `take()` vs
// `poll(timeout, unit)`. An unbounded wait on work that depends on the network (or on this very server) parks the
// thread for good; in the original incident every Tomcat worker sat in FutureTask.get() under invokeAll.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { certain, possible, type Certainty } from './certainty';
import { isRequestHandler } from '../flow/handlers';
import { jsCertainty } from './js-acquisitions';
import { waitIsChosenOrCannotBlock } from './wait-guards';

export interface UnboundedWait {
  readonly node: Node;
  /** `Future.get()` */
  readonly api: string;
  /** The bounded form to use instead. */
  readonly fix: string;
  /** Whether the receiver's type was resolved, or only its name suggests it. */
  readonly certainty: Certainty;
}

interface JavaWait {
  readonly method: RegExp;
  /** Argument counts of the unbounded overloads. */
  readonly arities: readonly number[];
  /** Receiver types that have this wait, fully qualified. */
  readonly types: RegExp;
  /** Variable names that suggest the type when it cannot be read off a declaration. */
  readonly names?: RegExp;
  readonly api: (method: string) => string;
  readonly fix: string;
}

const CONCURRENT = String.raw`java\.util\.concurrent\.`;
const FUTURES = new RegExp(
  String.raw`^(${CONCURRENT}(Future|CompletableFuture|FutureTask|ScheduledFuture|RunnableFuture|ForkJoinTask|RecursiveTask)|com\.google\.common\.util\.concurrent\.(ListenableFuture|SettableFuture)|io\.netty\.util\.concurrent\.Future|io\.netty\.channel\.ChannelFuture)$`,
);
const EXECUTORS = new RegExp(String.raw`^(${CONCURRENT}(ExecutorService|ScheduledExecutorService|ThreadPoolExecutor|ForkJoinPool)|org\.springframework\.scheduling\.concurrent\.ThreadPoolTaskExecutor)$`);
const QUEUES = new RegExp(String.raw`^${CONCURRENT}(BlockingQueue|BlockingDeque|LinkedBlockingQueue|LinkedBlockingDeque|ArrayBlockingQueue|PriorityBlockingQueue|SynchronousQueue|DelayQueue|TransferQueue|LinkedTransferQueue)$`);

const JAVA_WAITS: readonly JavaWait[] = [
  {
    method: /^get$/,
    arities: [0],
    types: FUTURES,
    names: /future|task|promise/i,
    api: () => 'Future.get()',
    fix: 'future.get(10, TimeUnit.SECONDS) and handle TimeoutException (cancel the task, answer 503)',
  },
  {
    method: /^join$/,
    arities: [0],
    types: new RegExp(String.raw`^${CONCURRENT}(CompletableFuture|ForkJoinTask|RecursiveTask)$`),
    names: /future|task|promise/i,
    api: () => 'CompletableFuture.join()',
    fix: 'future.orTimeout(10, TimeUnit.SECONDS).join(), or future.get(10, TimeUnit.SECONDS)',
  },
  {
    method: /^join$/,
    arities: [0],
    types: /^java\.lang\.Thread$/,
    names: /thread|worker/i,
    api: () => 'Thread.join()',
    fix: 'thread.join(10_000) and check thread.isAlive() afterwards',
  },
  {
    method: /^(invokeAll|invokeAny)$/,
    arities: [1],
    types: EXECUTORS,
    names: /./,
    api: (m) => `ExecutorService.${m}(tasks)`,
    fix: 'executor.invokeAll(tasks, 10, TimeUnit.SECONDS) (unfinished tasks come back cancelled)',
  },
  {
    method: /^await$/,
    arities: [0],
    types: new RegExp(String.raw`^${CONCURRENT}(CountDownLatch|CyclicBarrier|locks\.Condition)$`),
    names: /latch|barrier|condition|ready|done/i,
    api: () => 'await()',
    fix: 'await(10, TimeUnit.SECONDS) and handle the timeout',
  },
  {
    method: /^(acquire|acquireUninterruptibly)$/,
    arities: [0, 1],
    types: new RegExp(String.raw`^${CONCURRENT}Semaphore$`),
    names: /semaphore|permit/i,
    api: (m) => `Semaphore.${m}()`,
    fix: 'semaphore.tryAcquire(10, TimeUnit.SECONDS) and handle a false result',
  },
  {
    method: /^(take|takeFirst|takeLast)$/,
    arities: [0],
    types: QUEUES,
    names: /queue|inbox|mailbox|deque/i,
    api: (m) => `BlockingQueue.${m}()`,
    fix: 'queue.poll(10, TimeUnit.SECONDS) and handle a null result',
  },
];

/** `chain.orTimeout(...).join()` and `completeOnTimeout` bound the wait that follows. */
function boundedByChain(call: Call, model: FileModel): boolean {
  for (let receiver = call.receiver; receiver; ) {
    const inner = model.dialect.call(model.dialect.unwrap(receiver));
    if (!inner) return false;
    if (/^(orTimeout|completeOnTimeout)$/.test(inner.name)) return true;
    receiver = inner.receiver;
  }
  return false;
}

/** `CompletableFuture.supplyAsync(...).thenApply(...)` stays a CompletableFuture along the chain. */
const COMPLETABLE_CHAIN = /^(then\w*|exceptionally\w*|handle\w*|whenComplete\w*|supplyAsync|runAsync|allOf|anyOf)$/;

/** The receiver's qualified type: declared (and resolved through the imports), or undefined when not visible. */
function receiverType(call: Call, model: FileModel): string | undefined {
  if (!call.receiver) return undefined;
  const type = model.javaTypes.typeOf(call.receiver, model.functionOf(call.node));
  if (type) return type;
  const inner = model.dialect.call(model.dialect.unwrap(call.receiver));
  if (inner && COMPLETABLE_CHAIN.test(inner.name)) {
    for (let c: Call | null = inner; c; c = c.receiver ? model.dialect.call(model.dialect.unwrap(c.receiver)) : null) {
      const rootType = c.receiver ? model.javaTypes.typeOf(c.receiver, model.functionOf(call.node)) : undefined;
      if (rootType) return rootType === 'java.util.concurrent.CompletableFuture' || !COMPLETABLE_CHAIN.test(c.name) ? rootType : undefined;
    }
  }
  return undefined;
}

/** What starts work a future stands for, here: the pool's or CompletableFuture's own (the work is then in sight). */
const STARTS_WORK = /^(supplyAsync|runAsync|submit|schedule\w*|execute|invokeAll|invokeAny)$/;

/**
 * The name of the project method the awaited futures come from, when every one does (`CompletableFuture.allOf(a.x(),
 * b.y()).join()`, `f.get()` after `f = service.loadAsync(id)`): their work is elsewhere, bounded or not by clients
 * this file cannot see (Signal's DynamoDB and Redis calls with their own timeouts; orion-visor's @Async Redis
 * lookups). Undefined when one is started here, made here, or of an origin not seen (a parameter, a loop variable).
 */
function projectMethodOfFutures(call: Call, model: FileModel): string | undefined {
  const receiver = call.receiver ? model.dialect.unwrap(call.receiver) : null;
  if (!receiver) return undefined;
  const all = model.dialect.call(receiver);
  const origins = all?.name === 'allOf' && all.args.length > 0 ? all.args : [receiver];
  let method: string | undefined;
  for (const origin of origins) {
    const name = projectMethodOf(origin, model, 0);
    if (name === undefined) return undefined;
    method ??= name;
  }
  return method;
}

function projectMethodOf(expr: Node, model: FileModel, depth: number): string | undefined {
  const node = model.dialect.unwrap(expr);
  if (depth > 4) return undefined;
  if (node.type === 'identifier') {
    const declarator = model.declaratorOf(node.text, node);
    const value = declarator?.childForFieldName('value');
    const fn = declarator ? model.functionOf(declarator) : null;
    // A local assigned once, where it is declared: a field or a reassigned variable may hold anything.
    const assignments = fn?.text.match(new RegExp(`(^|[^\\w$.])${node.text}\\s*=(?!=)`, 'g'))?.length ?? 0;
    if (!value || !fn || assignments > 1) return undefined;
    return projectMethodOf(value, model, depth + 1);
  }
  const c = model.dialect.call(node);
  if (!c || c.kind !== 'call' || STARTS_WORK.test(c.name)) return undefined;
  if (COMPLETABLE_CHAIN.test(c.name)) return c.receiver ? projectMethodOf(c.receiver, model, depth + 1) : undefined;
  // A library's future (an HTTP client's sendAsync, a Netty write) is the library's wait, judged by its own rules.
  const type = c.receiver ? model.javaTypes.typeOf(c.receiver, model.functionOf(node)) : undefined;
  if (type && LIBRARY_PACKAGE.test(type)) return undefined;
  return c.name;
}

const LIBRARY_PACKAGE = /^(java|javax|jakarta|io\.netty|org\.apache|com\.google|okhttp3|reactor|io\.grpc|io\.vertx|org\.springframework|software\.amazon|com\.amazonaws)\./;

/** `text` without its parenthesised parts, innermost first: `a.b(x).c(y(z))` -> `a.b.c`. */
function withoutArguments(text: string): string {
  let out = text;
  for (let before = ''; before !== out; ) {
    before = out;
    out = out.replace(/\([^()]*\)/g, '');
  }
  return out;
}

function javaWait(call: Call, model: FileModel): UnboundedWait | undefined {
  if (call.kind !== 'call') return undefined;
  // wait() is final on Object: with no argument, any receiver's wait() is this wait.
  if (call.name === 'wait' && call.args.length === 0) {
    return { node: call.node, api: 'Object.wait()', fix: 'wait(millis) in a loop that checks a deadline', certainty: certain('Object.wait() with no time limit') };
  }
  for (const wait of JAVA_WAITS) {
    if (!wait.method.test(call.name) || !wait.arities.includes(call.args.length) || !call.receiver) continue;
    const type = receiverType(call, model);
    let certainty: Certainty;
    if (type) {
      if (!wait.types.test(type)) continue;
      certainty = certain(`${type}.${call.name}(), resolved from the declarations`);
    } else {
      const receiverText = model.dialect.unwrap(call.receiver).text.replace(/^this\./, '');
      // The receiver's own names, not its arguments': `ctx.channel().attr(READ_TIMEOUT_FUTURE).get()` is Netty's
      // Attribute, read at once.
      if (!wait.names || !wait.names.test(withoutArguments(receiverText))) continue;
      certainty = possible(`\`${receiverText}\` taken for a ${wait.api(call.name).replace(/\..*$/, '')} by its name: its type is not visible here`);
    }
    if (boundedByChain(call, model) || waitIsChosenOrCannotBlock(call, model)) continue;
    const api = wait.api(call.name);
    const method = /Future/.test(api) ? projectMethodOfFutures(call, model) : undefined;
    if (method !== undefined) {
      certainty = possible(`the future comes from ${method}(), a method of the project: whether its work is bounded (its clients' timeouts, its pool) is not seen here`);
    }
    return { node: call.node, api, fix: wait.fix, certainty };
  }
  return undefined;
}

function jsWait(call: Call, model: FileModel): UnboundedWait | undefined {
  if (call.kind !== 'call') return undefined;
  if (call.name === 'wait' && call.receiver?.text === 'Atomics' && call.args.length < 4) {
    return { node: call.node, api: 'Atomics.wait()', fix: 'Atomics.wait(array, index, value, 10_000) and handle "timed-out"', certainty: certain('Atomics.wait()') };
  }
  const target = model.jsModules.resolve(call);
  if (target?.module === 'events' && target.member === 'once' && call.args.length >= 2) {
    const options = call.args[2];
    if (options && /\bsignal\b|\.\.\./.test(options.text)) return undefined;
    // A server's 'listening' follows a local bind at once, or its 'error' rejects the wait.
    const event = model.dialect.stringLiteral(call.args[1]);
    if (event === 'listening') return undefined;
    if ((event === 'end' || event === 'close') && isIncomingRequest(call.args[0], model)) return undefined;
    return {
      node: call.node,
      api: "events.once(emitter, 'event')",
      fix: "once(emitter, 'event', { signal: AbortSignal.timeout(10_000) })",
      certainty: jsCertainty(target, 'once'),
    };
  }
  return undefined;
}

/**
 * `await once(req, 'end')` in a request handler, `req` its incoming request: Node's server destroys a request still
 * arriving after its requestTimeout (300 s by default), and a destroyed or aborted request rejects the wait.
 */
function isIncomingRequest(emitter: Node, model: FileModel): boolean {
  const name = model.dialect.unwrap(emitter);
  if (name.type !== 'identifier') return false;
  for (let fn = model.functionOf(name); fn; fn = fn.parent ? model.functionOf(fn.parent) : null) {
    const params = model.dialect.parameterNames(fn);
    if (params.includes(name.text)) return params[0] === name.text && isRequestHandler(fn, model);
  }
  return false;
}

export function unboundedWaitAt(call: Call, model: FileModel): UnboundedWait | undefined {
  return model.isJava ? javaWait(call, model) : jsWait(call, model);
}
