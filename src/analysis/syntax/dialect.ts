// The language-neutral view of a syntax tree that rules are written against. Java and the JavaScript family
// spell calls, declarations and statements differently; each dialect maps its own node types onto these shapes so
// that resource tracking, timeout checks and URL resolution exist once.
import type { Node, TreeCursor } from 'web-tree-sitter';

export type Family = 'java' | 'js';

/**
 * How deep the recursive helpers follow nesting (statements in statements, wrappers around wrappers, classes in
 * classes) before judging what is below as a whole. Hand-written code stays far below; generated code can nest
 * thousands deep and would overflow the stack.
 */
export const MAX_NESTING = 200;

/** A method/function call or a construction (`new T(...)`). */
export interface Call {
  readonly node: Node;
  readonly kind: 'call' | 'new';
  /** Method or function name; for constructions the simple name of the constructed type. */
  readonly name: string;
  /** Receiver of a method call (`a.b` in `a.b.c()`); null for bare calls and for constructions. */
  readonly receiver: Node | null;
  /** For constructions, what qualifies the type (`net` in `new net.Socket()`); '' otherwise. */
  readonly typeQualifier: string;
  readonly args: readonly Node[];
}

/** Classes a call may name itself by: Java's and JavaScript's class declarations. */
const CLASS_TYPES = new Set(['class_declaration', 'enum_declaration', 'class', 'abstract_class_declaration']);

/**
 * True for a call of the file's own code: a bare `helper(x)`, `this.helper(x)`, or `Zip.copy(x)` made inside class
 * `Zip` (a static helper called by its class's name, as lamp-cloud's ZipUtils does).
 */
export function callsOwnCode(call: Call): boolean {
  const receiver = call.receiver;
  if (!receiver || receiver.type === 'this') return true;
  // Class names are capitalised: most receivers (`conn`, `client`) are ruled out before climbing the tree.
  if (receiver.type !== 'identifier' || !/^[A-Z]/.test(receiver.text)) return false;
  for (let n = call.node.parent; n; n = n.parent) {
    if (CLASS_TYPES.has(n.type) && n.childForFieldName('name')?.text === receiver.text) return true;
  }
  return false;
}

/**
 * A Call whose arguments are read from the tree on first use: most calls are dismissed by name before anyone looks.
 * (A literal, not a spread: V8 builds this shape fast, and it is built for every call of every file.)
 */
export function lazyArgs(
  node: Node,
  kind: Call['kind'],
  name: string,
  receiver: Node | null,
  typeQualifier: string,
  readArgs: (node: Node) => Node[],
): Call {
  let args: readonly Node[] | undefined;
  return {
    node,
    kind,
    name,
    receiver,
    typeQualifier,
    get args() {
      args ??= readArgs(node);
      return args;
    },
  };
}

/** The statement shapes control-flow reasoning needs; everything else is `simple`. */
export type Statement =
  | { readonly kind: 'block'; readonly statements: readonly Node[] }
  | { readonly kind: 'if'; readonly condition: Node; readonly consequence: Node; readonly alternative: Node | null }
  | {
      readonly kind: 'try';
      readonly resources: readonly Node[];
      readonly body: Node;
      readonly catches: readonly Node[];
      readonly finalizer: Node | null;
    }
  | { readonly kind: 'loop'; readonly body: Node | null; readonly runsAtLeastOnce: boolean }
  | {
      readonly kind: 'switch';
      /** What is switched on (`switch (code)`), when the grammar names it. */
      readonly subject?: Node | null;
      readonly cases: readonly (readonly Node[])[];
      /** Each case's values as written (`304`, `HttpStatus.SC_NOT_MODIFIED`); empty for `default`. */
      readonly labels?: readonly (readonly string[])[];
      readonly hasDefault: boolean;
    }
  | { readonly kind: 'exit'; readonly exit: 'return' | 'throw'; readonly value: Node | null }
  | { readonly kind: 'nested'; readonly body: Node }
  | { readonly kind: 'simple' };

/** How a variable receives a value. */
export type BindingKind =
  /** A local variable declaration or a plain assignment to a name. */
  | 'local'
  /** A Java try-with-resources resource: closed automatically. */
  | 'resource'
  /** A JS/TS `using` / `await using` declaration: disposed automatically. */
  | 'using'
  /** A Java local annotated with Lombok's `@Cleanup`: closed automatically. */
  | 'cleanup'
  /** A class field declaration. */
  | 'field';

/** Where the value of an expression goes: the question every ownership rule asks. */
export type ValueContext =
  | {
      readonly kind: 'bind';
      readonly binding: BindingKind;
      readonly name: string;
      readonly nameNode: Node;
      /** The declared type as written (`CloseableHttpResponse`), when there is one. */
      readonly typeText: string | null;
      /** True when this is an assignment (`x = ...`) rather than a declaration. */
      readonly isAssignment: boolean;
    }
  /** Destructured into names: `const { body } = ...`. */
  | { readonly kind: 'destructure'; readonly pattern: Node; readonly properties: ReadonlyMap<string, Node>; readonly hasRest: boolean }
  /** Stored in a member: `this.x = v`, `obj.x = v`, `module.exports = v`. */
  | { readonly kind: 'store'; readonly target: Node }
  | { readonly kind: 'return' }
  | { readonly kind: 'throw' }
  | { readonly kind: 'argument'; readonly call: Call; readonly index: number }
  | { readonly kind: 'receiver'; readonly call: Call }
  /** A property read that is not a call: `v.body`, `v.status`. */
  | { readonly kind: 'member'; readonly node: Node; readonly property: string }
  /** An element of an array or object literal, which itself goes somewhere. */
  | { readonly kind: 'element'; readonly container: Node }
  /** Iterated over: `for (x of v)`, `for await (x of v)`. */
  | { readonly kind: 'iterate' }
  /** Listed in a Java `try (v)` resource list. */
  | { readonly kind: 'try-resource' }
  /** Evaluated and thrown away: an expression statement. */
  | { readonly kind: 'discard' }
  | { readonly kind: 'other'; readonly node: Node };

export interface Dialect {
  readonly family: Family;
  /** Node types of functions, methods, constructors and lambdas. */
  readonly functionTypes: ReadonlySet<string>;
  /** Node types of identifiers that may refer to a local variable. */
  readonly referenceTypes: ReadonlySet<string>;
  /** Node types of calls and constructions (tree-sitter query friendly). */
  readonly callTypes: ReadonlySet<string>;
  functionBody(fn: Node): Node | null;
  /** Names declared as parameters of a function. */
  parameterNames(fn: Node): string[];
  /** Names of variables declared anywhere inside `scope` (locals, patterns, catch parameters, loop variables). */
  declaredNames(scope: Node): Set<string>;
  /** True when `node` sits directly in a statement list. */
  isStatement(node: Node): boolean;
  statement(node: Node): Statement;
  call(node: Node): Call | null;
  /** Where the value of `expr` goes, looking through parentheses, casts, `await` and the like. */
  context(expr: Node): ValueContext;
  /** The outermost expression that carries `expr`'s value unchanged (the node `context` looks from). */
  carrier(expr: Node): Node;
  /** Strips wrappers that pass a value through unchanged (parentheses, casts, `await`, `!`, `as`). */
  unwrap(expr: Node): Node;
  /** True when `node` is a reference to a variable (not a declaration, member name or property key). */
  isReference(node: Node): boolean;
  /** In `condition`, which branch runs when variable `name` holds no value ('then' / 'else'), if it is a null test. */
  nullBranch(condition: Node, name: string): 'then' | 'else' | undefined;
  /** The value of a string literal without quotes, or undefined when `node` is not a plain string literal. */
  stringLiteral(node: Node): string | undefined;
  /** The value of a numeric literal, or undefined. */
  numberLiteral(node: Node): number | undefined;
  /** Comment node types, skipped when reading statement lists. */
  readonly commentTypes: ReadonlySet<string>;
}

/** Named children that are not comments. */
export function namedChildren(node: Node, skip: ReadonlySet<string>): Node[] {
  const out: Node[] = [];
  for (const child of node.namedChildren) if (child && !skip.has(child.type)) out.push(child);
  return out;
}

/**
 * Walks `root`'s subtree depth-first in source order with a tree cursor; `visit` reads the cursor (its fields cost
 * nothing, a Node object costs an allocation) and returns false to skip the current node's children.
 */
export function walkCursor(root: Node, visit: (cursor: TreeCursor) => boolean | void): void {
  // A cursor made from `root` cannot leave it: at its root both gotoNextSibling and gotoParent fail.
  const cursor = root.walk();
  let descend = true;
  for (;;) {
    if (descend && visit(cursor) !== false && cursor.gotoFirstChild()) continue;
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
  cursor.delete();
}

/** Walks `root`'s subtree depth-first in source order; `visit` returns false to skip a node's children. */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  walkCursor(root, (cursor) => visit(cursor.currentNode));
}

/** True when `inner` lies within `outer` (or is it). */
export function contains(outer: Node, inner: Node): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/** 1-based line of a node's start, as findings and messages count lines. */
export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}
