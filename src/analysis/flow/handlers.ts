// Request-handling code: where a blocked thread or a call back into the same server costs a worker of the
// server's own pool. Handlers are Servlet methods; Spring MVC/WebFlux, JAX-RS/Jersey, Micronaut and Quarkus
// annotated methods; Jenkins' Stapler `do*` web methods; Netty inbound handlers and Vert.x route handlers; Nest
// decorated methods; Express/Koa/Fastify/Hapi routes. Code is "reached from a handler" when a handler calls it,
// directly or through functions of the same file, or (workspace facts) a handler elsewhere calls its method.
import type { Node } from 'web-tree-sitter';
import type { HandlerCallee, WorkspaceFacts } from '../facts/workspace';
import type { FileModel } from '../model';
import { callsOwnCode } from '../syntax/dialect';

const SPRING_MAPPINGS = /^(RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping|MessageMapping)$/;
/** JAX-RS/Jersey and Quarkus (`@GET`, `@Path`), Micronaut (`@Get`, `@Post`, ...). */
const JAXRS_METHODS = /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Path|Get|Post|Put|Delete|Patch|Head|Options)$/;
const SERVLET_METHODS = /^(doGet|doPost|doPut|doDelete|doHead|doOptions|doPatch|service)$/;
/** Stapler (Jenkins): a public `doXxx` web method takes the request, or is marked as one. */
const STAPLER_METHOD = /^do[A-Z]\w*$/;
const STAPLER_MARKS = /^(RequirePOST|POST|GET|WebMethod|JavaScriptMethod)$/;
const STAPLER_PARAMETERS = /\bStapler(Request|Response)2?\b|@QueryParameter\b|@AncestorInPath\b/;
/** Netty inbound handlers run on the event loop: blocking there stalls every channel of that loop. */
const NETTY_HANDLER_METHODS = /^(channelRead0?|messageReceived|channelActive|userEventTriggered)$/;
const NEST_METHODS = /^(Get|Post|Put|Delete|Patch|All|Head|Options)$/;
const ROUTE_METHODS = /^(get|post|put|delete|patch|all|head|options|use|route|handle)$/;
const ROUTER_RECEIVER = /^(app|router|server|api|routes|route|fastify|koa|web|http|instance|r)$/i;

function annotationNames(method: Node): string[] {
  const modifiers = method.namedChildren.find((c) => c?.type === 'modifiers');
  return (modifiers?.namedChildren ?? [])
    .filter((m): m is Node => !!m && (m.type === 'annotation' || m.type === 'marker_annotation'))
    .map((m) => (m.childForFieldName('name')?.text ?? '').replace(/^.*\./, ''));
}

function decoratorNames(method: Node): string[] {
  const names: string[] = [];
  for (const child of method.namedChildren) {
    if (child?.type !== 'decorator') continue;
    const expr = child.namedChildren[0];
    const callee = expr?.type === 'call_expression' ? expr.childForFieldName('function') : expr;
    if (callee) names.push(callee.text.replace(/^.*\./, ''));
  }
  // TypeScript puts a method's decorators before it in the class body.
  for (let prev = method.previousNamedSibling; prev?.type === 'decorator'; prev = prev.previousNamedSibling) {
    const expr = prev.namedChildren[0];
    const callee = expr?.type === 'call_expression' ? expr.childForFieldName('function') : expr;
    if (callee) names.push(callee.text.replace(/^.*\./, ''));
  }
  return names;
}

function isJavaHandler(method: Node, model: FileModel): boolean {
  if (method.type === 'lambda_expression') return isVertxHandler(method, model);
  if (method.type !== 'method_declaration') return false;
  const annotations = annotationNames(method);
  if (annotations.some((a) => SPRING_MAPPINGS.test(a) || JAXRS_METHODS.test(a))) return true;
  const name = method.childForFieldName('name')?.text ?? '';
  const parameters = method.childForFieldName('parameters')?.text ?? '';
  if (SERVLET_METHODS.test(name)) return /HttpServletRequest|ServletRequest/.test(parameters);
  if (STAPLER_METHOD.test(name)) return annotations.some((a) => STAPLER_MARKS.test(a)) || STAPLER_PARAMETERS.test(parameters);
  return NETTY_HANDLER_METHODS.test(name) && /ChannelHandlerContext/.test(parameters);
}

/** `router.get("/x").handler(ctx -> ...)`, `router.route(...).blockingHandler(...)`: a Vert.x route handler. */
function isVertxHandler(lambda: Node, model: FileModel): boolean {
  const c = model.dialect.context(lambda);
  return c.kind === 'argument' && /^(handler|respond)$/.test(c.call.name) && !!c.call.receiver && /\broute\w*\(|\.(get|post|put|delete|patch)\(/.test(c.call.receiver.text);
}

function isJsHandler(fn: Node, model: FileModel): boolean {
  if (fn.type === 'method_definition') return decoratorNames(fn).some((d) => NEST_METHODS.test(d));
  const c = model.dialect.context(fn);
  // `handler: async (req, reply) => ...` inside `fastify.route({ ... })`
  if (c.kind === 'element' && fn.parent?.type === 'pair' && fn.parent.childForFieldName('key')?.text === 'handler') return true;
  if (c.kind !== 'argument') return false;
  const { call } = c;
  if (call.kind === 'call' && call.name === 'createServer') return true;
  // Hapi: `server.route({ method, path, handler })` is the `element` case above; Koa middleware: `app.use(async (ctx) => ...)`.
  if (!ROUTE_METHODS.test(call.name) || !call.receiver) return false;
  const receiver = model.dialect.unwrap(call.receiver);
  const firstIsPath = call.args.length > 1 && /^['"`]\//.test(call.args[0].text);
  return firstIsPath || (ROUTER_RECEIVER.test(receiver.text) && call.args.length >= 1);
}

/** True when `fn` itself handles requests. */
export function isRequestHandler(fn: Node, model: FileModel): boolean {
  return model.isJava ? isJavaHandler(fn, model) : isJsHandler(fn, model);
}

const reachCache = new WeakMap<FileModel, Map<number, Node | null>>();

function functionName(fn: Node): string | undefined {
  const own = fn.childForFieldName('name')?.text;
  if (own) return own;
  // const fetchRates = async () => ...
  const parent = fn.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  return undefined;
}

const calledCache = new Map<string, Set<string>>();

/**
 * Names of the same-file functions called from inside `fn` (calls in nested lambdas included, but not in a task or
 * thread body, which runs elsewhere: Red5's MediaBunnyServlet streams on its executor), cached by text.
 */
function calledNames(fn: Node, model: FileModel): Set<string> {
  const key = `${model.dialect.family}\0${fn.text}`;
  let names = calledCache.get(key);
  if (names) return names;
  names = new Set<string>();
  for (const node of fn.descendantsOfType([...model.dialect.callTypes])) {
    const c = node && model.dialect.call(node);
    if (node && c?.kind === 'call' && callsOwnCode(c) && !inTaskOf(node, fn, model)) names.add(c.name);
  }
  if (calledCache.size > 5_000) calledCache.clear();
  calledCache.set(key, names);
  return names;
}

/**
 * The request handler from which `node` is reached: an enclosing function (or a lambda inside it) that is a
 * handler, or a handler that calls the enclosing top-level function through functions of the same file.
 */
export function handlerReaching(node: Node, model: FileModel): Node | null {
  let top: Node | null = null;
  for (let fn = model.functionOf(node); fn; fn = model.functionOf(fn)) {
    if (isRequestHandler(fn, model)) return fn;
    // The body of a thread or a task of its own runs elsewhere, not on the thread that started it (MockServer's
    // stopAsync waits for its channels on a "Stop" thread it makes).
    if (runsOnAnotherThread(fn, model)) return null;
    top = fn;
  }
  if (!top) return null;
  let cache = reachCache.get(model);
  if (!cache) {
    cache = computeReach(model);
    reachCache.set(model, cache);
  }
  return cache.get(top.id) ?? null;
}

/** True when `node` sits in a lambda or anonymous class inside `fn` that runs on another thread. */
function inTaskOf(node: Node, fn: Node, model: FileModel): boolean {
  for (let f = model.functionOf(node); f && !f.equals(fn); f = model.functionOf(f)) if (runsOnAnotherThread(f, model)) return true;
  return false;
}

/** Calls that run a Java lambda or anonymous class on another thread: a new thread, an executor's task. */
const THREAD_STARTER = /^(Thread|newThread|startVirtualThread|ofVirtual|execute|submit|schedule\w*|runAsync|supplyAsync)$/;

export function runsOnAnotherThread(fn: Node, model: FileModel): boolean {
  if (!model.isJava) return false;
  const context = model.dialect.context(fn);
  return context.kind === 'argument' && THREAD_STARTER.test(context.call.name);
}

/** How a handler in another file is named in messages: "SearchController.search (web/SearchController.java:21)". */
export function remoteHandlerLabel(callee: HandlerCallee): string {
  return `${callee.handler}, ${callee.file}:${callee.line}`;
}

/**
 * For every unit (top-level function or method): the handler that reaches it, if any, by a breadth-first walk of
 * the same-file call graph. A route registered inside a unit (`function routes(app) { app.get('/x', (req, res) =>
 * ...) }`) reaches what it calls; the unit's own body runs when the route is registered, not per request.
 */
function computeReach(model: FileModel): Map<number, Node | null> {
  const seeds: Seed<Node>[] = [];
  for (const fn of model.structure().units) {
    if (isRequestHandler(fn, model)) seeds.push({ fn, handler: fn });
    else for (const handler of containedHandlers(fn, model)) seeds.push({ fn: handler, handler, callsOnly: true });
  }
  return spread(model, seeds);
}

/** A unit reached by `handler`; with `callsOnly`, a function whose callees are reached but which is no unit itself. */
interface Seed<T> {
  readonly fn: Node;
  readonly handler: T;
  readonly callsOnly?: boolean;
}

/** Carries what reaches each seed unit to every unit it calls in the same file, breadth first. */
function spread<T>(model: FileModel, seeds: readonly Seed<T>[]): Map<number, T> {
  const byName = new Map<string, Node[]>();
  for (const fn of model.structure().units) {
    const name = functionName(fn);
    if (name) byName.set(name, [...(byName.get(name) ?? []), fn]);
  }
  const reach = new Map<number, T>();
  const queue: Seed<T>[] = [...seeds];
  while (queue.length > 0) {
    const { fn, handler, callsOnly } = queue.shift()!;
    if (!callsOnly) {
      if (reach.has(fn.id)) continue;
      reach.set(fn.id, handler);
    }
    for (const name of calledNames(fn, model)) {
      for (const callee of byName.get(name) ?? []) if (!reach.has(callee.id)) queue.push({ fn: callee, handler });
    }
  }
  return reach;
}

const remoteCache = new WeakMap<FileModel, { facts: WorkspaceFacts; reach: Map<number, HandlerCallee> }>();

/** The class a Java method is declared in, and what it extends or implements: the names callers may know it by. */
function ownerNames(method: Node): string[] {
  for (let n = method.parent; n; n = n.parent) {
    if (!/^(class|enum|record)_declaration$/.test(n.type)) continue;
    const supers = [n.childForFieldName('superclass'), n.childForFieldName('interfaces')]
      .flatMap((c) => c?.descendantsOfType('type_identifier') ?? [])
      .map((t) => t?.text ?? '');
    return [n.childForFieldName('name')?.text ?? '', ...supers].filter(Boolean);
  }
  return [];
}

/**
 * The handler in another file that calls the method `node` is in (`SearchController.search` calling
 * `searchManager.search(...)`), directly or through same-file calls: a workspace fact, for Java.
 */
export function remoteHandlerReaching(node: Node, model: FileModel, facts: WorkspaceFacts): HandlerCallee | undefined {
  if (!model.isJava || facts.handlerCallees.length === 0) return undefined;
  let top: Node | null = null;
  for (let fn = model.functionOf(node); fn; fn = model.functionOf(fn)) {
    if (runsOnAnotherThread(fn, model)) return undefined;
    top = fn;
  }
  if (!top) return undefined;
  let cached = remoteCache.get(model);
  if (!cached || cached.facts !== facts) {
    const seeds: { fn: Node; handler: HandlerCallee }[] = [];
    for (const fn of model.structure().units) {
      const method = fn.childForFieldName('name')?.text;
      if (fn.type !== 'method_declaration' || !method) continue;
      const names = ownerNames(fn);
      const callee = facts.handlerCallees.find((c) => c.method === method && names.includes(c.type) && c.file !== model.file.path && accepts(fn, c.arity));
      if (callee) seeds.push({ fn, handler: callee });
    }
    cached = { facts, reach: spread(model, seeds) };
    remoteCache.set(model, cached);
  }
  return cached.reach.get(top.id);
}

/** True when a call with `arity` arguments can reach the Java method `fn` (an overload takes another number; varargs take more). */
function accepts(fn: Node, arity: number): boolean {
  const params = fn.childForFieldName('parameters')?.namedChildren.filter((p) => p?.type === 'formal_parameter' || p?.type === 'spread_parameter') ?? [];
  return params.at(-1)?.type === 'spread_parameter' ? arity >= params.length - 1 : arity === params.length;
}

/** The JavaScript route callbacks nested in a unit (`function routes(app) { app.get('/x', (req, res) => ...) }`). */
function containedHandlers(unit: Node, model: FileModel): Node[] {
  if (model.isJava || !/\.(get|post|put|delete|patch|all|use|route|handle)\s*\(|createServer/.test(unit.text)) return [];
  return unit.descendantsOfType([...model.dialect.functionTypes]).filter((fn): fn is Node => !!fn && isRequestHandler(fn, model));
}

/** How a handler is named in messages: the method name, or the route it serves (`app.get('/quotes/:symbol')`). */
export function handlerLabel(handler: Node, model: FileModel): string {
  const name = functionName(handler);
  if (name) return name;
  const c = model.dialect.context(handler);
  if (c.kind === 'argument') {
    const receiver = c.call.receiver ? `${model.dialect.unwrap(c.call.receiver).text}.` : '';
    const path = c.call.args[0] && c.call.args[0] !== handler ? c.call.args[0].text : '';
    return `${receiver}${c.call.name}(${path}) handler`;
  }
  return 'a request handler';
}
