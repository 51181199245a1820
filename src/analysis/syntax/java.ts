// Java (tree-sitter-java) seen through the Dialect shapes.
import type { Node } from 'web-tree-sitter';
import { lazyArgs, namedChildren, type Call, type Dialect, type Statement, type ValueContext } from './dialect';

const COMMENTS = new Set(['line_comment', 'block_comment']);
const FUNCTIONS = new Set([
  'method_declaration',
  'constructor_declaration',
  'compact_constructor_declaration',
  'lambda_expression',
  'static_initializer',
]);
const CALLS = new Set(['method_invocation', 'object_creation_expression']);
/** Expressions whose value is their child's value. */
const TRANSPARENT = new Set(['parenthesized_expression', 'cast_expression']);
const STATEMENTS = new Set([
  'block',
  'constructor_body',
  'expression_statement',
  'local_variable_declaration',
  'if_statement',
  'try_statement',
  'try_with_resources_statement',
  'for_statement',
  'enhanced_for_statement',
  'while_statement',
  'do_statement',
  'switch_expression',
  'return_statement',
  'throw_statement',
  'yield_statement',
  'break_statement',
  'continue_statement',
  'synchronized_statement',
  'labeled_statement',
  'assert_statement',
  'local_class_declaration',
  'explicit_constructor_invocation',
]);

function simpleTypeName(type: Node): { name: string; qualifier: string } {
  let node = type;
  if (node.type === 'generic_type') node = node.namedChildren.find((c) => c?.type !== 'type_arguments') ?? node;
  const text = node.text.replace(/\s+/g, '');
  const dot = text.lastIndexOf('.');
  return dot < 0 ? { name: text, qualifier: '' } : { name: text.slice(dot + 1), qualifier: text.slice(0, dot) };
}

function hasCleanupAnnotation(declaration: Node): boolean {
  const modifiers = declaration.namedChildren.find((c) => c?.type === 'modifiers');
  return !!modifiers?.namedChildren.some(
    (m) => (m?.type === 'marker_annotation' || m?.type === 'annotation') && /(^|\.)Cleanup$/.test(m.childForFieldName('name')?.text ?? ''),
  );
}

function call(node: Node): Call | null {
  if (node.type === 'method_invocation') {
    const name = node.childForFieldName('name');
    if (!name) return null;
    return lazyArgs(node, 'call', name.text, node.childForFieldName('object'), '', argumentsOf);
  }
  if (node.type === 'object_creation_expression') {
    const type = node.childForFieldName('type');
    if (!type) return null;
    const { name, qualifier } = simpleTypeName(type);
    return lazyArgs(node, 'new', name, null, qualifier, argumentsOf);
  }
  return null;
}

function argumentsOf(node: Node): Node[] {
  const list = node.childForFieldName('arguments');
  return list ? namedChildren(list, COMMENTS) : [];
}

/** `Objects.requireNonNull(x)`, Guava's `Preconditions.checkNotNull(x)`: they return their first argument. */
const RETURNS_ITS_ARGUMENT = /^((java\.util\.)?Objects\.requireNonNull|(com\.google\.common\.base\.)?Preconditions\.checkNotNull)$/;

function isIdentityCall(node: Node | null): node is Node {
  if (node?.type !== 'method_invocation') return false;
  return RETURNS_ITS_ARGUMENT.test(`${node.childForFieldName('object')?.text ?? ''}.${node.childForFieldName('name')?.text ?? ''}`);
}

/** The call `node` is the first argument of, when that call returns it unchanged. */
function identityCallOf(node: Node): Node | null {
  const owner = node.parent?.type === 'argument_list' ? node.parent.parent : null;
  return isIdentityCall(owner) && argumentsOf(owner)[0]?.equals(node) ? owner : null;
}

/** The identity call's first argument, when `node` is one. */
function identityArgument(node: Node): Node | null {
  return isIdentityCall(node) ? (argumentsOf(node)[0] ?? null) : null;
}

function carrier(expr: Node): Node {
  let node = expr;
  for (let parent = node.parent; parent; parent = node.parent) {
    const passesThrough =
      TRANSPARENT.has(parent.type) ||
      (parent.type === 'ternary_expression' && !parent.childForFieldName('condition')?.equals(node));
    const identity = passesThrough ? null : identityCallOf(node);
    if (!passesThrough && !identity) break;
    node = identity ?? parent;
  }
  return node;
}

function context(expr: Node): ValueContext {
  const node = carrier(expr);
  const parent = node.parent;
  if (!parent) return { kind: 'other', node };
  switch (parent.type) {
    case 'variable_declarator': {
      if (!parent.childForFieldName('value')?.equals(node)) break;
      const nameNode = parent.childForFieldName('name');
      const declaration = parent.parent;
      if (!nameNode || !declaration) break;
      const typeText = declaration.childForFieldName('type')?.text ?? null;
      const binding =
        declaration.type === 'field_declaration' || declaration.type === 'constant_declaration'
          ? 'field'
          : hasCleanupAnnotation(declaration)
            ? 'cleanup'
            : 'local';
      return { kind: 'bind', binding, name: nameNode.text, nameNode, typeText, isAssignment: false };
    }
    case 'resource': {
      const nameNode = parent.childForFieldName('name');
      if (nameNode && parent.childForFieldName('value')?.equals(node)) {
        const typeText = parent.childForFieldName('type')?.text ?? null;
        return { kind: 'bind', binding: 'resource', name: nameNode.text, nameNode, typeText, isAssignment: false };
      }
      return { kind: 'try-resource' };
    }
    case 'assignment_expression': {
      if (!parent.childForFieldName('right')?.equals(node)) break;
      const left = parent.childForFieldName('left');
      if (!left) break;
      if (left.type === 'identifier') {
        return { kind: 'bind', binding: 'local', name: left.text, nameNode: left, typeText: null, isAssignment: true };
      }
      return { kind: 'store', target: left };
    }
    case 'return_statement':
      return { kind: 'return' };
    case 'lambda_expression':
      return parent.childForFieldName('body')?.equals(node) ? { kind: 'return' } : { kind: 'other', node };
    case 'throw_statement':
      return { kind: 'throw' };
    case 'argument_list': {
      const owner = parent.parent;
      const c = owner ? call(owner) : null;
      if (c) return { kind: 'argument', call: c, index: c.args.findIndex((a) => a.equals(node)) };
      break;
    }
    case 'method_invocation': {
      const c = call(parent);
      if (c && parent.childForFieldName('object')?.equals(node)) return { kind: 'receiver', call: c };
      break;
    }
    case 'field_access': {
      const field = parent.childForFieldName('field');
      if (parent.childForFieldName('object')?.equals(node) && field) return { kind: 'member', node: parent, property: field.text };
      break;
    }
    case 'array_initializer':
    case 'element_value_array_initializer':
      return { kind: 'element', container: parent };
    case 'expression_statement':
      return { kind: 'discard' };
    case 'enhanced_for_statement':
      if (parent.childForFieldName('value')?.equals(node)) return { kind: 'iterate' };
      break;
    case 'yield_statement':
      return { kind: 'return' };
    case 'instanceof_expression': {
      // `conn instanceof HttpURLConnection http`: the pattern's variable holds the same object, where the test holds
      // (its type is no more than a test: it says nothing of the object elsewhere).
      const nameNode = parent.childForFieldName('name');
      if (!nameNode || !parent.childForFieldName('left')?.equals(node)) break;
      return { kind: 'bind', binding: 'local', name: nameNode.text, nameNode, typeText: null, isAssignment: false };
    }
  }
  return { kind: 'other', node: parent };
}

function statement(node: Node): Statement {
  switch (node.type) {
    case 'block':
    case 'constructor_body':
      return { kind: 'block', statements: namedChildren(node, COMMENTS) };
    case 'if_statement': {
      const consequence = node.childForFieldName('consequence');
      const condition = node.childForFieldName('condition');
      if (!consequence || !condition) return { kind: 'simple' };
      return { kind: 'if', condition, consequence, alternative: node.childForFieldName('alternative') };
    }
    case 'try_statement':
    case 'try_with_resources_statement': {
      const body = node.childForFieldName('body');
      if (!body) return { kind: 'simple' };
      const children = namedChildren(node, COMMENTS);
      const catches = children
        .filter((c) => c.type === 'catch_clause')
        .map((c) => c.childForFieldName('body'))
        .filter((b): b is Node => !!b);
      const finalizer = children.find((c) => c.type === 'finally_clause')?.namedChildren.find((c) => c?.type === 'block') ?? null;
      const resources = namedChildren(node.childForFieldName('resources') ?? node, COMMENTS).filter((r) => r.type === 'resource');
      return { kind: 'try', resources, body, catches, finalizer };
    }
    case 'for_statement':
    case 'enhanced_for_statement':
    case 'while_statement':
      return { kind: 'loop', body: node.childForFieldName('body'), runsAtLeastOnce: false };
    case 'do_statement':
      return { kind: 'loop', body: node.childForFieldName('body'), runsAtLeastOnce: true };
    case 'switch_expression': {
      const body = node.childForFieldName('body');
      const groups = body ? namedChildren(body, COMMENTS) : [];
      const cases = groups.map((g) => namedChildren(g, COMMENTS).filter((s) => s.type !== 'switch_label'));
      const hasDefault = groups.some((g) => g.namedChildren.some((l) => l?.type === 'switch_label' && /^default\b/.test(l.text)));
      const labels = groups.map((g) => namedChildren(g, COMMENTS).filter((l) => l.type === 'switch_label').flatMap((l) => namedChildren(l, COMMENTS).map((v) => v.text.replace(/\s+/g, ''))));
      return { kind: 'switch', subject: node.childForFieldName('condition'), cases, labels, hasDefault };
    }
    case 'return_statement':
      return { kind: 'exit', exit: 'return', value: node.namedChildren.find((c) => c && !COMMENTS.has(c.type)) ?? null };
    case 'throw_statement':
      return { kind: 'exit', exit: 'throw', value: node.namedChildren.find((c) => c && !COMMENTS.has(c.type)) ?? null };
    case 'synchronized_statement': {
      const body = node.childForFieldName('body');
      return body ? { kind: 'nested', body } : { kind: 'simple' };
    }
    case 'labeled_statement': {
      const body = namedChildren(node, COMMENTS).find((c) => c.type !== 'identifier');
      return body ? { kind: 'nested', body } : { kind: 'simple' };
    }
  }
  return { kind: 'simple' };
}

/**
 * The branch in which `name` holds nothing to release: null (`x == null`, `Objects.isNull(x)`), or already closed
 * (`if (!socket.isClosed()) socket.close()`, `if (s != null && s.isOpen())`: the close is as good as unconditional),
 * or an HttpEntity that is not streaming (`entity != null && entity.isStreaming()`: Apache's HttpClient reads such a
 * body whole and hands the connection back before execute() returns), or a URLConnection that is not an
 * HttpURLConnection (`conn instanceof HttpURLConnection http`: a file: or jar: URL's holds no socket).
 */
function nullBranch(condition: Node, name: string): 'then' | 'else' | undefined {
  const text = condition.text.replace(/\s+/g, '');
  const http = text.includes('instanceof') ? new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}instanceof(java\\.net\\.)?Https?URLConnection\\w*$`) : null;
  const bare = (text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text).replace(/\bjava\.util\.(?=Objects\.)/g, '');
  const holds = [`${name}!=null`, `null!=${name}`, `Objects.nonNull(${name})`, `!Objects.isNull(${name})`, `!${name}.isClosed()`, `${name}.isOpen()`, `${name}.isStreaming()`];
  const empty = [`${name}==null`, `null==${name}`, `Objects.isNull(${name})`, `!Objects.nonNull(${name})`, `${name}.isClosed()`, `!${name}.isOpen()`, `!${name}.isStreaming()`];
  const isHttp = (term: string) => !!http?.test(term);
  const notHttp = (term: string) => /^!\(.*\)$/.test(term) && isHttp(term.slice(2, -1));
  if (bare.split('||').every((term) => empty.includes(term) || notHttp(term))) return 'then';
  if (bare.split('&&').every((term) => holds.includes(term) || isHttp(term))) return 'else';
  return undefined;
}

const DECLARING = ['variable_declarator', 'formal_parameter', 'catch_formal_parameter', 'resource', 'enhanced_for_statement', 'spread_parameter', 'lambda_expression', 'instanceof_expression'];

function declaredNames(scope: Node): Set<string> {
  const names = new Set<string>();
  for (const node of scope.descendantsOfType(DECLARING)) {
    if (!node) continue;
    switch (node.type) {
      case 'variable_declarator':
      case 'formal_parameter':
      case 'catch_formal_parameter':
      case 'resource':
      case 'enhanced_for_statement':
      case 'spread_parameter':
      case 'instanceof_expression': {
        const name = node.childForFieldName('name');
        if (name) names.add(name.text);
        break;
      }
      case 'lambda_expression': {
        const params = node.childForFieldName('parameters');
        if (params?.type === 'identifier') names.add(params.text);
        if (params?.type === 'inferred_parameters') for (const p of params.namedChildren) if (p) names.add(p.text);
        break;
      }
    }
  }
  return names;
}

function parameterNames(fn: Node): string[] {
  const params = fn.childForFieldName('parameters');
  if (!params) return [];
  if (params.type === 'identifier') return [params.text];
  return params.namedChildren.flatMap((p) => {
    if (!p) return [];
    if (p.type === 'identifier') return [p.text];
    const name = p.childForFieldName('name');
    return name ? [name.text] : [];
  });
}

function isReference(node: Node): boolean {
  if (node.type !== 'identifier') return false;
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'method_invocation':
      return !parent.childForFieldName('name')?.equals(node);
    case 'field_access':
      return !parent.childForFieldName('field')?.equals(node);
    case 'variable_declarator':
    case 'formal_parameter':
    case 'catch_formal_parameter':
    case 'enhanced_for_statement':
      return !parent.childForFieldName('name')?.equals(node);
    case 'resource':
      return !parent.childForFieldName('name')?.equals(node);
    case 'method_declaration':
    case 'class_declaration':
    case 'labeled_statement':
    case 'break_statement':
    case 'continue_statement':
    case 'marker_annotation':
    case 'annotation':
    case 'scoped_identifier':
    case 'inferred_parameters':
      return false;
    case 'lambda_expression':
      return !parent.childForFieldName('parameters')?.equals(node);
  }
  return true;
}

function unescapeJava(raw: string): string {
  return raw.replace(/\\(u+[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    if (esc[0] === 'u') return String.fromCharCode(parseInt(esc.slice(-4), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', s: ' ' } as Record<string, string>)[esc] ?? esc;
  });
}

export const java: Dialect = {
  family: 'java',
  functionTypes: FUNCTIONS,
  referenceTypes: new Set(['identifier']),
  callTypes: CALLS,
  commentTypes: COMMENTS,
  functionBody: (fn) => fn.childForFieldName('body') ?? fn.namedChildren.find((c) => c?.type === 'block') ?? null,
  parameterNames,
  declaredNames,
  isStatement: (node) => STATEMENTS.has(node.type),
  statement,
  call,
  context,
  carrier,
  unwrap(expr) {
    let node = expr;
    for (;;) {
      if (node.type === 'parenthesized_expression') node = node.namedChildren.find((c) => c && !COMMENTS.has(c.type)) ?? node;
      else if (node.type === 'cast_expression') node = node.childForFieldName('value') ?? node;
      else node = identityArgument(node) ?? node;
      if (!TRANSPARENT.has(node.type) && !identityArgument(node)) return node;
    }
  },
  isReference,
  nullBranch,
  stringLiteral(node) {
    if (node.type !== 'string_literal') return undefined;
    const text = node.text;
    if (text.startsWith('"""')) return undefined;
    return unescapeJava(text.slice(1, -1));
  },
  numberLiteral(node) {
    if (node.type !== 'decimal_integer_literal' && node.type !== 'decimal_floating_point_literal') return undefined;
    const value = Number(node.text.replace(/_/g, '').replace(/[lLdDfF]$/, ''));
    return Number.isFinite(value) ? value : undefined;
  },
};

const SUPPRESSIBLE_DECLARATIONS = /^(method_declaration|constructor_declaration|class_declaration|enum_declaration|record_declaration|local_variable_declaration|field_declaration)$/;

/**
 * True when a declaration around `node` carries `@SuppressWarnings` naming one of `names` (`"resource"` is what
 * javac, Eclipse and IntelliJ use for leaks): the maintainers have already decided about that code.
 */
export function suppressedByAnnotation(node: Node, names: readonly string[]): boolean {
  for (let n: Node | null = node; n; n = n.parent) {
    if (!SUPPRESSIBLE_DECLARATIONS.test(n.type)) continue;
    const modifiers = n.namedChildren.find((c) => c?.type === 'modifiers');
    for (const m of modifiers?.namedChildren ?? []) {
      if (m?.type !== 'annotation' || !/(^|\.)SuppressWarnings$/.test(m.childForFieldName('name')?.text ?? '')) continue;
      const values = [...(m.childForFieldName('arguments')?.text.matchAll(/"([^"]*)"/g) ?? [])].map((v) => v[1]);
      if (values.some((v) => names.includes(v))) return true;
    }
  }
  return false;
}

/**
 * True when a declaration around `node` is `@Deprecated`: code kept for compatibility, on its way out, whose
 * maintainers rarely take changes to it.
 */
export function insideDeprecated(node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parent) {
    if (!SUPPRESSIBLE_DECLARATIONS.test(n.type)) continue;
    const modifiers = n.namedChildren.find((c) => c?.type === 'modifiers');
    for (const m of modifiers?.namedChildren ?? []) {
      if ((m?.type === 'annotation' || m?.type === 'marker_annotation') && /(^|\.)Deprecated$/.test(m.childForFieldName('name')?.text ?? '')) return true;
    }
  }
  return false;
}
