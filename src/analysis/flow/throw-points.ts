// Where a Java call may throw while a resource is held, leaving it open on the exception path: not a getter of the
// resource, not logging, not a test that cannot throw, not the release itself (a close that fails has let the
// descriptor go, and so has a helper that closes in a finally). paths.ts asks, walking the statements.
import type { Node } from 'web-tree-sitter';
import type { Acquisition } from '../catalog/acquisitions';
import type { Releasable } from '../catalog/resources';
import type { FileModel } from '../model';
import { contains, type Call } from '../syntax/dialect';
import { checkedNotNull } from './null-guards';
import type { Flow } from './paths';
import { EMPTY_HOLDER, isConstantGetter, isLoggingCall, NULLABLE_GETTER, NULL_SAFE_TEST, NULL_SAFE_UTILITY, PLAIN_GETTER, STRING_TEST } from './safe-calls';

export class ThrowPoints {
  private readonly dialect;
  private readonly trackedNames: ReadonlyMap<string, Releasable>;
  private readonly accessorCalls: ReadonlySet<number>;

  constructor(
    private readonly model: FileModel,
    private readonly acquisition: Acquisition,
    private readonly fn: Node,
    flow: Pick<Flow, 'trackedNames' | 'accessorCalls'>,
  ) {
    this.dialect = model.dialect;
    this.trackedNames = flow.trackedNames;
    this.accessorCalls = flow.accessorCalls;
  }

  /** A call in `node` (of this function) may throw while the resource is held: Java only, for kinds an exception leaks. */
  mayThrow(node: Node): boolean {
    if (this.dialect.family !== 'java' || !this.acquisition.kind.exceptionLeaks) return false;
    for (const call of node.descendantsOfType([...this.dialect.callTypes])) {
      if (call && !this.accessorCalls.has(call.id) && !this.isSafeCall(call) && this.model.functionOf(call)?.equals(this.fn)) return true;
    }
    return node.type === 'throw_statement';
  }

  /**
   * mayThrow for the calls of `node` that run before the releasing call `release` is done: those inside it (its
   * arguments, the chain it is called on), not those around it, which run after it (`gson.fromJson(response.body()
   * .string(), T.class)`: the parse fails with the body read and closed), nor those after it.
   */
  mayThrowBefore(node: Node, release: Node): boolean {
    if (this.dialect.family !== 'java' || !this.acquisition.kind.exceptionLeaks) return false;
    for (const call of node.descendantsOfType([...this.dialect.callTypes])) {
      if (!call || contains(call, release) || call.startIndex >= release.endIndex) continue;
      if (!this.accessorCalls.has(call.id) && !this.isSafeCall(call) && this.model.functionOf(call)?.equals(this.fn)) return true;
    }
    return false;
  }

  /**
   * A call that cannot leave the resource open by throwing: a getter or a self-closing connect on the resource,
   * logging (which does not throw), a getter of a constant (`HttpStatus.OK.value()`), or the release itself (a
   * `close()` that fails has let the descriptor go: the quiet `try { s.close(); } catch (IOException ignored) {}`
   * releases on both paths).
   */
  isSafeCall(node: Node): boolean {
    const call = this.dialect.call(node);
    if (!call) return false;
    if (call.kind === 'new' && EMPTY_HOLDER.test(call.name) && call.args.every((a) => /literal$/.test(a.type))) return true;
    const receiver = call.receiver ? this.dialect.unwrap(call.receiver) : null;
    if (isLoggingCall(call.name, receiver?.text)) return true;
    if (receiver && isConstantGetter(receiver.text, call.name, call.args.length)) return true;
    if (receiver && this.cannotThrow(call, receiver, node)) return true;
    // The release itself, given the resource or what it derives (`mapper.readValue(response.body(), T.class)`: the
    // parser closes its source also when it throws).
    const releasedHere = (a: Node) => {
      const arg = this.dialect.unwrap(a);
      if (arg.type === 'identifier') return !!this.trackedNames.get(arg.text)?.releasedBy?.(call);
      const derive = this.dialect.call(arg);
      const owner = derive?.receiver ? this.dialect.unwrap(derive.receiver) : null;
      return owner?.type === 'identifier' && !!this.trackedNames.get(owner.text)?.derived?.get(derive!.name)?.releasedBy?.(call);
    };
    if (call.args.some(releasedHere)) return true;
    // `Objects.requireNonNull(response.body())`: it throws only when there is nothing to release (see nullBranch).
    if (this.nullCheckOfResource(call)) return true;
    if (this.helperReleasingInFinally(call) || this.testOfTheResource(call)) return true;
    // `response.body().string()`, `requireNonNull(response.body()).string()`: the release of a part (a read that
    // fails has released it too, as a close that fails has).
    if (receiver && this.releasesPart(call, receiver)) return true;
    // `response.getStatusLine().getStatusCode()`: a getter of what a safe getter returned (not null).
    if (receiver && this.dialect.callTypes.has(receiver.type)) {
      return PLAIN_GETTER.test(call.name) && !NULLABLE_GETTER.test(this.dialect.call(receiver)?.name ?? '') && this.isSafeCall(receiver);
    }
    if (receiver?.type !== 'identifier') return false;
    const releasable = this.trackedNames.get(receiver.text);
    return !!releasable && (releasable.methods.has(call.name) || !!releasable.safeCalls?.test(call.name));
  }

  /** `Objects.requireNonNull(x)` of the resource or of the part of it that holds the connection. */
  private nullCheckOfResource(call: Call): boolean {
    if (call.name !== 'requireNonNull' || call.args.length === 0) return false;
    if (call.receiver && !/(^|\.)Objects$/.test(this.dialect.unwrap(call.receiver).text)) return false;
    return this.trackedPart(call.args[0]) !== undefined;
  }

  /**
   * `getAndClose(conn.getErrorStream())`: a same-file helper that closes its parameter in a finally (or holds it in a
   * try-with-resources) lets it go also when it throws, as a close that fails has (Google's GCM Sender, which
   * Fineract and many others carry).
   */
  private helperReleasingInFinally(call: Call): boolean {
    if (call.receiver && call.receiver.type !== 'this') return false;
    const index = call.args.findIndex((a) => this.trackedPart(a) !== undefined);
    if (index < 0) return false;
    return this.model.methodsNamed(call.name).some((method) => {
      const params = this.dialect.parameterNames(method);
      const param = params[index];
      const body = this.dialect.functionBody(method);
      if (params.length !== call.args.length || !body) return false;
      return body.descendantsOfType(['try_statement', 'try_with_resources_statement']).some((node) => {
        const s = node && this.dialect.statement(node);
        if (!s || s.kind !== 'try') return false;
        if (s.resources.some((r) => this.dialect.unwrap(r.childForFieldName('value') ?? r).text === param)) return true;
        return !!s.finalizer && this.model.references(s.finalizer, param).some((ref) => this.handedOnOrClosed(ref));
      });
    });
  }

  /**
   * `connectorCreatedNewPayment(response)`, a same-file helper that only returns what the resource's getters say
   * (`return response.getStatus() == HttpStatus.SC_CREATED;`, GOV.UK Pay's publicapi): no more a throw point than
   * the getters are.
   */
  private testOfTheResource(call: Call): boolean {
    if (call.receiver && call.receiver.type !== 'this') return false;
    const index = call.args.findIndex((a) => this.trackedPart(a) !== undefined);
    const releasable = index >= 0 ? this.trackedPart(call.args[index]) : undefined;
    if (!releasable?.safeCalls) return false;
    const safeCalls = releasable.safeCalls;
    const methods = this.model.methodsNamed(call.name);
    return methods.length > 0 && methods.every((method) => {
      const param = this.dialect.parameterNames(method)[index];
      const body = this.dialect.functionBody(method);
      const only = body && this.dialect.statement(body);
      const statement = only?.kind === 'block' && only.statements.length === 1 ? this.dialect.statement(only.statements[0]) : null;
      if (!param || statement?.kind !== 'exit' || statement.exit !== 'return' || !statement.value) return false;
      return statement.value.descendantsOfType([...this.dialect.callTypes]).every((node) => {
        const inner = node && this.dialect.call(node);
        const on = inner?.receiver ? this.dialect.unwrap(inner.receiver).text : '';
        if (!inner || inner.args.length > 0) return false;
        return (on === param && safeCalls.test(inner.name)) || isConstantGetter(on, inner.name, 0);
      });
    });
  }

  /** In a helper's finally: `param.close()`, or `close(param)`, `IOUtils.closeQuietly(param)`. */
  private handedOnOrClosed(ref: Node): boolean {
    const c = this.dialect.context(ref);
    return (c.kind === 'receiver' && /^(close|disconnect|release\w*|shutdown\w*|abort|destroy)$/.test(c.call.name)) || (c.kind === 'argument' && /close|release|dispose|shutdown/i.test(c.call.name));
  }

  /** The releasable `node` holds: a tracked name, an accessor of one (`response.body()`), either null-checked. */
  private trackedPart(node: Node): Releasable | undefined {
    const held = this.dialect.unwrap(node);
    if (held.type === 'identifier') return this.trackedNames.get(held.text);
    const call = this.dialect.call(held);
    if (!call) return undefined;
    if (call.name === 'requireNonNull' && call.args.length > 0) return this.trackedPart(call.args[0]);
    const owner = call.receiver ? this.dialect.unwrap(call.receiver) : null;
    return owner?.type === 'identifier' ? this.trackedNames.get(owner.text)?.derived?.get(call.name) : undefined;
  }

  private releasesPart(call: Call, receiver: Node): boolean {
    if (!this.dialect.callTypes.has(receiver.type)) return false;
    return !!this.trackedPart(receiver)?.methods.has(call.name);
  }

  /**
   * Tests that cannot throw: a null-safe utility's (`Objects.equals`, `StringUtils.isBlank`), a literal's equals
   * (`"text/plain".equals(type)`), a string's test with literal arguments once a `x != null &&` before it rules out
   * null, and a getter of what a safe getter returned, held in a variable (`statusLine.getStatusCode()`).
   */
  private cannotThrow(call: Call, receiver: Node, node: Node): boolean {
    if (NULL_SAFE_UTILITY.test(receiver.text) && NULL_SAFE_TEST.test(call.name)) return true;
    if (receiver.type === 'string_literal') return /^(equals|equalsIgnoreCase|contentEquals)$/.test(call.name);
    if (receiver.type !== 'identifier') return false;
    if (STRING_TEST.test(call.name) && call.args.every((a) => /literal$/.test(a.type)) && checkedNotNull(receiver.text, node, this.fn, this.dialect)) return true;
    if (/^(complete|completeExceptionally)$/.test(call.name) && this.futureWithoutDependents(receiver.text, node)) return true;
    if (PLAIN_GETTER.test(call.name) && call.args.length === 0 && this.inLogLine(node)) return true;
    if (!PLAIN_GETTER.test(call.name) || call.args.length > 0 || this.trackedNames.has(receiver.text)) return false;
    const init = this.model.declaratorOf(receiver.text, node)?.childForFieldName('value');
    const held = init ? this.dialect.unwrap(init) : null;
    return !!held && this.dialect.callTypes.has(held.type) && !NULLABLE_GETTER.test(this.dialect.call(held)?.name ?? '') && this.isSafeCall(held);
  }

  /**
   * `CompletableFuture<T> f = new CompletableFuture<>(); ... f.complete(v)` with `f` only completed in between (a
   * listener may complete it too): nothing waits on it yet, so no dependent stage runs (and throws) in complete().
   */
  private futureWithoutDependents(name: string, node: Node): boolean {
    const declarator = this.model.declaratorOf(name, node);
    const init = declarator?.childForFieldName('value');
    if (!declarator || !init || !/^new\s+(?:[\w.]+\.)?CompletableFuture\b/.test(this.dialect.unwrap(init).text)) return false;
    return this.model.references(this.fn, name).every((ref) => {
      if (ref.startIndex < declarator.endIndex || ref.startIndex >= node.startIndex) return true;
      const c = this.dialect.context(ref);
      return c.kind === 'receiver' && /^(complete|completeExceptionally|isDone)$/.test(c.call.name);
    });
  }

  /** `System.err.println("failed: " + request.getURI())`: a getter that only feeds a log line (which prints anything). */
  private inLogLine(node: Node): boolean {
    for (let n = node.parent; n && !n.equals(this.fn); n = n.parent) {
      const call = this.dialect.callTypes.has(n.type) ? this.dialect.call(n) : null;
      if (!call) continue;
      const receiver = call.receiver ? this.dialect.unwrap(call.receiver) : null;
      return isLoggingCall(call.name, receiver?.text);
    }
    return false;
  }
}
