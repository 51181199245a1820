// Intra-procedural ownership: follows a freshly acquired resource through the variables that hold it (aliases,
// wrappers, derived streams, closures) to the places where it is released, handed to an owner or overwritten; then
// paths.ts says on which path, if any, it is neither released nor handed over. A release inside a callback (an
// event handler, a task) counts as asynchronous cleanup.
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import { layeredOverAndOwning } from '../catalog/java-acquisitions';
import type { Releasable } from '../catalog/resources';
import { wrapperKeepsInnerOpen } from '../catalog/stream-wrappers';
import type { FileModel } from '../model';
import { contains, lineOf, MAX_NESTING, type Call, callsOwnCode } from '../syntax/dialect';
import { findOpenFrom, onlyCalledOn, openingCalls } from './opening';
import { PathWalker, type Event, type Leak } from './paths';
import { managerReleases } from './manager-releases';
import { requestReleases } from './request-releases';
import { releasedWithItsClientOrRequest } from './released-with-owner';
import { isLoggingCall } from './safe-calls';

export type { Leak } from './paths';

type Fate =
  | { readonly type: 'released' }
  | { readonly type: 'escaped' }
  | { readonly type: 'bound'; readonly name: string; readonly releasable: Releasable }
  | { readonly type: 'used' }
  | { readonly type: 'discarded' }
  | { readonly type: 'unknown' }
  | { readonly type: 'leak'; readonly leak: Leak };

const RELEASED: Fate = { type: 'released' };
const ESCAPED: Fate = { type: 'escaped' };
const USED: Fate = { type: 'used' };
const UNKNOWN: Fate = { type: 'unknown' };

/**
 * Calls that keep what they are given: collections, registries, queues, executors, setters, and a project's own
 * `addAcceptedConnection(socket)`, `registerChannel(ch)`, `putConnection(key, conn)`. Ownership moves with it.
 */
export const OWNER_METHOD = /^(add|put|offer|push|register|submit|execute|schedule|attach|manage|track|enqueue|store|cache|keep|set|with|bind|assign|hand|transfer|adopt)([A-Z]\w*)?$|^(addAll|addLast|addFirst|putIfAbsent|offerFirst|offerLast)$/;
/** A selectable channel registered with a selector belongs to the selection key, which the selector loop closes. */
const SELECTABLE_CHANNEL = /^java\.nio\.channels\.(Socket|ServerSocket|Datagram)Channel$/;
/** A static factory method named for what it makes: `newInputStreamPayload`, `newReader`. */
const STATIC_FACTORY = /^new[A-Z]\w*$/;
/** Java wrappers that decorate a stream must be closed themselves; any other object given a resource owns it. */
const JAVA_DECORATOR = /(Stream|Reader|Writer|Scanner|Channel|Source|Sink)$/;

const javaDecorator: Releasable = { methods: new Set(['close']) };
const jsWrapper: Releasable = { methods: new Set(['close', 'end', 'destroy']), passedOnIsOwned: true };

/**
 * Java calls that run a lambda later on another thread: what it captures is that task's to clean up. (JavaScript
 * needs no such list: handing a value to any function already counts as passing it on.)
 */
const JAVA_TASK_RUNNER =
  /^(then\w*|submit|execute|schedule\w*|runAsync|supplyAsync|invokeAll|invokeAny|whenComplete\w*|handle\w*|Thread|start|startVirtualThread)$/;

/** How deep to follow a value into same-file helpers and promise callbacks. */
const MAX_DEPTH = 3;

/** Follows one acquisition; a new tracker per acquisition keeps the reasoning free of shared state. */
class Tracker {
  private readonly dialect;
  private readonly locals: Set<string>;
  private events: Event[] = [];
  /** The variables holding the resource (or a part of it), with what releases each. */
  private trackedNames = new Map<string, Releasable>();
  /** Accessor calls on the resource (`response.body()`): they hand out a part of it and are no throw points. */
  private readonly accessorCalls = new Set<number>();
  /** Accessor calls that can throw or return null (Releasable.fallible): throw points even where they start a try. */
  private readonly fallibleCalls = new Set<number>();
  /** The first method of another object the resource itself was handed to (see Leak.handedTo). */
  private handedTo: string | undefined;
  /** Where the resource starts holding a descriptor (see findOpenFrom). */
  private openFrom = 0;
  /** The calls that open it, for a kind that opens late (see Flow.opens). */
  private opens: Node[] | undefined;
  /** Why a wrapper the resource was given to does not close it (see Leak.keptOpenBy). */
  private keptOpenBy: string | undefined;

  constructor(
    private readonly model: FileModel,
    private readonly acquisition: Acquisition,
    private readonly fn: Node,
    private readonly depth: number,
  ) {
    this.dialect = model.dialect;
    this.locals = model.localNames(fn);
  }

  // ---- where a value goes ----

  fate(expr: Node, releasable: Releasable, nesting = 0): Fate {
    // Wrappers of wrappers of wrappers (generated code): past this we cannot tell where the value goes.
    if (nesting > MAX_NESTING) return UNKNOWN;
    const c = this.dialect.context(expr);
    switch (c.kind) {
      case 'bind':
        if (c.binding === 'resource' || c.binding === 'using' || c.binding === 'cleanup') return RELEASED;
        if (c.binding === 'field' || !this.locals.has(c.name)) return ESCAPED;
        return { type: 'bound', name: c.name, releasable };
      case 'destructure': {
        for (const [property, derived] of releasable.derived ?? []) {
          const target = c.properties.get(property);
          if (target) return { type: 'bound', name: target.text, releasable: derived };
        }
        return c.hasRest ? ESCAPED : USED;
      }
      case 'store':
      case 'return':
      case 'throw':
      case 'element':
        return ESCAPED;
      case 'try-resource':
        return RELEASED;
      case 'iterate':
        return releasable.iterationConsumes ? RELEASED : USED;
      case 'argument':
        return this.argumentFate(c.call, c.index, releasable, nesting);
      case 'receiver':
        return this.receiverFate(c.call, releasable, nesting);
      case 'member': {
        const derived = releasable.derived?.get(c.property);
        return derived ? this.fate(c.node, derived, nesting + 1) : USED;
      }
      case 'discard':
        return { type: 'discarded' };
      case 'other':
        return UNKNOWN;
    }
  }

  private receiverFate(call: Call, releasable: Releasable, nesting: number): Fate {
    if (releasable.methods.has(call.name)) return RELEASED;
    if (call.name === 'register' && call.args.length > 0 && SELECTABLE_CHANNEL.test(this.acquisition.kind.resource)) return ESCAPED;
    if (releasable.consumingEvents && /^(on|once|addListener)$/.test(call.name)) {
      const event = call.args[0] && this.dialect.stringLiteral(call.args[0]);
      if (event !== undefined && releasable.consumingEvents.has(event)) return RELEASED;
    }
    // Fluent setup (`channel.bind(...)`, `req.on('error', f)`): the result is the resource itself.
    if (releasable.fluent?.has(call.name)) return this.fate(call.node, releasable, nesting + 1);
    const derived = releasable.derived?.get(call.name);
    if (derived) {
      if (releasable.fallible?.has(call.name)) this.fallibleCalls.add(call.node.id);
      else this.accessorCalls.add(call.node.id);
      return this.fate(call.node, derived, nesting + 1);
    }
    if (this.dialect.family === 'js') {
      if (call.name === 'then') return this.promiseCallbackFate(call, releasable, nesting);
      // The promise chain still delivers the same value.
      if (call.name === 'catch' || call.name === 'finally') return this.fate(call.node, releasable, nesting + 1);
    }
    return USED;
  }

  /** `promise.then(value => ...)`: the callback's parameter now holds the resource. */
  private promiseCallbackFate(call: Call, releasable: Releasable, nesting: number): Fate {
    const callback = call.args[0];
    if (!callback) return this.fate(call.node, releasable, nesting + 1);
    if (!this.dialect.functionTypes.has(callback.type)) return ESCAPED;
    if (this.depth >= MAX_DEPTH) return UNKNOWN;
    const param = this.dialect.parameterNames(callback)[0];
    if (!param) return { type: 'leak', leak: { reason: 'never' } };
    const leak = new Tracker(this.model, this.acquisition, callback, this.depth + 1).followParameter(param, releasable);
    return leak ? { type: 'leak', leak } : RELEASED;
  }

  private argumentFate(call: Call, index: number, releasable: Releasable, nesting: number): Fate {
    if (releasable.releasedBy?.(call)) return RELEASED;
    const java = this.dialect.family === 'java';
    if (call.kind === 'new') {
      if (!java) return releasable.passedOnIsOwned ? ESCAPED : this.fate(call.node, jsWrapper, nesting + 1);
      // A wrapper whose close() leaves its inner stream open takes no duty to close: the resource is still ours.
      const keptOpen = wrapperKeepsInnerOpen(call, this.model);
      if (keptOpen) {
        this.keptOpenBy ??= keptOpen;
        return USED;
      }
      return JAVA_DECORATOR.test(call.name) ? this.fate(call.node, javaDecorator, nesting + 1) : ESCAPED;
    }
    if (OWNER_METHOD.test(call.name)) return ESCAPED;
    // `Payloads.newInputStreamPayload(stream)` (or statically imported), `Channels.newReader(channel)`: a static
    // factory named for what it makes is a constructor (jclouds' HTTP drivers hand the response's stream to the
    // payload they return).
    if (java && STATIC_FACTORY.test(call.name) && this.factoryOfAType(call)) {
      return JAVA_DECORATOR.test(call.name) ? this.fate(call.node, javaDecorator, nesting + 1) : ESCAPED;
    }
    // TLS over the socket, closing it with itself: whatever holds the layered socket holds this one.
    if (java && layeredOverAndOwning(call, index)) return this.fate(call.node, releasable, nesting + 1);
    if (isLoggingCall(call.name, call.receiver?.text)) return USED;
    if (!java && (releasable.passedOnIsOwned || call.name === 'pipeline')) return ESCAPED;
    if (callsOwnCode(call)) {
      const helper = this.helperFate(call, index, releasable);
      if (helper) return helper;
    }
    // `return Optional.of(socket)`, `this.conn = Pooled.wrap(conn)`: whatever holds the result holds the resource.
    if (this.resultLeaves(call) || this.builtAndLeaves(call)) return ESCAPED;
    if (call.receiver && call.receiver.type !== 'this' && releasable === this.acquisition.kind) {
      this.handedTo ??= `${this.dialect.unwrap(call.receiver).text.replace(/\s+/g, '')}.${call.name}`;
    } else if (java && !call.receiver && releasable === this.acquisition.kind && this.model.methodsNamed(call.name).length === 0) {
      // A method this file does not declare: statically imported (`ensureOk(response)`) or inherited.
      this.handedTo ??= call.name;
    }
    return USED;
  }

  /** A static factory called on a type (`Payloads.newX(...)`), or statically imported: no method of this file. */
  private factoryOfAType(call: Call): boolean {
    return call.receiver ? /^[A-Z]/.test(this.dialect.unwrap(call.receiver).text) : this.model.methodsNamed(call.name).length === 0;
  }

  /**
   * `return Response.builder().status(code).body(stream).build()`: given to a builder whose product leaves, as if to
   * a constructor (feign's clients hand the connection's stream to the Response they return).
   */
  private builtAndLeaves(call: Call): boolean {
    let built = false;
    let top = call;
    for (let c = this.dialect.context(top.node); c.kind === 'receiver'; c = this.dialect.context(top.node)) {
      top = c.call;
      built ||= /^build/.test(top.name);
    }
    return built && this.resultLeaves(top);
  }

  /** True when a call's result is returned or stored: what it wraps leaves with it. */
  private resultLeaves(call: Call): boolean {
    const c = this.dialect.context(call.node);
    return c.kind === 'return' || c.kind === 'store' || (c.kind === 'bind' && (c.binding === 'field' || !this.locals.has(c.name)));
  }

  /**
   * What a same-file helper does with the value: released when it closes or keeps it (`closeQuietly(conn)`,
   * `handle(socket)`); merely used when it does neither, whatever happens to its result (`content =
   * toByteArray(response.body())` stores bytes, not the body); undefined when no helper of that shape is in the file.
   * An abstract method (a template method's step) has no body here: its implementations, elsewhere, own the value.
   */
  private helperFate(call: Call, index: number, releasable: Releasable): Fate | undefined {
    if (this.depth >= MAX_DEPTH || index < 0) return undefined;
    let seen = false;
    for (const method of this.model.methodsNamed(call.name)) {
      const params = this.dialect.parameterNames(method);
      if (params.length !== call.args.length || contains(method, call.node)) continue;
      if (!this.dialect.functionBody(method)) return ESCAPED;
      const helper = new Tracker(this.model, this.acquisition, method, this.depth + 1);
      if (helper.releasesSomewhere(params[index], releasable)) return RELEASED;
      seen = true;
    }
    return seen ? USED : undefined;
  }

  // ---- following a variable ----

  /** All references to a name inside this function (nested functions included), in source order. */
  private references(name: string): Node[] {
    return this.model.references(this.dialect.functionBody(this.fn) ?? this.fn, name);
  }

  private isAssignmentTarget(ref: Node): boolean {
    const parent = ref.parent;
    return parent?.type === 'assignment_expression' && !!parent.childForFieldName('left')?.equals(ref);
  }

  /**
   * `builder = builder.header(k, v)`, `socket = tls.createSocket(socket, host, port, true)`: the new value is the old
   * one set up further or wrapped by something that owns it, not a new one.
   */
  private keepsItself(target: Node): boolean {
    const right = target.parent?.childForFieldName('right');
    if (!right) return false;
    // `HttpsURLConnection https = (HttpsURLConnection) conn; ... conn = https;`: the same object back (lts' WebUtils).
    const value = this.dialect.unwrap(right);
    if (value.type === 'identifier') {
      const init = this.model.declaratorOf(value.text, target)?.childForFieldName('value');
      if (init && this.dialect.unwrap(init).text === target.text) return true;
    }
    // The old value set up further, or a part of the same resource from another of its names (`entity =
    // resp.getEntity()` in one branch after another consumed and cleared it: heritrix's WbmPersistLoadProcessor).
    for (const [name, tracked] of this.trackedNames) {
      for (const ref of this.references(name)) {
        if (!contains(right, ref)) continue;
        const fate = this.fate(ref, tracked);
        if (fate.type === 'bound' && fate.name === target.text) return true;
      }
    }
    return false;
  }

  /**
   * Collects releases, escapes and reassignments of `name` after `from`, following aliases. From the acquisition's
   * start: a callback of the acquiring call itself may release it or hand it on (`const s = net.connect(port, () =>
   * resolve(s))`).
   * Returns true when something in a nested function releases or keeps the resource (asynchronous cleanup).
   */
  private collect(name: string, releasable: Releasable, from: number): { async: boolean; nestedLeak?: Leak } {
    const queue: { name: string; releasable: Releasable; from: number }[] = [{ name, releasable, from }];
    let async = false;
    let nestedLeak: Leak | undefined;
    while (queue.length > 0) {
      const item = queue.shift()!;
      this.trackedNames.set(item.name, item.releasable);
      for (const ref of this.references(item.name)) {
        if (ref.startIndex < item.from && !this.closureSeesLater(ref, item.name)) continue;
        const nested = !this.model.functionOf(ref)?.equals(this.fn);
        if (this.isAssignmentTarget(ref)) {
          if (!nested && !this.keepsItself(ref)) this.events.push({ node: ref, type: 'reassign' });
          continue;
        }
        if (this.releasedAsListenerThis(ref, item.releasable)) {
          async = true;
          continue;
        }
        const fate = this.fate(ref, item.releasable);
        if (fate.type === 'released' || fate.type === 'escaped') {
          if (nested) async = true;
          else this.events.push({ node: ref, type: fate.type === 'released' ? 'release' : 'escape' });
        } else if (fate.type === 'bound' && fate.name !== item.name && !this.trackedNames.has(fate.name)) {
          queue.push({ name: fate.name, releasable: fate.releasable, from: ref.endIndex });
        } else if (fate.type === 'leak') {
          nestedLeak ??= fate.leak;
        } else if (nested && this.capturedByCallback(ref)) {
          // Handed to code that runs later (a task, a listener): it owns the resource now.
          async = true;
        }
      }
    }
    this.events.sort((a, b) => a.node.startIndex - b.node.startIndex);
    return { async, nestedLeak };
  }

  /**
   * A JavaScript function written before the acquisition that reads the variable when it runs, later: `var done =
   * function (err) { callback(err, socket); }; socket = tls.connect(opts, done);` hands the new socket on (whistle's
   * HTTP/2 proxy). Not when a function in between declares a variable of that name of its own.
   */
  private closureSeesLater(ref: Node, name: string): boolean {
    if (this.dialect.family !== 'js') return false;
    let fn = this.model.functionOf(ref);
    if (!fn || fn.equals(this.fn)) return false;
    const declared = this.model.declaratorOf(name, ref);
    const declaredIn = declared ? this.model.functionOf(declared) : null;
    for (; fn && !fn.equals(this.fn); fn = fn.parent ? this.model.functionOf(fn.parent) : null) {
      if (this.dialect.parameterNames(fn).includes(name) || declaredIn?.equals(fn)) return false;
    }
    return !!fn;
  }

  /**
   * `socket.on('connect', function () { this.write(data); this.end(); })`: a listener written as a function (not an
   * arrow) gets the emitter as `this`, and ends it so (statsd's Graphite backend).
   */
  private releasedAsListenerThis(ref: Node, releasable: Releasable): boolean {
    if (this.dialect.family !== 'js') return false;
    const c = this.dialect.context(ref);
    if (c.kind !== 'receiver' || !/^(on|once|addListener|prependListener|prependOnceListener)$/.test(c.call.name)) return false;
    const listener = c.call.args[1] ? this.dialect.unwrap(c.call.args[1]) : null;
    if (!listener || !/^function(_expression)?$/.test(listener.type)) return false;
    return listener.descendantsOfType([...this.dialect.callTypes]).some((node) => {
      const call = node && this.dialect.call(node);
      if (!call?.receiver || call.receiver.type !== 'this' || !releasable.methods.has(call.name)) return false;
      // `this` of a nested function is that function's own.
      for (let fn = this.model.functionOf(call.node); fn && !fn.equals(listener); fn = this.model.functionOf(fn)) {
        if (fn.type !== 'arrow_function') return false;
      }
      return true;
    });
  }

  /** True when `ref` sits in a Java lambda handed to a task runner (`pool.submit(() -> handle(socket))`). */
  private capturedByCallback(ref: Node): boolean {
    if (this.dialect.family !== 'java') return false;
    for (let fn = this.model.functionOf(ref); fn && !fn.equals(this.fn); fn = this.model.functionOf(fn)) {
      const c = this.dialect.context(fn);
      if (c.kind === 'argument') return JAVA_TASK_RUNNER.test(c.call.name);
    }
    return false;
  }

  /** Used for helpers: does the parameter get released or kept anywhere (path-insensitive)? */
  releasesSomewhere(param: string, releasable: Releasable): boolean {
    const { async } = this.collect(param, releasable, 0);
    return async || this.events.some((e) => e.type !== 'reassign');
  }

  /**
   * For a helper's summary: the names that hold this acquisition when it leaves its function only by `return` (its
   * caller owns it then), none when it is returned as it is made; undefined when it is stored, handed on or kept by
   * a nested function.
   */
  returnedNames(): ReadonlySet<string> | undefined {
    const acquired = this.acquisition.node;
    if (this.dialect.context(acquired).kind === 'return') return new Set();
    const fate = this.fate(acquired, this.acquisition.kind);
    if (fate.type !== 'bound' || fate.releasable !== this.acquisition.kind) return undefined;
    const { async } = this.collect(fate.name, fate.releasable, acquired.startIndex);
    const escapes = this.events.filter((e) => e.type === 'escape');
    if (async || escapes.length === 0 || escapes.some((e) => this.dialect.context(e.node).kind !== 'return')) return undefined;
    // Released in a finally (Kylin's `finally { cleanup(post, response); } return response;`): what leaves is spent.
    if (this.events.some((e) => e.type === 'release' && this.inFinally(e.node))) return undefined;
    return new Set([...this.trackedNames].filter(([, releasable]) => releasable === this.acquisition.kind).map(([name]) => name));
  }

  private inFinally(node: Node): boolean {
    for (let n = node.parent; n && !n.equals(this.fn); n = n.parent) {
      const s = this.dialect.statement(n);
      if (s.kind === 'try' && s.finalizer && contains(s.finalizer, node)) return true;
    }
    return false;
  }

  /** The leak, if any, of a resource held by parameter `param` of this function (a callback). */
  followParameter(param: string, releasable: Releasable): Leak | null {
    const { async, nestedLeak } = this.collect(param, releasable, 0);
    if (async) return null;
    if (this.events.every((e) => e.type === 'reassign')) return nestedLeak ?? { reason: 'never' };
    return this.paths().walkFunction();
  }

  /** The leak, if any, of the acquisition this tracker was made for, with the method it was handed to, if any. */
  followAcquisition(): Leak | null {
    const found = this.followAcquisitionPaths();
    const leak = found && this.keptOpenBy ? { ...found, keptOpenBy: this.keptOpenBy } : found;
    // An exception before our own close leaks whoever else saw the resource; the other leaks may be the callee's to fix.
    return leak && this.handedTo && leak.reason !== 'exception' ? { ...leak, handedTo: this.handedTo } : leak;
  }

  private followAcquisitionPaths(): Leak | null {
    const acquired = this.acquisition.node;
    if (releasedWithItsClientOrRequest(this.acquisition, this.fn, this.model)) return null;
    const fate = this.fate(acquired, this.acquisition.kind);
    switch (fate.type) {
      case 'released':
      case 'escaped':
      case 'unknown':
        return null;
      case 'used':
        return { reason: 'never' };
      case 'discarded':
        return { reason: 'discarded' };
      case 'leak':
        return fate.leak;
      case 'bound':
        break;
    }
    const { async, nestedLeak } = this.collect(fate.name, fate.releasable, acquired.startIndex);
    if (async) return null;
    const released = [...requestReleases(this.acquisition, this.fn, this.model), ...managerReleases(this.acquisition, this.fn, this.model)];
    if (released.length > 0) {
      this.events.push(...released);
      this.events.sort((a, b) => a.node.startIndex - b.node.startIndex);
    }
    if (this.events.every((e) => e.type === 'reassign')) {
      // Made unconnected and never connected here (a socket read for its defaults, a URLConnection made to switch
      // the JDK's URL caches off: DSpace's context listener): it holds no descriptor.
      const kind = this.acquisition.kind;
      const neverOpened =
        (!kind.opensWith || (kind.nothingUntilOpened && onlyCalledOn(this.acquisition, this.fn, this.model, fate.name))) &&
        findOpenFrom(this.acquisition, this.fn, this.model, fate.name) >= this.fn.endIndex;
      if (neverOpened) return null;
      return nestedLeak ?? this.firstReassignment() ?? { reason: 'never' };
    }
    if (this.paths().protectedByFinally(acquired)) return null;
    this.openFrom = findOpenFrom(this.acquisition, this.fn, this.model, fate.name);
    this.opens = openingCalls(this.acquisition, this.fn, this.model, fate.name);
    return this.paths().climb(acquired);
  }

  private paths(): PathWalker {
    const { events, trackedNames, accessorCalls, fallibleCalls, openFrom, opens } = this;
    return new PathWalker(this.model, this.acquisition, this.fn, { events, trackedNames, accessorCalls, fallibleCalls, openFrom, opens });
  }

  private firstReassignment(): Leak | undefined {
    const first = this.events.find((e) => e.type === 'reassign');
    return first ? { reason: 'reassigned', name: first.node.text, line: lineOf(first.node) } : undefined;
  }
}


/** See Tracker.returnedNames: how a helper's own acquisition reaches its caller, if only by `return`. */
export function returnedNames(acquisition: Acquisition, fn: Node, model: FileModel): ReadonlySet<string> | undefined {
  return new Tracker(model, acquisition, fn, 0).returnedNames();
}

/** The leak of one acquisition, or null when it is released or handed over on every path. */
export function findLeak(acquisition: Acquisition, model: FileModel): Leak | null {
  if (acquisition.callback) {
    const param = model.dialect.parameterNames(acquisition.callback)[acquisition.parameter ?? 0];
    if (!param) return { reason: 'never' };
    return new Tracker(model, acquisition, acquisition.callback, 0).followParameter(param, acquisition.kind);
  }
  const fn = model.functionOf(acquisition.node);
  if (!fn) return null;
  return new Tracker(model, acquisition, fn, 0).followAcquisition();
}
