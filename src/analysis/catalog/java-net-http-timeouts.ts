// java.net.http (JDK 11+): a client without a connect timeout waits for the operating system on a connect, and a
// request without timeout(...) waits for the response headers forever. A request builder made elsewhere (copied from
// a request, a project helper handed the timeout) keeps the timeout it was given there.
import type { Node } from 'web-tree-sitter';
import { assignedValues, builderCalls, initializerOf } from '../flow/configuration';
import type { FileModel } from '../model';
import { callsOwnCode, type Call } from '../syntax/dialect';
import { certain, possible } from './certainty';
import { builderOrigin, receiverText } from './java-timeouts';
import { unmet, type TimeoutProblem } from './timeout-requirements';

export function javaHttpClient(call: Call, model: FileModel): TimeoutProblem | undefined {
  if (call.kind !== 'call') return undefined;
  const fix = 'Fix: HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()';
  // A client without a connect timeout waits for the operating system on a connect, not forever: strict profile.
  const connectOnly = (basis: string) => possible(`${basis}; only the connect is unbounded, and the operating system bounds it (minutes)`);
  if (call.name === 'newHttpClient' && model.javaTypes.refersTo(receiverText(call, model), 'java.net.http.HttpClient')) {
    return {
      node: call.node,
      api: 'java.net.http.HttpClient',
      certainty: connectOnly('java.net.http.HttpClient.newHttpClient(), resolved from the imports'),
      message: `HttpClient.newHttpClient() has no connect timeout: connecting to a host that drops packets waits for the operating system (minutes). ${fix}`,
    };
  }
  if (call.name !== 'build') return undefined;
  const type = model.javaTypes.typeOf(call.node, model.functionOf(call.node)) ?? '';
  if (type === 'java.net.http.HttpClient') {
    if (unmet([{ label: 'connect timeout', setters: /^connectTimeout$/ }], builderCalls(call, model), model).length === 0) return undefined;
    return {
      node: call.node,
      api: 'java.net.http.HttpClient',
      certainty: connectOnly('builds a java.net.http.HttpClient'),
      message: `HttpClient is built without connectTimeout(...): connecting to a host that drops packets waits for the operating system (minutes). ${fix}`,
    };
  }
  if (type === 'java.net.http.HttpRequest') {
    // A builder copied from a request or another builder (`HttpRequest.newBuilder(request, filter)`, `builder.copy()`)
    // keeps the timeout it was given there.
    const origin = builderOrigin(call, model);
    if ((origin.name === 'newBuilder' && origin.args.length === 2) || origin.name === 'copy') return undefined;
    if (builderFromElsewhere(origin, model)) return undefined;
    if (unmet([{ label: 'timeout', setters: /^timeout$/ }], builderCalls(call, model), model).length === 0) return undefined;
    if (copiesTimeoutInto(call, model) || sentByProjectClient(call.node, model)) return undefined;
    const built = certain('builds a java.net.http.HttpRequest');
    return {
      node: call.node,
      api: 'java.net.http.HttpRequest',
      certainty: sentOnlyAsync(call.node, model) ? possible(`${built.basis}; sent only with sendAsync(), whose future nothing here waits on`) : built,
      message:
        'HttpRequest has no timeout(...): send() waits for the response headers forever when the server stalls. ' +
        'Fix: HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build()',
    };
  }
  return undefined;
}

/**
 * True when the request built at `built` goes only to `sendAsync(...)` and no thread here waits for the answer: not
 * joined on the spot, and not sent by a client a try-with-resources closes (Java 21's close() waits for every
 * exchange). langchain4j's MCP transport hands the future to a client that bounds its own waits.
 */
function sentOnlyAsync(built: Node, model: FileModel): boolean {
  const uses = localUsesOf(built, model) ?? [];
  return uses.length > 0 && uses.every((use) => {
    const sent = model.dialect.context(use);
    if (sent.kind !== 'argument' || sent.call.name !== 'sendAsync') return false;
    const then = model.dialect.context(sent.call.node);
    if (then.kind === 'receiver' && /^(get|join)$/.test(then.call.name) && then.call.args.length === 0) return false;
    return !mayBeClosedAround(sent.call.receiver, sent.call.node, model);
  });
}

/**
 * True when the request built at `built` is only ever handed to the `send`/`sendAsync` of a project class, not to a
 * JDK HttpClient: that client decides the timeout (Signal's FaultTolerantHttpClient gives a request without one its
 * default), and is judged where it sends. Followed through a local, a field, and a same-file helper that returns it.
 */
function sentByProjectClient(built: Node, model: FileModel): boolean {
  const uses = usesOf(built, model, 0);
  return uses.length > 0 && uses.every((use) => {
    const sent = model.dialect.context(use);
    if (sent.kind !== 'argument' || !/^send(Async)?$/.test(sent.call.name) || !sent.call.receiver) return false;
    const type = model.javaTypes.typeOf(sent.call.receiver, model.functionOf(use));
    return type !== undefined && !/^(java\.net\.http\.)?HttpClient$/.test(type) && !type.startsWith('java.');
  });
}

/** Where `value` is used within its function: itself, given as an argument, or the later reads of the local holding it; undefined otherwise. */
function localUsesOf(value: Node, model: FileModel): Node[] | undefined {
  const bound = model.dialect.context(value);
  if (bound.kind === 'argument') return [value];
  if (bound.kind === 'bind' && bound.binding !== 'field') {
    return model.references(model.functionOf(value) ?? model.root, bound.name).filter((ref) => ref.startIndex > value.endIndex);
  }
  return undefined;
}

/** Where the value of `value` is used: within its function (localUsesOf), or the reads of the field it is stored in, or the calls of the helper returning it. */
function usesOf(value: Node, model: FileModel, depth: number): Node[] {
  const local = localUsesOf(value, model);
  if (local) return local;
  const bound = model.dialect.context(value);
  const field = bound.kind === 'bind' ? bound.name : bound.kind === 'store' && /^this\.\w+$/.test(bound.target.text) ? bound.target.text.slice(5) : undefined;
  if (field !== undefined) {
    const reads: Node[] = [];
    for (const id of model.root.descendantsOfType('identifier')) {
      if (id?.text !== field || id.parent?.type === 'variable_declarator') continue;
      const access = id.parent?.type === 'field_access' && id.parent.childForFieldName('field')?.equals(id) ? id.parent : id;
      const written = access.parent?.type === 'assignment_expression' && access.parent.childForFieldName('left')?.equals(access);
      if (!written) reads.push(access);
    }
    return reads;
  }
  if (bound.kind === 'return' && depth === 0) {
    const name = model.functionOf(value)?.childForFieldName('name')?.text;
    if (!name) return [];
    const calls = model.callsNamed(name).filter(({ call }) => call.kind === 'call' && !call.receiver);
    return calls.flatMap(({ node }) => usesOf(node, model, depth + 1));
  }
  return [];
}

/**
 * True when `client` may be closed (and so waited for) around `at`: a resource of a try-with-resources there, or a
 * parameter, which the caller's may close (syncope's pushToWA hands its try-with-resources client to the senders).
 */
function mayBeClosedAround(client: Node | null, at: Node, model: FileModel): boolean {
  if (client?.type !== 'identifier') return false;
  const fn = model.functionOf(at);
  if (fn && model.dialect.parameterNames(fn).includes(client.text)) return true;
  const declares = new RegExp(`\\b${client.text}\\s*=`);
  for (let n = at.parent; n; n = n.parent) {
    if (n.type === 'try_with_resources_statement' && declares.test(n.childForFieldName('resources')?.text ?? '')) return true;
  }
  return false;
}

/**
 * A request builder made elsewhere, whose maker sets or copies the timeout: one handed in as a parameter
 * (opentelemetry's JdkHttpSender gets it from its caller, which set it), or one a same-file helper returns after
 * copying a request's timeout (`original.timeout().ifPresent(builder::timeout)`: micrometer's decorating client).
 */
function builderFromElsewhere(origin: Call, model: FileModel): boolean {
  const holder = origin.receiver ? model.dialect.unwrap(origin.receiver) : null;
  if (holder?.type === 'identifier') {
    const fn = model.functionOf(origin.node);
    if (fn && !initializerOf(holder.text, holder, model)) {
      if (model.dialect.parameterNames(fn).includes(holder.text)) return true;
      // `Builder b; switch (mode) { case GET: b = get(); ... }`: made wherever each assignment's call makes it.
      const made = assignedValues(holder.text, fn).map((value) => model.dialect.call(model.dialect.unwrap(value)));
      if (made.length > 0 && made.every((c) => !!c && c.kind === 'call' && madeWithTimeout(c, model))) return true;
    }
  }
  return origin.kind === 'call' && madeWithTimeout(origin, model);
}

/** `request.timeout().ifPresent(builder::timeout)` before `builder.build()`: the builder gets the request's timeout. */
function copiesTimeoutInto(built: Call, model: FileModel): boolean {
  const holder = built.receiver ? model.dialect.unwrap(built.receiver) : null;
  if (holder?.type !== 'identifier') return false;
  return new RegExp(`(?<![\\w$])${holder.text.replace(/\$/g, '\\$')}\\s*::\\s*timeout\\b`).test((model.functionOf(built.node) ?? model.root).text);
}

/** An argument named for a timeout (`readTimeout`, `this.timeout`), handed to the helper that makes a builder. */
const TIMEOUT_ARGUMENT = /[(,]\s*(?:this\s*\.\s*)?\w*[tT]imeout\w*\s*[,)]/;

/**
 * A request builder the project makes elsewhere, with the timeout it is given: a helper of this file that sets one
 * (or hands one on, `HttpLib.requestBuilder(url, headers, readTimeout, unit)`), any helper handed a timeout or the
 * request it copies (`HttpLib.createBuilder(request)` keeps the request's timeout; Jena's SPARQL clients).
 */
function madeWithTimeout(c: Call, model: FileModel): boolean {
  if (c.name === 'newBuilder' || c.name === 'copy') return false;
  const fn = model.functionOf(c.node);
  const copied = c.args.some((arg) => model.javaTypes.typeOf(arg, fn) === 'java.net.http.HttpRequest');
  if (copied || TIMEOUT_ARGUMENT.test(`(${c.args.map((a) => a.text).join(',')})`)) return true;
  if (!callsOwnCode(c)) return false;
  const helpers = model.methodsNamed(c.name);
  return helpers.length > 0 && helpers.every((helper) => /\.timeout\s*\(|::timeout\b/.test(helper.text) || TIMEOUT_ARGUMENT.test(helper.text));
}
