// JavaScript, TypeScript and TSX (tree-sitter-javascript / -typescript / -tsx) seen through the Dialect shapes.
import type { Node } from 'web-tree-sitter';
import { lazyArgs, namedChildren, walk, type Call, type Dialect, type Statement, type ValueContext } from './dialect';

const COMMENTS = new Set(['comment', 'html_comment']);
const FUNCTIONS = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
]);
const CALLS = new Set(['call_expression', 'new_expression']);
/** Expressions whose value is their child's value (the TypeScript ones only change the static type). */
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'await_expression',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
  'type_assertion',
]);
const STATEMENTS = new Set([
  'statement_block',
  'expression_statement',
  'lexical_declaration',
  'variable_declaration',
  'using_declaration',
  'if_statement',
  'try_statement',
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
  'switch_statement',
  'return_statement',
  'throw_statement',
  'break_statement',
  'continue_statement',
  'labeled_statement',
  'empty_statement',
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
]);
const PATTERN_NAMES = new Set(['identifier', 'shorthand_property_identifier_pattern']);

function argumentsOf(node: Node): Node[] {
  const list = node.childForFieldName('arguments');
  return list && list.type === 'arguments' ? namedChildren(list, COMMENTS) : [];
}

/**
 * What a call calls. tree-sitter-typescript reads `await axios.get<T>(url)` as `(await axios.get)<T>(url)`: the
 * awaited member is what is called (and the call is awaited, see awaitsItself).
 */
function calledExpression(node: Node): Node | null {
  const fn = node.childForFieldName('function');
  if (fn?.type !== 'await_expression' || !node.childForFieldName('type_arguments')) return fn;
  return fn.namedChild(0);
}

/** A call with type arguments that tree-sitter-typescript misreads as calling `await f` (see calledExpression). */
export function awaitsItself(node: Node): boolean {
  return node.type === 'call_expression' && node.childForFieldName('function')?.type === 'await_expression' && !!node.childForFieldName('type_arguments');
}

function call(node: Node): Call | null {
  if (node.type === 'call_expression') {
    const fn = calledExpression(node);
    if (!fn) return null;
    if (fn.type === 'member_expression') {
      const property = fn.childForFieldName('property');
      const object = fn.childForFieldName('object');
      if (!property || !object) return null;
      return lazyArgs(node, 'call', property.text, object, '', argumentsOf);
    }
    if (fn.type === 'identifier' || fn.type === 'import' || fn.type === 'super') {
      return lazyArgs(node, 'call', fn.text, null, '', argumentsOf);
    }
    return lazyArgs(node, 'call', '', null, '', argumentsOf);
  }
  if (node.type === 'new_expression') {
    const ctor = node.childForFieldName('constructor');
    if (!ctor) return null;
    if (ctor.type === 'member_expression') {
      const property = ctor.childForFieldName('property');
      const object = ctor.childForFieldName('object');
      return lazyArgs(node, 'new', property?.text ?? '', null, object?.text ?? '', argumentsOf);
    }
    return lazyArgs(node, 'new', ctor.text, null, '', argumentsOf);
  }
  return null;
}

function passesThrough(parent: Node, child: Node): boolean {
  if (TRANSPARENT.has(parent.type)) return true;
  if (parent.type === 'ternary_expression') return !parent.childForFieldName('condition')?.equals(child);
  if (parent.type === 'binary_expression') {
    // `a || fallback` and `a ?? fallback` yield one of their operands.
    const operator = parent.childForFieldName('operator')?.text;
    return operator === '||' || operator === '??';
  }
  return false;
}

function carrier(expr: Node): Node {
  let node = expr;
  for (let parent = node.parent; parent && passesThrough(parent, node); parent = node.parent) node = parent;
  return node;
}

/** True for a TypeScript `using x = ...` / `await using x = ...`, which the TS grammar reads as an assignment. */
function isTypeScriptUsing(assignment: Node): boolean {
  let statement: Node | null = assignment.parent;
  if (statement?.type === 'await_expression') statement = statement.parent;
  return statement?.type === 'expression_statement' && /^(await\s+)?using\s/.test(statement.text);
}

function destructure(pattern: Node): ValueContext {
  const properties = new Map<string, Node>();
  let hasRest = false;
  for (const child of pattern.namedChildren) {
    if (!child) continue;
    if (child.type === 'shorthand_property_identifier_pattern') properties.set(child.text, child);
    else if (child.type === 'pair_pattern') {
      const key = child.childForFieldName('key');
      const value = child.childForFieldName('value');
      if (key && value) properties.set(key.text, value.type === 'assignment_pattern' ? (value.childForFieldName('left') ?? value) : value);
    } else if (child.type === 'object_assignment_pattern') {
      const left = child.childForFieldName('left');
      if (left) properties.set(left.text, left);
    } else if (child.type === 'rest_pattern') hasRest = true;
  }
  return { kind: 'destructure', pattern, properties, hasRest };
}

function context(expr: Node): ValueContext {
  const node = carrier(expr);
  const parent = node.parent;
  if (!parent) return { kind: 'other', node };
  switch (parent.type) {
    case 'variable_declarator': {
      if (!parent.childForFieldName('value')?.equals(node)) break;
      const nameNode = parent.childForFieldName('name');
      if (!nameNode) break;
      if (nameNode.type === 'object_pattern') return destructure(nameNode);
      if (nameNode.type !== 'identifier') return { kind: 'element', container: nameNode };
      const binding = parent.parent?.type === 'using_declaration' ? 'using' : 'local';
      const typeText = parent.childForFieldName('type')?.text.replace(/^:\s*/, '') ?? null;
      return { kind: 'bind', binding, name: nameNode.text, nameNode, typeText, isAssignment: false };
    }
    case 'assignment_expression': {
      if (!parent.childForFieldName('right')?.equals(node)) break;
      const left = parent.childForFieldName('left');
      if (!left) break;
      if (left.type === 'identifier') {
        const binding = isTypeScriptUsing(parent) ? 'using' : 'local';
        return { kind: 'bind', binding, name: left.text, nameNode: left, typeText: null, isAssignment: binding === 'local' };
      }
      if (left.type === 'object_pattern') return destructure(left);
      return { kind: 'store', target: left };
    }
    case 'public_field_definition':
    case 'field_definition': {
      const nameNode = parent.childForFieldName('name') ?? parent.childForFieldName('property');
      if (nameNode) return { kind: 'bind', binding: 'field', name: nameNode.text, nameNode, typeText: null, isAssignment: false };
      break;
    }
    case 'return_statement':
      return { kind: 'return' };
    case 'arrow_function':
      return parent.childForFieldName('body')?.equals(node) ? { kind: 'return' } : { kind: 'other', node };
    case 'yield_expression':
      return { kind: 'return' };
    case 'throw_statement':
      return { kind: 'throw' };
    case 'export_statement':
      return { kind: 'store', target: parent };
    case 'arguments': {
      const owner = parent.parent;
      const c = owner ? call(owner) : null;
      if (c) return { kind: 'argument', call: c, index: c.args.findIndex((a) => a.equals(node)) };
      break;
    }
    case 'member_expression': {
      if (!parent.childForFieldName('object')?.equals(node)) break;
      // `await this.api.get<T>(url)`, misread as `(await this.api.get)<T>(url)` (see calledExpression).
      const grand = parent.parent?.type === 'await_expression' && awaitsItself(parent.parent.parent ?? parent) ? parent.parent.parent : parent.parent;
      if (grand?.type === 'call_expression' && calledExpression(grand)?.equals(parent)) {
        const c = call(grand);
        if (c) return { kind: 'receiver', call: c };
      }
      return { kind: 'member', node: parent, property: parent.childForFieldName('property')?.text ?? '' };
    }
    case 'array':
    case 'spread_element':
      return { kind: 'element', container: parent };
    case 'pair':
      return parent.childForFieldName('value')?.equals(node) ? { kind: 'element', container: parent.parent ?? parent } : { kind: 'other', node: parent };
    case 'object':
      return { kind: 'element', container: parent };
    case 'expression_statement':
      return { kind: 'discard' };
    case 'unary_expression':
      return parent.childForFieldName('operator')?.text === 'void' ? { kind: 'discard' } : { kind: 'other', node: parent };
    case 'for_in_statement':
      if (parent.childForFieldName('right')?.equals(node)) return { kind: 'iterate' };
      break;
  }
  return { kind: 'other', node: parent };
}

function statement(node: Node): Statement {
  switch (node.type) {
    case 'statement_block':
      return { kind: 'block', statements: namedChildren(node, COMMENTS) };
    case 'if_statement': {
      const consequence = node.childForFieldName('consequence');
      const condition = node.childForFieldName('condition');
      if (!consequence || !condition) return { kind: 'simple' };
      const elseClause = node.childForFieldName('alternative');
      const alternative = elseClause ? (namedChildren(elseClause, COMMENTS)[0] ?? null) : null;
      return { kind: 'if', condition, consequence, alternative };
    }
    case 'try_statement': {
      const body = node.childForFieldName('body');
      if (!body) return { kind: 'simple' };
      const handler = node.childForFieldName('handler')?.childForFieldName('body');
      const finalizer = node.childForFieldName('finalizer')?.childForFieldName('body') ?? null;
      return { kind: 'try', resources: [], body, catches: handler ? [handler] : [], finalizer };
    }
    case 'for_statement':
    case 'for_in_statement':
    case 'while_statement':
      return { kind: 'loop', body: node.childForFieldName('body'), runsAtLeastOnce: false };
    case 'do_statement':
      return { kind: 'loop', body: node.childForFieldName('body'), runsAtLeastOnce: true };
    case 'switch_statement': {
      const body = node.childForFieldName('body');
      const clauses = body ? namedChildren(body, COMMENTS) : [];
      return {
        kind: 'switch',
        cases: clauses.map((c) => c.childrenForFieldName('body').filter((s): s is Node => !!s && !COMMENTS.has(s.type))),
        hasDefault: clauses.some((c) => c.type === 'switch_default'),
      };
    }
    case 'return_statement':
      return { kind: 'exit', exit: 'return', value: namedChildren(node, COMMENTS)[0] ?? null };
    case 'throw_statement':
      return { kind: 'exit', exit: 'throw', value: namedChildren(node, COMMENTS)[0] ?? null };
    case 'labeled_statement': {
      const body = node.childForFieldName('body');
      return body ? { kind: 'nested', body } : { kind: 'simple' };
    }
  }
  return { kind: 'simple' };
}

function nullBranch(condition: Node, name: string): 'then' | 'else' | undefined {
  const text = condition.text.replace(/\s+/g, '');
  const bare = text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
  const empty = ['null', 'undefined'];
  for (const op of ['==', '===']) {
    for (const value of empty) if (bare === `${name}${op}${value}` || bare === `${value}${op}${name}`) return 'then';
  }
  for (const op of ['!=', '!==']) {
    for (const value of empty) if (bare === `${name}${op}${value}` || bare === `${value}${op}${name}`) return 'else';
  }
  if (bare === `!${name}`) return 'then';
  if (bare === name) return 'else';
  return undefined;
}

function collectPatternNames(pattern: Node, names: Set<string>): void {
  if (PATTERN_NAMES.has(pattern.type)) {
    names.add(pattern.text);
    return;
  }
  walk(pattern, (node) => {
    if (node.type === 'shorthand_property_identifier_pattern') names.add(node.text);
    else if (node.type === 'identifier') {
      // In `{ key: value }` only the value side names a variable.
      const parent = node.parent;
      if (parent?.type !== 'pair_pattern' || parent.childForFieldName('value')?.equals(node)) names.add(node.text);
    }
    return node.type !== 'object' && node.type !== 'arrow_function';
  });
}

const DECLARING = [
  'variable_declarator',
  'required_parameter',
  'optional_parameter',
  'formal_parameters',
  'arrow_function',
  'catch_clause',
  'for_in_statement',
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
];

function declaredNames(scope: Node): Set<string> {
  const names = new Set<string>();
  for (const node of scope.descendantsOfType(DECLARING)) {
    if (!node) continue;
    switch (node.type) {
      case 'variable_declarator': {
        const name = node.childForFieldName('name');
        if (name) collectPatternNames(name, names);
        break;
      }
      case 'required_parameter':
      case 'optional_parameter': {
        const pattern = node.childForFieldName('pattern');
        if (pattern) collectPatternNames(pattern, names);
        break;
      }
      case 'formal_parameters':
        for (const p of node.namedChildren) if (p && (PATTERN_NAMES.has(p.type) || p.type.endsWith('_pattern'))) collectPatternNames(p, names);
        break;
      case 'arrow_function': {
        const param = node.childForFieldName('parameter');
        if (param) names.add(param.text);
        break;
      }
      case 'catch_clause': {
        const param = node.childForFieldName('parameter');
        if (param) collectPatternNames(param, names);
        break;
      }
      case 'for_in_statement': {
        const left = node.childForFieldName('left');
        if (left && node.childForFieldName('kind')) collectPatternNames(left, names);
        break;
      }
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration': {
        const name = node.childForFieldName('name');
        if (name && !node.equals(scope)) names.add(name.text);
        break;
      }
    }
  }
  return names;
}

function parameterNames(fn: Node): string[] {
  const names = new Set<string>();
  const single = fn.childForFieldName('parameter');
  if (single) names.add(single.text);
  const params = fn.childForFieldName('parameters');
  if (params) {
    for (const p of params.namedChildren) {
      if (!p) continue;
      const pattern = p.childForFieldName('pattern') ?? p;
      collectPatternNames(pattern.type === 'assignment_pattern' ? (pattern.childForFieldName('left') ?? pattern) : pattern, names);
    }
  }
  return [...names];
}

function isReference(node: Node): boolean {
  if (node.type === 'shorthand_property_identifier') return true;
  if (node.type !== 'identifier') return false;
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'variable_declarator':
      return !parent.childForFieldName('name')?.equals(node);
    case 'required_parameter':
    case 'optional_parameter':
      return !parent.childForFieldName('pattern')?.equals(node);
    case 'formal_parameters':
    case 'function_declaration':
    case 'function_expression':
    case 'generator_function_declaration':
    case 'class_declaration':
    case 'import_specifier':
    case 'import_clause':
    case 'namespace_import':
    case 'export_specifier':
    case 'labeled_statement':
    case 'array_pattern':
    case 'object_pattern':
    case 'rest_pattern':
      return false;
    case 'arrow_function':
      return !parent.childForFieldName('parameter')?.equals(node);
    case 'catch_clause':
      return !parent.childForFieldName('parameter')?.equals(node);
    case 'pair_pattern':
      return false;
    case 'assignment_pattern':
      return !parent.childForFieldName('left')?.equals(node);
  }
  return true;
}

export function unescapeJs(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r?\n|.)/g, (_, esc: string) => {
    if (esc[0] === 'u') return String.fromCodePoint(parseInt(esc.replace(/[u{}]/g, ''), 16));
    if (esc[0] === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc === '\n' || esc === '\r\n') return '';
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' } as Record<string, string>)[esc] ?? esc;
  });
}

export const javascript: Dialect = {
  family: 'js',
  functionTypes: FUNCTIONS,
  referenceTypes: new Set(['identifier', 'shorthand_property_identifier']),
  callTypes: CALLS,
  commentTypes: COMMENTS,
  functionBody: (fn) => fn.childForFieldName('body'),
  parameterNames,
  declaredNames,
  isStatement: (node) => STATEMENTS.has(node.type),
  statement,
  call,
  context,
  carrier,
  unwrap(expr) {
    let node = expr;
    while (TRANSPARENT.has(node.type)) {
      const inner = node.type === 'type_assertion' ? node.namedChildren[1] : node.namedChildren.find((c) => c && !COMMENTS.has(c.type));
      if (!inner) return node;
      node = inner;
    }
    return node;
  },
  isReference,
  nullBranch,
  stringLiteral(node) {
    if (node.type === 'string') return unescapeJs(node.text.slice(1, -1));
    if (node.type === 'template_string' && !node.namedChildren.some((c) => c?.type === 'template_substitution')) {
      return unescapeJs(node.text.slice(1, -1));
    }
    return undefined;
  },
  numberLiteral(node) {
    if (node.type !== 'number') return undefined;
    const value = Number(node.text.replace(/_/g, ''));
    return Number.isFinite(value) ? value : undefined;
  },
};

/** The value of a property in an object literal, when written literally: `{ responseType: 'stream' }`. */
export function objectProperty(object: Node, key: string): Node | undefined {
  for (const child of object.namedChildren) {
    if (child?.type === 'pair' && child.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') === key) {
      return child.childForFieldName('value') ?? undefined;
    }
    if (child?.type === 'shorthand_property_identifier' && child.text === key) return child;
  }
  return undefined;
}
