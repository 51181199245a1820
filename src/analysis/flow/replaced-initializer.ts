// A Java field's initializer that no code ever sees: `private RestOperations restTemplate = new RestTemplate();` in a
// class whose every constructor assigns the field before anything can read it (UAA's RestAuthenticationManager
// builds its real client in its constructor). The initializer's client never makes a call: strict only.
import type { Node } from 'web-tree-sitter';
import { possible, type Certainty } from '../catalog/certainty';
import type { FileModel } from '../model';

export function unlessReplacedByConstructors(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || !model.isJava) return certainty;
  const field = fieldInitializedBy(node);
  if (!field || !replacedByEveryConstructor(field.name, field.declaration, model)) return certainty;
  return possible(`${certainty.basis}; every constructor replaces the field '${field.name}' it initializes`);
}

/** The instance field whose initializer `node` is part of (not inside a lambda or an anonymous class there). */
function fieldInitializedBy(node: Node): { name: string; declaration: Node } | undefined {
  let n: Node | null = node;
  while (n && n.type !== 'variable_declarator') {
    if (n.type === 'lambda_expression' || n.type === 'class_body' || n.type === 'block') return undefined;
    n = n.parent;
  }
  const declaration = n?.parent;
  if (!n || declaration?.type !== 'field_declaration' || !n.childForFieldName('value')) return undefined;
  const modifiers = declaration.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
  if (/\bstatic\b/.test(modifiers)) return undefined;
  const name = n.childForFieldName('name')?.text;
  return name ? { name, declaration } : undefined;
}

/**
 * The class has constructors, and each one either hands over to another (`this(...)`) or assigns the field in a
 * statement of its own body before any statement that mentions the field or calls a method of the object. Nothing
 * else that runs before a constructor's body (another field's initializer, an initializer block) mentions it.
 */
function replacedByEveryConstructor(name: string, declaration: Node, model: FileModel): boolean {
  const body = declaration.parent;
  if (body?.type !== 'class_body') return false;
  const mentions = new RegExp(String.raw`\b${name.replace(/\$/g, '\\$')}\b`);
  const members = body.namedChildren.filter((m): m is Node => m !== null);
  const constructors = members.filter((m) => m.type === 'constructor_declaration');
  if (constructors.length === 0) return false;
  const runsFirst = members.filter((m) => (m.type === 'field_declaration' && !m.equals(declaration)) || m.type === 'block');
  if (runsFirst.some((m) => mentions.test(m.type === 'block' ? m.text : initializersText(m)))) return false;
  return constructors.every((c) => assignsFirst(name, c, mentions, model));
}

function initializersText(field: Node): string {
  return field.childrenForFieldName('declarator').map((d) => d?.childForFieldName('value')?.text ?? '').join(' ');
}

function assignsFirst(name: string, constructor: Node, mentions: RegExp, model: FileModel): boolean {
  const statements = constructor.childForFieldName('body')?.namedChildren.filter((s): s is Node => s !== null && s.type !== 'line_comment' && s.type !== 'block_comment') ?? [];
  if (statements[0]?.type === 'explicit_constructor_invocation' && statements[0].childForFieldName('constructor')?.type === 'this') return true;
  // A parameter or local of the same name (`RestTemplate restTemplate = new RestTemplate(); ... this.restTemplate =
  // restTemplate;`) leaves `this.` the only way to name the field.
  const qualified = new RegExp(String.raw`\bthis\s*\.\s*${name.replace(/\$/g, '\\$')}\b`);
  const field = model.localNames(constructor).has(name) ? qualified : mentions;
  for (const statement of statements) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type === 'assignment_expression' && assignment.childForFieldName('operator')?.text === '=') {
      const target = assignment.childForFieldName('left')?.text.replace(/\s+/g, '') ?? '';
      // `this.client = wrap(this.client)` reads the initial client.
      if (target === `this.${name}` || (field === mentions && target === name)) return !field.test(assignment.childForFieldName('right')?.text ?? '');
    }
    if (field.test(statement.text) || callsOwnMethod(statement)) return false;
  }
  return false;
}

/** A call that may run the object's own code (and read the field there): unqualified, on `this`, or `super(...)`. */
function callsOwnMethod(statement: Node): boolean {
  if (statement.type === 'explicit_constructor_invocation') return false;
  const calls = statement.descendantsOfType('method_invocation');
  return calls.some((call) => {
    const object = call?.childForFieldName('object');
    return !object || object.type === 'this' || object.type === 'super';
  });
}
