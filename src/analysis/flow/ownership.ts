// Intra-procedural ownership: follows a freshly acquired resource through the variables that hold it (aliases,
// wrappers, derived streams, closures) and the statements that follow, and says on which path, if any, it is
// neither released nor handed to an owner.
//
// The reasoning is structural, over the syntax tree, not a full control-flow graph: statements after the
// acquisition are walked in order; `if`/`switch` branches are merged (released only if every branch that goes on
// releases), a `finally` (or try-with-resources, `using`) that releases covers everything inside its `try`, loops
// are assumed to run, and a release inside a callback (an event handler, a task) counts as asynchronous cleanup.
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import type { Releasable } from '../catalog/resources';
import type { FileModel } from '../model';
import { contains, lineOf, MAX_NESTING, type Call, type Statement } from '../syntax/dialect';

export type Leak = (
  | { readonly reason: 'never' }
  | { readonly reason: 'discarded' }
  | { readonly reason: 'exit'; readonly exit: 'return' | 'throw'; readonly line: number }
  | { readonly reason: 'exception'; readonly line: number; readonly handover?: number }
  | { readonly reason: 'reassigned'; readonly name: string; readonly line: number }
  | { readonly reason: 'some-paths'; readonly line: number }
) & {
  /**
   * A method of another object the resource was handed to (`handler.serve(socket)`): it may own and close it, so
   * a leak on the paths after it is a guess.
   */
  readonly handedTo?: string;
};

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
/** What a statement nested deeper than MAX_NESTING is taken for: one step, judged by the events inside it. */
const AS_A_WHOLE: Statement = { kind: 'simple' };

/**
 * Calls that keep what they are given: collections, registries, queues, executors, setters, and a project's own
 * `addAcceptedConnection(socket)`, `registerChannel(ch)`, `putConnection(key, conn)`. Ownership moves with it.
 */
const OWNER_METHOD = /^(add|put|offer|push|register|submit|execute|schedule|attach|manage|track|enqueue|store|cache|keep|set|with|bind|assign|hand|transfer|adopt)([A-Z]\w*)?$|^(addAll|addLast|addFirst|putIfAbsent|offerFirst|offerLast)$/;
/** A selectable channel registered with a selector belongs to the selection key, which the selector loop closes. */
const SELECTABLE_CHANNEL = /^java\.nio\.channels\.(Socket|ServerSocket|Datagram)Channel$/;
const LOGGING_RECEIVER = /^(log|logger|LOG|LOGGER|Log|console|System\.out|System\.err|this\.log|this\.logger)$/;
const LOGGING_METHOD = /^(trace|debug|info|warn|warning|error|fatal|severe|fine|finer|finest|log|println|print|printf|format)$/;
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

interface Event {
  readonly node: Node;
  /** `escape`: handed to an owner (returned, stored, passed on); `release`: closed, consumed, disposed. */
  readonly type: 'release' | 'escape' | 'reassign';
}

interface State {
  readonly released: boolean;
  /** Line of the first call since the acquisition that may throw before the release (Java). */
  readonly pendingThrow: number | null;
}

interface Outcome {
  readonly state: State;
  /** False when every path through the statement returns or throws. */
  readonly completes: boolean;
}

/** Follows one acquisition; a new tracker per acquisition keeps the reasoning free of shared state. */
class Tracker {
  private readonly dialect;
  private readonly locals: Set<string>;
  private readonly leaks: Leak[] = [];
  private events: Event[] = [];
  /** The variables holding the resource (or a part of it), with what releases each. */
  private trackedNames = new Map<string, Releasable>();
  /** Accessor calls on the resource (`response.body()`): they hand out a part of it and are no throw points. */
  private readonly accessorCalls = new Set<number>();
  /** The first method of another object the resource itself was handed to (see Leak.handedTo). */
  private handedTo: string | undefined;
  /** Where the resource starts holding a descriptor (see findOpenFrom). */
  private openFrom = 0;

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
      this.accessorCalls.add(call.node.id);
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
      return JAVA_DECORATOR.test(call.name) ? this.fate(call.node, javaDecorator, nesting + 1) : ESCAPED;
    }
    if (OWNER_METHOD.test(call.name)) return ESCAPED;
    if (LOGGING_METHOD.test(call.name) && LOGGING_RECEIVER.test(call.receiver?.text ?? '')) return USED;
    if (!java && (releasable.passedOnIsOwned || call.name === 'pipeline')) return ESCAPED;
    // `return Optional.of(socket)`, `this.conn = Pooled.wrap(conn)`: whatever holds the result holds the resource.
    if (this.resultLeaves(call)) return ESCAPED;
    if (!call.receiver || call.receiver.type === 'this') {
      if (this.helperReleases(call, index, releasable)) return RELEASED;
    } else if (releasable === this.acquisition.kind) {
      this.handedTo ??= `${this.dialect.unwrap(call.receiver).text.replace(/\s+/g, '')}.${call.name}`;
    }
    return USED;
  }

  /** True when a call's result is returned or stored: what it wraps leaves with it. */
  private resultLeaves(call: Call): boolean {
    const c = this.dialect.context(call.node);
    return c.kind === 'return' || c.kind === 'store' || (c.kind === 'bind' && (c.binding === 'field' || !this.locals.has(c.name)));
  }

  /** A same-file helper (`closeQuietly(conn)`, `handle(socket)`) that releases or keeps its parameter. */
  private helperReleases(call: Call, index: number, releasable: Releasable): boolean {
    if (this.depth >= MAX_DEPTH || index < 0) return false;
    for (const method of this.model.methodsNamed(call.name)) {
      const params = this.dialect.parameterNames(method);
      if (params.length !== call.args.length || contains(method, call.node)) continue;
      const helper = new Tracker(this.model, this.acquisition, method, this.depth + 1);
      if (helper.releasesSomewhere(params[index], releasable)) return true;
    }
    return false;
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

  /** `builder = builder.header(k, v)`: the new value is the old one set up further (a fluent call), not a new one. */
  private keepsItself(target: Node, releasable: Releasable): boolean {
    const right = target.parent?.childForFieldName('right');
    if (!right || !releasable.fluent) return false;
    return this.references(target.text).some((ref) => {
      if (!contains(right, ref)) return false;
      const fate = this.fate(ref, releasable);
      return fate.type === 'bound' && fate.name === target.text;
    });
  }

  /**
   * Collects releases, escapes and reassignments of `name` after `from`, following aliases.
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
        if (ref.startIndex < item.from) continue;
        const nested = !this.model.functionOf(ref)?.equals(this.fn);
        if (this.isAssignmentTarget(ref)) {
          if (!nested && !this.keepsItself(ref, item.releasable)) this.events.push({ node: ref, type: 'reassign' });
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

  /** The leak, if any, of a resource held by parameter `param` of this function (a callback). */
  followParameter(param: string, releasable: Releasable): Leak | null {
    const { async, nestedLeak } = this.collect(param, releasable, 0);
    if (async) return null;
    if (this.events.every((e) => e.type === 'reassign')) return nestedLeak ?? { reason: 'never' };
    const body = this.dialect.functionBody(this.fn);
    if (!body || !this.dialect.isStatement(body)) return null;
    const outcome = this.walk(body, { released: false, pendingThrow: null });
    return this.verdict(outcome);
  }

  /** The leak, if any, of the acquisition this tracker was made for, with the method it was handed to, if any. */
  followAcquisition(): Leak | null {
    const leak = this.followAcquisitionPaths();
    // An exception before our own close leaks whoever else saw the resource; the other leaks may be the callee's to fix.
    return leak && this.handedTo && leak.reason !== 'exception' ? { ...leak, handedTo: this.handedTo } : leak;
  }

  private followAcquisitionPaths(): Leak | null {
    const acquired = this.acquisition.node;
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
    const { async, nestedLeak } = this.collect(fate.name, fate.releasable, acquired.endIndex);
    if (async) return null;
    if (this.events.every((e) => e.type === 'reassign')) return nestedLeak ?? this.firstReassignment() ?? { reason: 'never' };
    if (this.protectedByFinally(acquired)) return null;
    this.openFrom = this.findOpenFrom(fate.name);
    return this.climb(acquired);
  }

  private firstReassignment(): Leak | undefined {
    const first = this.events.find((e) => e.type === 'reassign');
    return first ? { reason: 'reassigned', name: first.node.text, line: lineOf(first.node) } : undefined;
  }

  // ---- paths ----

  private eventsIn(node: Node): Event[] {
    return this.events.filter((e) => contains(node, e.node));
  }

  /** True when something in `node` releases the resource or hands it to an owner. */
  private releasesIn(node: Node): boolean {
    return this.events.some((e) => e.type !== 'reassign' && contains(node, e.node));
  }

  /** An enclosing `try` whose `finally` (or resource list) releases covers every path inside it. */
  private protectedByFinally(from: Node): boolean {
    for (let n = from.parent; n && !n.equals(this.fn); n = n.parent) {
      const s = this.dialect.statement(n);
      if (s.kind !== 'try' || !contains(s.body, from)) continue;
      if ((s.finalizer && this.releasesIn(s.finalizer)) || s.resources.some((r) => this.releasesIn(r))) return true;
    }
    return false;
  }

  private mayThrow(node: Node): boolean {
    if (this.dialect.family !== 'java' || !this.acquisition.kind.exceptionLeaks) return false;
    for (const call of node.descendantsOfType([...this.dialect.callTypes])) {
      if (call && !this.accessorCalls.has(call.id) && !this.isSafeCall(call) && this.model.functionOf(call)?.equals(this.fn)) return true;
    }
    return node.type === 'throw_statement';
  }

  /**
   * A call that cannot leave the resource open by throwing: a getter or a self-closing connect on the resource, or
   * logging (which does not throw).
   */
  private isSafeCall(node: Node): boolean {
    const call = this.dialect.call(node);
    const receiver = call?.receiver ? this.dialect.unwrap(call.receiver) : null;
    if (call && receiver && LOGGING_METHOD.test(call.name) && LOGGING_RECEIVER.test(receiver.text)) return true;
    if (!call || receiver?.type !== 'identifier') return false;
    const releasable = this.trackedNames.get(receiver.text);
    return !!releasable?.safeCalls?.test(call.name);
  }

  private walkList(statements: readonly Node[], state: State, nesting = 0): Outcome {
    let current = state;
    for (const statement of statements) {
      if (current.released) break;
      const outcome = this.walk(statement, current, nesting);
      current = outcome.state;
      if (!outcome.completes) return { state: current, completes: false };
    }
    return { state: current, completes: true };
  }

  /**
   * The resource is released (or handed over) in `node`. A close preceded by calls that may throw is the
   * "closed only on the normal path" leak; handing it to an owner is not: the owner takes the risk too.
   */
  private release(state: State, node: Node): State {
    const events = this.eventsIn(node);
    const closes = events.some((e) => e.type === 'release');
    if (state.pendingThrow !== null && !this.leaks.some((l) => l.reason === 'exception')) {
      if (closes) this.leaks.push({ reason: 'exception', line: state.pendingThrow });
      // Set up, then handed to its owner (`register(selector)`, `addConnection(s)`): a throw during the set-up
      // leaves it with nobody. A returned resource is the caller's risk.
      else if (events.some((e) => e.type === 'escape' && !this.isReturned(e.node)) && !this.caughtByReleasingCatch(node)) {
        this.leaks.push({ reason: 'exception', line: state.pendingThrow, handover: lineOf(node) });
      }
    }
    return { released: true, pendingThrow: null };
  }

  private isReturned(ref: Node): boolean {
    for (let n: Node | null = ref; n && !n.equals(this.fn); n = n.parent) {
      if (this.dialect.isStatement(n)) return this.dialect.statement(n).kind === 'exit';
    }
    return false;
  }

  private throwsAt(state: State, node: Node): State {
    // Before an unconnected socket is connected it holds no descriptor: an exception then leaks nothing.
    if (node.startIndex < this.openFrom) return state;
    return state.pendingThrow === null && this.mayThrow(node) ? { ...state, pendingThrow: lineOf(node) } : state;
  }

  /**
   * Where the resource starts holding a descriptor: for `new Socket()` (unconnected: the JDK opens the descriptor
   * in connect), the end of the statement that first connects it; for everything else, where it is acquired.
   */
  private findOpenFrom(name: string): number {
    const created = this.dialect.call(this.acquisition.node);
    if (created?.kind !== 'new' || created.args.length > 1 || !/^java\.net\.Socket$|SSLSocket$/.test(this.acquisition.kind.resource)) return 0;
    for (const ref of this.references(name)) {
      if (ref.startIndex < this.acquisition.node.endIndex) continue;
      const c = this.dialect.context(ref);
      if (c.kind !== 'receiver' || c.call.name !== 'connect') continue;
      let statement: Node | null = c.call.node;
      while (statement && !this.dialect.isStatement(statement)) statement = statement.parent;
      return statement?.endIndex ?? 0;
    }
    return 0;
  }

  private merge(outcomes: Outcome[]): Outcome {
    const going = outcomes.filter((o) => o.completes);
    if (going.length === 0) return { state: { released: true, pendingThrow: null }, completes: false };
    return {
      state: {
        released: going.every((o) => o.state.released),
        pendingThrow: going.find((o) => o.state.pendingThrow !== null)?.state.pendingThrow ?? null,
      },
      completes: true,
    };
  }

  /**
   * The branch of `if (condition)` in which there is nothing to release: the variable holds no value (a null test),
   * or is not of the type whose release the code guards (`if (conn instanceof HttpURLConnection) ...disconnect()`).
   */
  private nullBranch(condition: Node): 'then' | 'else' | undefined {
    for (const name of this.trackedNames.keys()) {
      const branch = this.dialect.nullBranch(condition, name);
      if (branch) return branch;
      const text = condition.text.replace(/\s+/g, ' ').replace(/^\(\s*(.*?)\s*\)$/, '$1');
      if (new RegExp(`^${name} instanceof [\\w.]+$`).test(text)) return 'else';
      if (new RegExp(`^! ?\\(${name} instanceof [\\w.]+\\)$`).test(text)) return 'then';
    }
    return undefined;
  }

  private walk(node: Node, state: State, nesting = 0): Outcome {
    if (state.released) return { state, completes: true };
    this.model.checkDeadline();
    const s = nesting > MAX_NESTING ? AS_A_WHOLE : this.dialect.statement(node);
    const inner = nesting + 1;
    switch (s.kind) {
      case 'block':
        return this.walkList(s.statements, state, inner);
      case 'nested':
        return this.walk(s.body, state, inner);
      case 'exit': {
        if (this.releasesIn(node)) return { state: this.release(state, node), completes: false };
        // `throw new IOException(...)` inside a try whose catch closes the resource: the catch releases it.
        if (s.exit === 'throw' && this.caughtByReleasingCatch(node)) return { state: { released: true, pendingThrow: null }, completes: false };
        this.leaks.push({ reason: 'exit', exit: s.exit, line: lineOf(node) });
        return { state, completes: false };
      }
      case 'if': {
        if (this.releasesIn(s.condition)) return { state: this.release(state, s.condition), completes: true };
        const entry = this.throwsAt(state, s.condition);
        const nothingToRelease: Outcome = { state: { released: true, pendingThrow: null }, completes: true };
        const branch = this.nullBranch(s.condition);
        const then = branch === 'then' ? nothingToRelease : this.walk(s.consequence, entry, inner);
        const otherwise =
          branch === 'else' ? nothingToRelease : s.alternative ? this.walk(s.alternative, entry, inner) : { state: entry, completes: true };
        return this.merge([then, otherwise]);
      }
      case 'try': {
        if ((s.finalizer && this.releasesIn(s.finalizer)) || s.resources.some((r) => this.releasesIn(r))) {
          return { state: this.release(state, node), completes: true };
        }
        const body = this.walk(s.body, state, inner);
        // A catch only runs when the body throws: when nothing in it can throw but calls that close the resource as
        // they fail (`socket.connect`), there is nothing left to release there.
        const unreachable: Outcome = { state: { released: true, pendingThrow: null }, completes: true };
        const bodyThrows = this.dialect.family !== 'java' || !this.acquisition.kind.exceptionLeaks || this.mayThrow(s.body);
        const catches = s.catches.map((c) => (bodyThrows ? this.walk(c, state, inner) : unreachable));
        // A catch that releases handles the exceptions the try body may throw.
        const handled = s.catches.some((c) => this.releasesIn(c));
        const bodyOutcome = handled ? { ...body, state: { ...body.state, pendingThrow: state.pendingThrow } } : body;
        const merged = this.merge([bodyOutcome, ...catches]);
        return s.finalizer && merged.completes ? this.walk(s.finalizer, merged.state, inner) : merged;
      }
      case 'loop': {
        if (!s.body) return { state, completes: true };
        const body = s.body;
        const inHeader = this.events.some((e) => e.type !== 'reassign' && contains(node, e.node) && !contains(body, e.node));
        if (inHeader) return { state: this.release(state, node), completes: true };
        const outcome = this.walk(s.body, state, inner);
        return { state: outcome.state, completes: true };
      }
      case 'switch': {
        const outcomes = s.cases.map((statements) => this.walkList(statements, state, inner));
        if (!s.hasDefault) outcomes.push({ state, completes: true });
        return this.merge(outcomes);
      }
      case 'simple': {
        const events = this.eventsIn(node);
        if (events.some((e) => e.type !== 'reassign')) return { state: this.release(state, node), completes: true };
        const reassigned = events.find((e) => e.type === 'reassign');
        if (reassigned) {
          this.leaks.push({ reason: 'reassigned', name: reassigned.node.text, line: lineOf(reassigned.node) });
          return { state: { released: true, pendingThrow: null }, completes: true };
        }
        return { state: this.throwsAt(state, node), completes: true };
      }
    }
  }

  /** True when `node` sits in the body of a try (in this function) that has a catch releasing the resource. */
  private caughtByReleasingCatch(node: Node): boolean {
    for (let n = node.parent; n && !n.equals(this.fn); n = n.parent) {
      const s = this.dialect.statement(n);
      if (s.kind === 'try' && contains(s.body, node) && s.catches.some((c) => this.releasesIn(c))) return true;
    }
    return false;
  }

  /** Walks the statements after the acquisition, climbing out of blocks until the function body is done. */
  private climb(acquired: Node): Leak | null {
    const body = this.dialect.functionBody(this.fn);
    if (!body) return null;
    let node: Node | null = acquired;
    while (node && !this.dialect.isStatement(node)) node = node.parent;
    if (!node || !contains(body, node)) return null;

    let state: State = { released: false, pendingThrow: null };
    // The acquisition's own statement: a compound one (`if ((s = accept()) != null) {...}`) is walked inside.
    const own = this.dialect.statement(node);
    if (own.kind !== 'simple' && own.kind !== 'exit' && !node.equals(body)) {
      const outcome = this.walk(node, state);
      if (!outcome.completes) return this.verdict(outcome);
      state = outcome.state;
    } else if (this.releasesIn(node)) {
      return null;
    }

    while (!state.released && !node.equals(body)) {
      const parent: Node | null = node.parent;
      if (!parent) break;
      const list = this.dialect.statement(parent);
      if (list.kind === 'block' || this.isStatementList(parent)) {
        const siblings = list.kind === 'block' ? list.statements : parent.namedChildren.filter((c): c is Node => !!c);
        const after = siblings.filter((s) => s.startIndex >= node!.endIndex && this.dialect.isStatement(s));
        const outcome = this.walkList(after, state);
        if (!outcome.completes) return this.verdict(outcome);
        state = outcome.state;
      } else if (list.kind === 'try' && contains(list.body, node) && list.catches.some((c) => this.releasesIn(c))) {
        state = { ...state, pendingThrow: null };
      }
      node = parent;
    }
    return this.verdict({ state, completes: true });
  }

  private isStatementList(node: Node): boolean {
    return /^(switch_block_statement_group|switch_case|switch_default|switch_rule|program|class_static_block)$/.test(node.type);
  }

  private verdict(outcome: Outcome): Leak | null {
    const exit = this.leaks.find((l) => l.reason === 'exit');
    if (exit) return exit;
    const reassigned = this.leaks.find((l) => l.reason === 'reassigned');
    if (reassigned) return reassigned;
    if (!outcome.state.released && outcome.completes) {
      const firstRelease = this.events.find((e) => e.type !== 'reassign');
      return { reason: 'some-paths', line: firstRelease ? this.branchLine(firstRelease.node) : lineOf(this.fn) };
    }
    return this.leaks.find((l) => l.reason === 'exception') ?? null;
  }

  /** The line of the branch statement that confines a release. */
  private branchLine(release: Node): number {
    for (let n = release.parent; n && !n.equals(this.fn); n = n.parent) {
      const s = this.dialect.statement(n);
      if (s.kind === 'if' || s.kind === 'switch' || s.kind === 'loop' || s.kind === 'try') return lineOf(n);
    }
    return lineOf(release);
  }
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
