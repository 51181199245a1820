// Resources held in fields: which fields of a class hold a socket, channel, selector or client, and everything the
// class does with them (where it opens, closes, hands out or overwrites each one). The per-method analysis
// (ownership.ts) stops where a resource is stored in a field; field-leaks.ts judges the class as a whole from this.
import type { Node } from 'web-tree-sitter';
import { acquisitionsAt } from '../catalog/acquisitions';
import { certain, type Certainty } from '../catalog/certainty';
import { JAVA, JS, type ResourceKind } from '../catalog/resources';
import { insideSpans, mergeSpans, type FileModel } from '../model';
import { contains, type Call, callsOwnCode } from '../syntax/dialect';
import { helperAcquisitions } from './helpers';
import { OWNER_METHOD } from './ownership';
import { isLoggingCall } from './safe-calls';

/** Java field types that hold a descriptor for as long as the object keeps them, by fully qualified name. */
const JAVA_FIELD_KINDS: ReadonlyMap<string, ResourceKind> = new Map([
  ['java.net.Socket', JAVA.socket],
  ['javax.net.ssl.SSLSocket', JAVA.sslSocket],
  ['java.net.ServerSocket', JAVA.serverSocket],
  ['javax.net.ssl.SSLServerSocket', JAVA.serverSocket],
  ['java.net.DatagramSocket', JAVA.datagramSocket],
  ['java.nio.channels.SocketChannel', JAVA.socketChannel],
  ['java.nio.channels.ServerSocketChannel', JAVA.serverSocketChannel],
  ['java.nio.channels.DatagramChannel', JAVA.datagramChannel],
  ['java.nio.channels.AsynchronousSocketChannel', JAVA.asyncSocketChannel],
  ['java.nio.channels.AsynchronousServerSocketChannel', JAVA.asyncServerSocketChannel],
  ['java.nio.channels.Selector', JAVA.selector],
  ['org.apache.http.impl.client.CloseableHttpClient', JAVA.apacheClient4],
  ['org.apache.hc.client5.http.impl.classic.CloseableHttpClient', JAVA.apacheClient5],
]);

/** The simple names of JAVA_FIELD_KINDS: the cheap textual test of a class before anything is resolved. */
const JAVA_FIELD_TYPE = /\b(Socket|SSLSocket|ServerSocket|SSLServerSocket|DatagramSocket|SocketChannel|ServerSocketChannel|DatagramChannel|AsynchronousSocketChannel|AsynchronousServerSocketChannel|Selector|CloseableHttpClient)\s+\w+\s*[;=,]/;

/** JavaScript resources a field keeps open: sockets and WebSockets (responses and requests are short-lived). */
const JS_FIELD_KINDS: ReadonlySet<ResourceKind> = new Set([JS.socket, JS.tlsSocket, JS.webSocket]);

/** `this.x = ...connect(...)`, `this.ws = new WebSocket(...)`: the cheap textual test of a JavaScript class. */
const JS_FIELD_ASSIGNMENT = /this\.#?[\w$]+\s*=\s*(await\s+)?[^;\n]*\b(connect|createConnection|Socket|WebSocket|TLSSocket)\s*\(/;

/** A Java class header of a worker: its run() owns what it was given. */
export const WORKER_HEADER = /\bimplements\b[^{]*\bRunnable\b|\bextends\s+Thread\b/;

/** Methods that end an object's life: the place a field's resource is expected to be closed. */
export const TEARDOWN_METHOD =
  /^(close|stop|shutdown|destroy|dispose|disconnect|terminate|cleanup|cleanUp|halt|quit|tearDown|teardown)(Now|Gracefully|Quietly|Internal|All|Connection|Connections|Client|Server|Socket|Service|Listener)?$/;

/** A helper that closes what it is given: `closeQuietly(sock)`, `IOUtils.closeQuietly(sock)`, `safeCloseSocket(s)`. */
const CLOSE_HELPER = /^(close|closeQuietly|closeSilently|safeClose|quietClose)\w*$/i;
/** Calls on a field's resource, beyond its kind's own, that release it. */
const RELEASE_CALL = /^(close|closeQuietly|shutdown|shutdownNow|destroy|destroySoon|disconnect|terminate|end|resetAndDestroy)$/;

/** Node types of classes whose members are judged together. */
const CLASS_TYPES = ['class_declaration', 'class', 'abstract_class_declaration', 'enum_declaration', 'record_declaration'];

export interface ResourceField {
  readonly name: string;
  readonly kind: ResourceKind;
  readonly certainty: Certainty;
  /** The acquisitions assigned to the field, in source order (the field's initializer included). */
  readonly opened: readonly Node[];
  /** Constructor parameters stored in the field (a worker given its socket). */
  readonly fromParameter: readonly { readonly constructor: Node; readonly index: number }[];
  /** Every use of the field, classified. */
  readonly uses: readonly FieldUse[];
  /** Names of locals and fields that hold the field's streams, wrappers or an alias: closing one closes it. */
  readonly derived: ReadonlySet<string>;
}

export type FieldUse =
  | { readonly type: 'release'; readonly node: Node; readonly call: Call }
  | { readonly type: 'assign'; readonly node: Node; readonly value: Node | null }
  /** Handed to an owner: stored elsewhere, put in a collection, given to a constructor or an owner method. */
  | { readonly type: 'escape'; readonly node: Node }
  /** Given to a method of another object, which may or may not keep it. */
  | { readonly type: 'handed'; readonly node: Node; readonly to: string }
  | { readonly type: 'returned'; readonly node: Node }
  | { readonly type: 'alias'; readonly node: Node; readonly local: string }
  | { readonly type: 'use'; readonly node: Node };

export interface ClassView {
  readonly node: Node;
  /** Methods and constructors declared in the class itself (not in nested classes). */
  readonly methods: readonly Node[];
  readonly fields: readonly ResourceField[];
  /** Java: implements Runnable or extends Thread. */
  readonly worker: boolean;
}

/** Decorators that close what they wrap: a field's stream wrapped in one is closed with it. */
const JAVA_DECORATOR = /(Stream|Reader|Writer|Scanner|Channel)$/;

/**
 * Whether a class may hold a resource field at all, by its text: the classes the field pass looks at, and the ones
 * the incremental analyzer re-judges as a whole when one of their methods changes (so this test must stay a superset
 * of what the pass reports on).
 */
export function mayHoldResourceField(classNode: Node, java: boolean): boolean {
  return (java ? JAVA_FIELD_TYPE : JS_FIELD_ASSIGNMENT).test(classNode.text);
}

const classesCache = new WeakMap<FileModel, Node[]>();

/**
 * The classes of the file that may hold a resource field (see mayHoldResourceField), found once per analysis: the
 * incremental analyzer's keys and the rule both ask. Java's are known from the file's structure; JavaScript classes
 * may sit anywhere, but only files that assign a socket to `this.x` are searched.
 */
export function classesWithResourceFields(model: FileModel): Node[] {
  let classes = classesCache.get(model);
  if (classes) return classes;
  if (!(model.isJava ? JAVA_FIELD_TYPE : JS_FIELD_ASSIGNMENT).test(model.file.text)) classes = [];
  else {
    const candidates = model.isJava ? model.structure().types : model.root.descendantsOfType(CLASS_TYPES);
    classes = candidates.filter((n): n is Node => !!n && mayHoldResourceField(n, model.isJava));
  }
  classesCache.set(model, classes);
  return classes;
}

const views = new WeakMap<FileModel, Map<number, ClassView>>();
/** The parts of a class its view reads (see classView), by class, as insideSpans searches them. */
const readScopes = new WeakMap<FileModel, Map<number, { start: number; end: number }[]>>();

/**
 * What the class does with its resource fields. `within` limits the reading to some of its methods: enough for the
 * judgements made inside one method, and what keeps a keystroke in a 5,000-line class from walking all of it.
 */
export function classView(classNode: Node, model: FileModel, within?: readonly Node[]): ClassView {
  let byId = views.get(model);
  if (!byId) views.set(model, (byId = new Map()));
  let view = byId.get(classNode.id);
  if (!view) {
    if (within) {
      let scopes = readScopes.get(model);
      if (!scopes) readScopes.set(model, (scopes = new Map()));
      scopes.set(classNode.id, mergeSpans(within));
    }
    byId.set(classNode.id, (view = buildView(classNode, model)));
  }
  return view;
}

function buildView(classNode: Node, model: FileModel): ClassView {
  const body = classNode.childForFieldName('body');
  // A Java class's fields and methods were listed by the structure walk: not read off the tree again.
  const own = model.isJava ? model.structure().members.get(classNode) : undefined;
  const members = own ? [] : (body?.namedChildren.filter((n): n is Node => !!n) ?? []);
  const methods = own ? own.callables : members.filter((m) => /^(method_declaration|constructor_declaration|method_definition)$/.test(m.type));
  const candidates = model.isJava ? javaFieldKinds(own ? own.fields : members, model) : jsFieldKinds(classNode, model);
  const fields: ResourceField[] = [];
  for (const [name, { kind, certainty, initializer }] of candidates) {
    const field = describeField(classNode, methods, name, kind, certainty, initializer, model);
    if (field) fields.push(field);
  }
  const header = body ? model.file.text.slice(classNode.startIndex, body.startIndex) : '';
  const worker = model.isJava && WORKER_HEADER.test(header);
  return { node: classNode, methods, fields, worker };
}

interface Candidate {
  readonly kind: ResourceKind;
  readonly certainty: Certainty;
  readonly initializer: Node | null;
}

/** Java fields whose declared type is a socket, channel, selector or closeable client, resolved from the imports. */
function javaFieldKinds(members: readonly Node[], model: FileModel): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  for (const member of members) {
    if (member.type !== 'field_declaration') continue;
    const type = member.childForFieldName('type')?.text;
    if (!type) continue;
    const fqn = model.javaTypes.qualify(type);
    const kind = JAVA_FIELD_KINDS.get(fqn);
    if (!kind) continue;
    for (const declarator of member.childrenForFieldName('declarator')) {
      const name = declarator?.childForFieldName('name')?.text;
      if (name) out.set(name, { kind, certainty: certain(`${fqn}, resolved from the imports`), initializer: declarator?.childForFieldName('value') ?? null });
    }
  }
  return out;
}

/** JavaScript fields (`this.x`) assigned a socket or WebSocket the catalogue recognises. */
function jsFieldKinds(classNode: Node, model: FileModel): Map<string, Candidate> {
  const out = new Map<string, Candidate>();
  for (const assignment of classNode.descendantsOfType('assignment_expression')) {
    const name = assignment && thisMember(assignment.childForFieldName('left'));
    const right = assignment?.childForFieldName('right');
    if (!name || !right || out.has(name)) continue;
    const call = model.dialect.call(model.dialect.unwrap(right));
    if (!call) continue;
    const acquisition = acquisitionsAt(call, model).find((a) => JS_FIELD_KINDS.has(a.kind) && !a.callback);
    if (acquisition) out.set(name, { kind: acquisition.kind, certainty: acquisition.certainty, initializer: null });
  }
  return out;
}

/** `this.x` (or `this.#x`): the field's name; undefined for anything else. */
function thisMember(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'member_expression' || node.childForFieldName('object')?.type !== 'this') return undefined;
  return node.childForFieldName('property')?.text;
}

const NAME_TYPES = new Set(['identifier', 'property_identifier', 'private_property_identifier']);
const nameIndexes = new WeakMap<FileModel, Map<number, Map<string, Node[]>>>();

/**
 * The name nodes `name` in a class (in the parts of it read now), found where the name occurs in its text: the few
 * names the field pass asks for occur a few hundred times at most, while gathering every name of a big class cost
 * a third of its analysis.
 */
function namesIn(classNode: Node, name: string, model: FileModel): Node[] {
  let byClass = nameIndexes.get(model);
  if (!byClass) nameIndexes.set(model, (byClass = new Map()));
  let byName = byClass.get(classNode.id);
  if (!byName) byClass.set(classNode.id, (byName = new Map()));
  let found = byName.get(name);
  if (found) return found;
  // One search of the class's text, then kept to the parts read now: a search per part would scan on to the next
  // occurrence each time, past the part's end (thousands of methods times the rest of the file).
  const spans = readScopes.get(model)?.get(classNode.id);
  found = model.occurrences(name, classNode).filter((node) => NAME_TYPES.has(node.type) && (!spans || insideSpans(node.startIndex, spans)));
  byName.set(name, found);
  return found;
}

/** The expressions in `classNode` that refer to field `name`: `name` (Java, when no local shadows it) or `this.name`. */
export function fieldReferences(classNode: Node, name: string, model: FileModel): Node[] {
  const out: Node[] = [];
  for (const node of namesIn(classNode, name, model)) {
    const parent = node.parent;
    if (model.isJava) {
      if (node.type !== 'identifier') continue;
      if (parent?.type === 'field_access') {
        if (parent.childForFieldName('object')?.type === 'this' && parent.childForFieldName('field')?.equals(node)) out.push(parent);
        continue;
      }
      if (!model.dialect.isReference(node)) continue;
      const fn = model.functionOf(node);
      if (!fn || !shadowed(fn, name, model)) out.push(node);
    } else if (parent && thisMember(parent) === name && parent.childForFieldName('property')?.equals(node)) {
      out.push(parent);
    }
  }
  return out;
}

/** True when a local or parameter of `fn`, or of a function around it, is named `name`. */
export function shadowed(fn: Node, name: string, model: FileModel): boolean {
  for (let f: Node | null = fn; f; f = model.functionOf(f)) {
    if (model.localNames(f).has(name)) return true;
  }
  return false;
}

function describeField(
  classNode: Node,
  methods: readonly Node[],
  name: string,
  kind: ResourceKind,
  certainty: Certainty,
  initializer: Node | null,
  model: FileModel,
): ResourceField | undefined {
  const dialect = model.dialect;
  const opened: Node[] = [];
  if (initializer && isAcquisition(initializer, kind, model)) opened.push(initializer);
  const fromParameter: { constructor: Node; index: number }[] = [];
  const uses: FieldUse[] = [];
  const derived = new Set<string>();
  for (const ref of fieldReferences(classNode, name, model)) {
    const parent = ref.parent;
    if (parent?.type === 'assignment_expression' && parent.childForFieldName('left')?.equals(ref)) {
      const value = parent.childForFieldName('right');
      uses.push({ type: 'assign', node: parent, value });
      if (!value) continue;
      if (isAcquisition(value, kind, model)) opened.push(dialect.unwrap(value));
      const fn = model.functionOf(parent);
      const unwrapped = dialect.unwrap(value);
      if (fn && unwrapped.type === 'identifier' && /constructor/.test(fn.type) && methods.some((m) => m.equals(fn))) {
        const index = dialect.parameterNames(fn).indexOf(unwrapped.text);
        if (index >= 0) fromParameter.push({ constructor: fn, index });
      }
      continue;
    }
    uses.push(classify(ref, kind, derived, model));
  }
  // A Java field is one by its declared type; a JavaScript one by what some method assigns to it.
  if (!model.isJava && opened.length === 0) return undefined;
  // Names holding the field's streams or wrappers are closed for it; follow them to a fixed point (a wrapper of a
  // stream of the field).
  let grown = true;
  while (grown) {
    grown = false;
    for (const holder of [...derived]) {
      for (const ref of fieldReferences(classNode, holder, model).concat(localRefs(classNode, holder, model))) {
        const held = holderOf(ref, model);
        if (held && held !== name && !derived.has(held)) {
          derived.add(held);
          grown = true;
        }
      }
    }
  }
  opened.sort((a, b) => a.startIndex - b.startIndex);
  return { name, kind, certainty, opened, fromParameter, uses, derived };
}

/** References to a local variable `name` anywhere in the class (locals that hold a stream of the field). */
function localRefs(classNode: Node, name: string, model: FileModel): Node[] {
  return namesIn(classNode, name, model).filter((node) => node.type === 'identifier' && model.dialect.isReference(node));
}

function isAcquisition(value: Node, kind: ResourceKind, model: FileModel): boolean {
  const call = model.dialect.call(model.dialect.unwrap(value));
  if (!call) return false;
  const found = [...acquisitionsAt(call, model), ...helperAcquisitions(call, model)];
  return found.some((a) => !a.callback && (a.kind === kind || a.kind.resource === kind.resource || sameFamily(a.kind, kind)));
}

/** `new Socket()` into an `SSLSocket` field, `SSLSocketFactory.createSocket` into a `Socket` field: one family. */
function sameFamily(a: ResourceKind, b: ResourceKind): boolean {
  const socket = (k: ResourceKind) => k === JAVA.socket || k === JAVA.sslSocket || k === JS.socket || k === JS.tlsSocket;
  return socket(a) && socket(b);
}

/**
 * The name (a local or a field) that a value derived from `ref` ends up in: `in = new BufferedReader(new
 * InputStreamReader(sock.getInputStream()))` gives `in`; `Socket s = sock` gives `s`.
 */
function holderOf(ref: Node, model: FileModel): string | undefined {
  const dialect = model.dialect;
  let node = ref;
  for (let depth = 0; depth < 8; depth++) {
    const c = dialect.context(node);
    if (c.kind === 'receiver' && /^(getInputStream|getOutputStream|socket|getChannel|channel)$/.test(c.call.name)) {
      node = c.call.node;
      continue;
    }
    if (c.kind === 'argument' && c.call.kind === 'new' && JAVA_DECORATOR.test(c.call.name)) {
      node = c.call.node;
      continue;
    }
    if (c.kind === 'bind' && node !== ref) return c.name;
    if (c.kind === 'store' && node !== ref) return thisMember(c.target) ?? fieldAccessName(c.target);
    return undefined;
  }
  return undefined;
}

function fieldAccessName(target: Node): string | undefined {
  if (target.type === 'field_access' && target.childForFieldName('object')?.type === 'this') return target.childForFieldName('field')?.text;
  return undefined;
}

/** What one reference to the field does with the resource it holds. */
function classify(ref: Node, kind: ResourceKind, derived: Set<string>, model: FileModel): FieldUse {
  const dialect = model.dialect;
  const c = dialect.context(ref);
  switch (c.kind) {
    case 'receiver': {
      if (kind.methods.has(c.call.name) || RELEASE_CALL.test(c.call.name)) return { type: 'release', node: ref, call: c.call };
      // `sock.getOutputStream()`, `channel.socket()`: whoever closes what it gives closes the field too.
      const held = holderOf(ref, model);
      if (held) derived.add(held);
      if (/^(socket|getChannel|channel)$/.test(c.call.name)) {
        const outer = dialect.context(c.call.node);
        if (outer.kind === 'receiver' && RELEASE_CALL.test(outer.call.name)) return { type: 'release', node: ref, call: outer.call };
      }
      return { type: 'use', node: ref };
    }
    case 'argument': {
      const call = c.call;
      if (kind.releasedBy?.(call) || CLOSE_HELPER.test(call.name)) {
        return { type: 'release', node: ref, call };
      }
      if (isLoggingCall(call.name, call.receiver?.text)) return { type: 'use', node: ref };
      // `channel.register(selector, ops)`: the selector stays the field's.
      if (call.name === 'register' || /^(equals|valueOf|requireNonNull|format|hash|toString)$/.test(call.name)) return { type: 'use', node: ref };
      if (call.kind === 'new') {
        if (model.isJava && JAVA_DECORATOR.test(call.name)) {
          const held = holderOf(ref, model);
          if (held) derived.add(held);
          return { type: 'use', node: ref };
        }
        return { type: 'escape', node: ref };
      }
      // (`register` was taken above: a selector given to `channel.register(selector, ops)` stays the field's.)
      if (OWNER_METHOD.test(call.name)) return { type: 'escape', node: ref };
      if (callsOwnCode(call)) {
        // A same-file helper: it closes the field when it closes its parameter.
        const helpers = model.methodsNamed(call.name);
        if (helpers.some((h) => closesParameter(h, c.index, model))) return { type: 'release', node: ref, call };
        if (helpers.length > 0) return { type: 'use', node: ref };
      }
      return { type: 'handed', node: ref, to: `${call.receiver ? dialect.unwrap(call.receiver).text.replace(/\s+/g, '') + '.' : ''}${call.name}` };
    }
    case 'try-resource':
      return { type: 'release', node: ref, call: { node: ref, kind: 'call', name: 'close', receiver: ref, typeQualifier: '', args: [] } };
    case 'return':
      return { type: 'returned', node: ref };
    case 'bind':
      if (c.binding === 'resource' || c.binding === 'using') {
        return { type: 'release', node: ref, call: { node: ref, kind: 'call', name: 'close', receiver: ref, typeQualifier: '', args: [] } };
      }
      if (c.binding === 'local') {
        derived.add(c.name);
        return { type: 'alias', node: ref, local: c.name };
      }
      return { type: 'escape', node: ref };
    case 'store':
    case 'element':
    case 'throw':
      return { type: 'escape', node: ref };
    default:
      return { type: 'use', node: ref };
  }
}

/** A same-file method that closes its parameter number `index` (`closeSocket(Socket s) { s.close(); }`). */
function closesParameter(method: Node, index: number, model: FileModel): boolean {
  const param = model.dialect.parameterNames(method)[index];
  const body = model.dialect.functionBody(method);
  if (!param || !body) return false;
  return model.references(body, param).some((ref) => {
    const c = model.dialect.context(ref);
    return (c.kind === 'receiver' && RELEASE_CALL.test(c.call.name)) || (c.kind === 'argument' && /^close\w*$/i.test(c.call.name));
  });
}

/** True when a release of the field, or of a name derived from it, is anywhere inside `scope`. */
export function releasedWithin(scope: Node, field: ResourceField, classNode: Node, model: FileModel): boolean {
  if (field.uses.some((u) => u.type === 'release' && contains(scope, u.node))) return true;
  return [...field.derived].some((name) =>
    fieldReferences(classNode, name, model)
      .concat(localRefs(classNode, name, model))
      .some((ref) => contains(scope, ref) && releasesHolder(ref, model)),
  );
}

/** True when the class closes the field's resource anywhere, directly or through a derived name. */
export function releasedAnywhere(view: ClassView, field: ResourceField, model: FileModel): boolean {
  return releasedWithin(view.node, field, view.node, model);
}

function releasesHolder(ref: Node, model: FileModel): boolean {
  const c = model.dialect.context(ref);
  if (c.kind === 'receiver') return RELEASE_CALL.test(c.call.name);
  if (c.kind === 'argument') return CLOSE_HELPER.test(c.call.name);
  return c.kind === 'try-resource';
}
