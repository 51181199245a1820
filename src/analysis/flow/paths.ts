// The paths half of ownership: given where a resource is released or handed over (the events that the
// value-following half, ownership.ts, collected), walks the statements after the acquisition and says on which
// path, if any, it is left open.
//
// The reasoning is structural, over the syntax tree, not a full control-flow graph: statements after the
// acquisition are walked in order; `if`/`switch` branches are merged (released only if every branch that goes on
// releases), a `finally` (or try-with-resources, `using`) that releases covers everything inside its `try`, and loops
// are assumed to run.
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import type { Releasable } from '../catalog/resources';
import type { FileModel } from '../model';
import { contains, lineOf, MAX_NESTING, type Statement } from '../syntax/dialect';
import { ThrowPoints } from './throw-points';

/** Why a resource is left open, and where. */
export type Leak = (
  | { readonly reason: 'never' }
  | { readonly reason: 'discarded' }
  | { readonly reason: 'exit'; readonly exit: 'return' | 'throw'; readonly line: number }
  | {
      readonly reason: 'exception';
      readonly line: number;
      readonly handover?: number;
      /** The accessor that throws before the try-with-resources that would close it (`socket.getInputStream()`). */
      readonly accessor?: string;
    }
  | { readonly reason: 'reassigned'; readonly name: string; readonly line: number }
  | { readonly reason: 'some-paths'; readonly line: number }
) & {
  /**
   * A method of another object the resource was handed to (`handler.serve(socket)`): it may own and close it, so
   * a leak on the paths after it is a guess.
   */
  readonly handedTo?: string;
  /** Why the wrapper the resource was given to does not close it (`CloseShieldInputStream`, an overridden close()). */
  readonly keptOpenBy?: string;
  /** The line of an accept loop's catch that swallows a set-up failure and goes on (see accept-loop.ts). */
  readonly swallowedAt?: number;
};

/** A place where the resource is released, handed over or overwritten. */
export interface Event {
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

/** What a statement nested deeper than MAX_NESTING is taken for: one step, judged by the events inside it. */
const AS_A_WHOLE: Statement = { kind: 'simple' };

/** What the value-following half learnt about the resource, for the walk to judge the paths by. */
export interface Flow {
  /** Where the resource is released, handed over or reassigned, in source order. */
  readonly events: readonly Event[];
  /** The variables holding the resource (or a part of it), with what releases each. */
  readonly trackedNames: ReadonlyMap<string, Releasable>;
  /** Accessor calls on the resource (`response.body()`): they hand out a part of it and are no throw points. */
  readonly accessorCalls: ReadonlySet<number>;
  /** Accessor calls that can throw or return null (`socket.getInputStream()`, `response.getEntity()`). */
  readonly fallibleCalls: ReadonlySet<number>;
  /** Where the resource starts holding a descriptor (before it, an exception leaks nothing). */
  readonly openFrom: number;
  /** The calls that make it hold one (`conn.getResponseCode()`), when its kind opens late: an exit no path through them reaches leaks nothing. */
  readonly opens?: readonly Node[];
}

/** Walks the paths of one function for one resource; a new walker per question keeps it free of shared state. */
export class PathWalker {
  private readonly dialect;
  private readonly leaks: Leak[] = [];
  private readonly events: readonly Event[];
  private readonly trackedNames: ReadonlyMap<string, Releasable>;
  private readonly accessorCalls: ReadonlySet<number>;
  private readonly fallibleCalls: ReadonlySet<number>;
  /** The fallible accessor that opened a try-with-resources without covering the resource (see fallibleBefore). */
  private fallibleAt: { readonly line: number; readonly text: string } | undefined;
  private readonly openFrom: number;
  private readonly opens: readonly Node[] | undefined;
  /**
   * How many enclosing `try` bodies being walked have a catch that handles what they throw: one that releases the
   * resource, or one that catches every exception (its path, walked on its own, goes on after the try).
   */
  private insideHandlingTry = 0;
  /** Which calls may throw while the resource is held (throw-points.ts). */
  private readonly throws: ThrowPoints;

  constructor(
    private readonly model: FileModel,
    private readonly acquisition: Acquisition,
    private readonly fn: Node,
    flow: Flow,
  ) {
    this.dialect = model.dialect;
    this.events = flow.events;
    this.trackedNames = flow.trackedNames;
    this.accessorCalls = flow.accessorCalls;
    this.fallibleCalls = flow.fallibleCalls;
    this.openFrom = flow.openFrom;
    this.opens = flow.opens;
    this.throws = new ThrowPoints(model, acquisition, fn, flow);
  }

  /** The leak, if any, when the resource is held from the start of the function's body (a parameter). */
  walkFunction(): Leak | null {
    const body = this.dialect.functionBody(this.fn);
    if (!body || !this.dialect.isStatement(body)) return null;
    const outcome = this.walk(body, { released: false, pendingThrow: null });
    return this.verdict(outcome);
  }

  private eventsIn(node: Node): Event[] {
    return this.events.filter((e) => contains(node, e.node));
  }

  /** True when something in `node` releases the resource or hands it to an owner. */
  private releasesIn(node: Node): boolean {
    return this.events.some((e) => e.type !== 'reassign' && contains(node, e.node));
  }

  /** An enclosing `try` whose `finally` (or resource list) releases covers every path inside it. */
  protectedByFinally(from: Node): boolean {
    for (let n = from.parent; n && !n.equals(this.fn); n = n.parent) {
      const s = this.dialect.statement(n);
      if (s.kind === 'try' && contains(s.body, from) && this.releasesOnEveryWayOut(n)) return true;
    }
    return false;
  }

  /**
   * Whether a try body may throw while the resource is still held: its statements up to the first one that releases
   * it. What follows a release (`String s = response.body().string(); callback.run(s);`) throws with nothing left to
   * leak, so the catch has nothing to release then.
   */
  private mayThrowBeforeRelease(body: Node): boolean {
    const s = this.dialect.statement(body);
    if (s.kind !== 'block') return this.throws.mayThrow(body);
    for (const statement of s.statements) {
      if (this.releasesWhatLeaves(statement)) continue;
      // `try { ... } finally { client.close(); }` nested in the body: it releases on every way out, thrown or not
      // (azkaban's ExternalLinkUtils: the enclosing catch returns with the client closed).
      if (this.releasesOnEveryWayOut(statement)) return false;
      const release = this.dialect.statement(statement).kind === 'simple' ? this.events.find((e) => e.type !== 'reassign' && contains(statement, e.node)) : undefined;
      if (release) return this.throws.mayThrowBefore(statement, this.releasingCall(release));
      if (this.throws.mayThrow(statement)) return true;
    }
    return false;
  }

  /**
   * The call that releases or takes over the resource at a release event: the end of the chain of calls on it
   * (`response.body().string()`, what follows in the statement runs after it), or the call it is handed to
   * (`Payloads.newInputStreamPayload(response.getEntity().getContent())`, `closeQuietly(response)`), which runs
   * after all of its arguments.
   */
  private releasingCall(event: Event): Node {
    let n = event.node;
    for (let c = this.dialect.context(n); c.kind === 'receiver'; c = this.dialect.context(n)) n = c.call.node;
    const c = this.dialect.context(n);
    return c.kind === 'argument' && (event.type === 'escape' || n.equals(event.node)) ? c.call.node : n;
  }

  /**
   * A try whose catch takes every exception and first releases the resource (`catch (Throwable t) { closeQuietly(s);
   * throw t; }`, metacat's Hive client): whatever it lets out leaves nothing held, so an enclosing catch has nothing
   * to release.
   */
  private releasesWhatLeaves(statement: Node): boolean {
    const s = this.dialect.statement(statement);
    return s.kind === 'try' && s.catches.some((c) => this.catchesEverything(c) && this.releasesIn(c) && !this.mayThrowBeforeRelease(c));
  }

  /** A try whose finally or resource list releases the resource. */
  private releasesOnEveryWayOut(statement: Node): boolean {
    const s = this.dialect.statement(statement);
    return s.kind === 'try' && ((!!s.finalizer && this.releasesIn(s.finalizer)) || s.resources.some((r) => this.releasesIn(r)));
  }

  /** The body's first statement releases the resource, and nothing in it can throw but the release itself. */
  private releasedFirstThing(body: Node): boolean {
    const s = this.dialect.statement(body);
    const first = s.kind === 'block' ? s.statements[0] : body;
    // `try { return response.readEntity(T.class); } catch (ProcessingException e) {...}`: a return of the release too.
    const statement = first && this.dialect.statement(first);
    const simple = statement?.kind === 'simple' || (statement?.kind === 'exit' && statement.exit === 'return');
    if (!first || !simple || !this.releasesIn(first)) return false;
    return first
      .descendantsOfType([...this.dialect.callTypes])
      .every((call) => !call || this.accessorCalls.has(call.id) || this.throws.isSafeCall(call) || !this.model.functionOf(call)?.equals(this.fn));
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
    // Inside a try whose catch releases it (`catch (IOException e) { s.close(); throw e; }`) or catches everything
    // (`catch (Exception e) { log(e); }`, then the code after the try), a throw is handled there.
    if (this.insideHandlingTry > 0) return state;
    return state.pendingThrow === null && this.throws.mayThrow(node) ? { ...state, pendingThrow: lineOf(node) } : state;
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
   * The branch of `if (condition)` in which there is nothing to release: the variable holds no value (a null test), nor
   * the part of it that holds the connection, or is not of the type whose release the code guards (`if (conn
   * instanceof HttpURLConnection) ...disconnect()`).
   */
  private nullBranch(condition: Node): 'then' | 'else' | undefined {
    for (const [name, releasable] of this.trackedNames) {
      const branch = this.dialect.nullBranch(condition, name);
      if (branch) return branch;
      // `response.body() != null` (OkHttp), `response.getEntity() != null` (Apache): without the part that holds the
      // connection there is nothing to release, and an OkHttp response from execute() always has a body.
      for (const accessor of releasable.derived?.keys() ?? []) {
        const derived = this.dialect.nullBranch(condition, `${name}.${accessor}()`);
        if (derived) return derived;
      }
      const text = condition.text.replace(/\s+/g, ' ').replace(/^\(\s*(.*?)\s*\)$/, '$1');
      if (new RegExp(`^${name} instanceof [\\w.]+$`).test(text)) return 'else';
      if (new RegExp(`^! ?\\(${name} instanceof [\\w.]+\\)$`).test(text)) return 'then';
      // `if (response.hasEntity())` (JAX-RS): without an entity there is nothing to read or release.
      if (text === `${name}.hasEntity()`) return 'else';
      if (text === `!${name}.hasEntity()`) return 'then';
    }
    return bodilessStatusBranch(condition.text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1'));
  }

  /**
   * The value a switched-on variable holds when the resource is null: `int code = response == null ? -1 :
   * response.getStatus(); switch (code) { case -1: ... }` gives `-1`.
   */
  private nullSentinel(subject: Node): string | undefined {
    const variable = this.dialect.unwrap(subject);
    if (variable.type !== 'identifier') return undefined;
    const init = this.model.declaratorOf(variable.text, variable)?.childForFieldName('value');
    if (init?.type !== 'ternary_expression') return undefined;
    const condition = init.childForFieldName('condition');
    const whenNull = condition ? this.nullBranch(condition) : undefined;
    const value = whenNull === 'then' ? init.childForFieldName('consequence') : whenNull === 'else' ? init.childForFieldName('alternative') : null;
    return value && /literal$|^unary_expression$/.test(value.type) ? value.text.replace(/\s+/g, '') : undefined;
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
        // A return or throw before it holds a descriptor (an unconnected socket or URLConnection) leaks nothing.
        if (node.startIndex < this.openFrom || !this.openedBefore(node)) return { state: { released: true, pendingThrow: null }, completes: false };
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
        const releasing = s.resources.findIndex((r) => this.releasesIn(r));
        if (releasing >= 0) return { state: this.release(this.fallibleBefore(state, s.resources.slice(0, releasing + 1)), node), completes: true };
        if (s.finalizer && this.releasesIn(s.finalizer)) return { state: this.release(state, node), completes: true };
        // A catch that releases handles the exceptions the try body may throw; so does one that catches them all,
        // whose path (walked below from the try's start) goes on to what follows the try.
        const handled = s.catches.some((c) => this.releasesIn(c) || this.catchesEverything(c));
        if (handled) this.insideHandlingTry++;
        const body = this.walk(s.body, state, inner);
        if (handled) this.insideHandlingTry--;
        // A catch only runs when the body throws: when nothing in it can throw but calls that close the resource as
        // they fail (`socket.connect`), there is nothing left to release there.
        const unreachable: Outcome = { state: { released: true, pendingThrow: null }, completes: true };
        const bodyThrows = this.dialect.family !== 'java' || !this.acquisition.kind.exceptionLeaks || this.mayThrowBeforeRelease(s.body);
        // `try { body = getAndClose(conn.getErrorStream()); } catch (IOException e) {...}`: a body that begins with a
        // release that cannot fail to release leaves nothing to a catch.
        const from = this.releasedFirstThing(s.body) ? { released: true, pendingThrow: null } : state;
        const catches = s.catches.map((c) => (bodyThrows ? this.walk(c, from, inner) : unreachable));
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
        const nothingToRelease: Outcome = { state: { released: true, pendingThrow: null }, completes: true };
        const nullCase = s.subject ? this.nullSentinel(s.subject) : undefined;
        const outcomes = s.cases.map((statements, k) => {
          const labels = s.labels?.[k] ?? [];
          // `case 304:` (no body to release), `case -1:` of `code = response == null ? -1 : response.getStatus()`.
          const empty = labels.length > 0 && labels.every((l) => BODILESS_STATUS.test(l) || l === nullCase);
          return empty ? nothingToRelease : this.walkList(statements, state, inner);
        });
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

  /**
   * `try (InputStream in = socket.getInputStream())`: the try closes the stream, and with it the socket, only once the
   * accessor has returned; when it throws (or returns null) the resource is left with nobody.
   */
  private fallibleBefore(state: State, resources: readonly Node[]): State {
    if (state.pendingThrow !== null || this.fallibleCalls.size === 0 || !this.acquisition.kind.exceptionLeaks) return state;
    for (const resource of resources) {
      if (resource.startIndex < this.openFrom || this.insideHandlingTry > 0) continue;
      const call = resource.descendantsOfType([...this.dialect.callTypes]).find((c) => c && this.fallibleCalls.has(c.id));
      if (call) {
        this.fallibleAt = { line: lineOf(call), text: call.text.replace(/\s+/g, '') };
        return { ...state, pendingThrow: lineOf(call) };
      }
    }
    return state;
  }

  /**
   * True when a call that opens the resource runs on the way to `exit`: one before it whose branch (an if's arm, a
   * loop's body, a catch) holds the exit too. `if (get) { conn.getResponseCode(); ... return x; } return null;`: the
   * second return never connected. Always true for kinds that hold a descriptor from the start.
   */
  private openedBefore(exit: Node): boolean {
    if (this.opens === undefined) return true;
    return this.opens.some((open) => open.startIndex < exit.startIndex && contains(branchOf(open, this.fn), exit));
  }

  /** `catch (Exception e)`, `catch (Throwable t)`: every exception the try body throws lands there (Java). */
  private catchesEverything(body: Node): boolean {
    if (this.dialect.family !== 'java') return false;
    const param = body.parent?.namedChildren.find((c) => c?.type === 'catch_formal_parameter');
    const types = param?.namedChildren.find((c) => c?.type === 'catch_type')?.namedChildren ?? [];
    return types.some((t) => /^(java\.lang\.)?(Exception|Throwable)$/.test(t?.text ?? ''));
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
  climb(acquired: Node): Leak | null {
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
        // Inside a try whose catch releases it (`catch (Exception e) { post.abort(); }`), a throw is handled there,
        // as when the walk enters such a try (Red5's remoting clients).
        const handled = this.caughtByReleasingCatch(node);
        if (handled) this.insideHandlingTry++;
        const outcome = this.walkList(after, state);
        if (handled) this.insideHandlingTry--;
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
    const exception = this.leaks.find((l) => l.reason === 'exception');
    if (exception && !exception.handover && exception.line === this.fallibleAt?.line) return { ...exception, accessor: this.fallibleAt.text };
    return exception ?? null;
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

/** The innermost part of `fn` that runs only on some paths and holds `node`: an if's arm, a loop's body, a catch, a case. */
function branchOf(node: Node, fn: Node): Node {
  for (let child = node, n = node.parent; n && !n.equals(fn); child = n, n = n.parent) {
    if (/^(if_statement|ternary_expression|conditional_expression)$/.test(n.type) && !n.childForFieldName('condition')?.equals(child)) return child;
    if (/^(for|enhanced_for|while|do|for_in)_statement$/.test(n.type) && n.childForFieldName('body')?.equals(child)) return child;
    if (/^(catch_clause|switch_block_statement_group|switch_rule|switch_case|switch_default|lambda_expression|arrow_function|function_expression)$/.test(n.type)) return n;
  }
  return fn;
}

/** A status that has no body: 204 No Content, 304 Not Modified, as a number or a constant (`HttpStatus.SC_NOT_MODIFIED`). */
const BODILESS_STATUS = /^(?:204|304|(?:[A-Z]\w*\.)*(?:SC_|HTTP_)?(?:NO_CONTENT|NOT_MODIFIED)(?:\.(?:getStatusCode|value|code)\(\))?)$/;

/**
 * The branch of `if (status == 304)` that has the bodiless reply: nothing holds its connection (HttpURLConnection,
 * OkHttp and Apache's HttpClient hand it back as the reply arrives), so nothing is left to release there. In
 * `if (status == 204 && type.isArray())` the then-branch still has it (blueocean's HttpRequest.to).
 */
function bodilessStatusBranch(text: string): 'then' | 'else' | undefined {
  if (/\|\||\?/.test(text)) return undefined;
  const conjuncts = text.split('&&');
  if (conjuncts.length > 1) return conjuncts.some((c) => bodilessComparison(c) === 'then') ? 'then' : undefined;
  return bodilessComparison(text);
}

function bodilessComparison(text: string): 'then' | 'else' | undefined {
  const comparison = /^(.+?)(==|!=)(.+)$/.exec(text);
  if (!comparison) return undefined;
  const [, left, operator, right] = comparison;
  if (!BODILESS_STATUS.test(left) && !BODILESS_STATUS.test(right)) return undefined;
  return operator === '==' ? 'then' : 'else';
}

