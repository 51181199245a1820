// The file cut into units (functions, methods, constructors, initializers, route callbacks) and the skeleton around
// them (fields, module code), found by walking declarations only, never into bodies: every keystroke walks it whole.
import type { Node } from 'web-tree-sitter';
import type { Span } from './model';
import { MAX_NESTING, type Dialect } from './syntax/dialect';

export interface FileStructure {
  /** Functions whose findings depend only on their own text and what surrounds them. */
  readonly units: readonly Node[];
  /** Declarations and statements outside the units (they may contain units, e.g. a route registration). */
  readonly skeleton: readonly Node[];
  /** Java class, interface, enum and record declarations (their members are units or skeleton). */
  readonly types: readonly Node[];
  /** Java: the fields and methods each of `types` declares itself (not those of the types nested in it). */
  readonly members: ReadonlyMap<Node, TypeMembers>;
  /** JavaScript: the units that are a variable's value (`const f = () => ...`), with the variable's name. */
  readonly boundNames: ReadonlyMap<Node, string>;
  /**
   * JavaScript: units that are all their statement declares (`export function f`, `export const f = () => ...`),
   * with that statement. Its keywords and name are the unit's own text (UnitSpan), so typing into `export` or
   * `const` changes that unit alone and not the text around every unit.
   */
  readonly statements: ReadonlyMap<Node, Node>;
}

/** A unit and its offsets. */
export interface UnitSpan extends Span {
  readonly node: Node;
}

export interface TypeMembers {
  readonly fields: readonly Node[];
  readonly methods: readonly Node[];
  /** Methods and constructors, in document order. */
  readonly callables: readonly Node[];
}

const NO_MEMBERS: ReadonlyMap<Node, TypeMembers> = new Map();
const NO_NAMES: ReadonlyMap<Node, string> = new Map();
const NO_STATEMENTS: ReadonlyMap<Node, Node> = new Map();

const JAVA_UNITS = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'static_initializer', 'block']);
const JAVA_TYPES = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']);

export function javaStructure(root: Node): FileStructure {
  const units: Node[] = [];
  const skeleton: Node[] = [];
  const types: Node[] = [];
  const members = new Map<Node, TypeMembers>();
  const visit = (container: Node, nesting: number, own?: { fields: Node[]; methods: Node[]; callables: Node[] }) => {
    for (const child of container.namedChildren) {
      if (!child) continue;
      const type = child.type;
      if (JAVA_UNITS.has(type)) {
        units.push(child);
        if (type === 'method_declaration') own?.methods.push(child);
        if (type === 'method_declaration' || type === 'constructor_declaration') own?.callables.push(child);
      } else if (JAVA_TYPES.has(type) && nesting < MAX_NESTING) {
        const body = child.childForFieldName('body');
        types.push(child);
        const declared = { fields: [], methods: [], callables: [] };
        members.set(child, declared);
        if (body) visit(body, nesting + 1, declared);
      } else if (type === 'enum_body_declarations' && nesting < MAX_NESTING) visit(child, nesting + 1);
      else if (type !== 'line_comment' && type !== 'block_comment') {
        skeleton.push(child);
        if (type === 'field_declaration') own?.fields.push(child);
      }
    }
  };
  visit(root, 0);
  return { units, skeleton, types, members, boundNames: NO_NAMES, statements: NO_STATEMENTS };
}

export function jsStructure(topLevel: readonly Node[], types: readonly string[], dialect: Dialect): FileStructure {
  const units: Node[] = [];
  const skeleton: Node[] = [];
  const boundNames = new Map<Node, string>();
  const statements = new Map<Node, Node>();
  const isFunction = (n: Node | null | undefined): n is Node => !!n && dialect.functionTypes.has(n.type);
  // `outer`: the export statement around `statement`, whose keyword a unit it declares alone takes as its own text.
  const visit = (statement: Node, type: string, outer?: Node) => {
    switch (type) {
      case 'function_declaration':
      case 'generator_function_declaration':
        units.push(statement);
        if (outer) statements.set(statement, outer);
        return;
      case 'export_statement': {
        const declaration = statement.childForFieldName('declaration') ?? statement.childForFieldName('value');
        const declared = declaration?.type ?? '';
        if (declaration && (dialect.functionTypes.has(declared) || /class|declaration/.test(declared))) visit(declaration, declared, statement);
        else skeleton.push(statement);
        return;
      }
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class': {
        for (const member of statement.childForFieldName('body')?.namedChildren ?? []) {
          if (!member) continue;
          // A method has no value to read (each read is a call into WebAssembly; a class may have hundreds).
          if (member.type === 'method_definition') {
            units.push(member);
            continue;
          }
          const value = member.childForFieldName('value');
          if (isFunction(value)) units.push(value);
          else skeleton.push(member);
        }
        return;
      }
      case 'lexical_declaration':
      case 'variable_declaration': {
        const declarators = statement.namedChildren;
        for (const declarator of declarators) {
          if (!declarator) continue;
          const value = declarator.childForFieldName('value');
          if (isFunction(value)) {
            units.push(value);
            boundNames.set(value, declarator.childForFieldName('name')?.text ?? '');
            // `const f = () => ...`, alone in its statement: a `let` or `var` stays context (module-variables reads them).
            if (declarators.length === 1 && statement.child(0)?.type === 'const') statements.set(value, outer ?? statement);
          } else skeleton.push(declarator);
        }
        return;
      }
      case 'expression_statement': {
        // app.get('/path', async (req, res) => { ... }): the callbacks are units, the registration is skeleton.
        const call = statement.namedChildren[0];
        const args = call?.type === 'call_expression' ? call.childForFieldName('arguments') : null;
        for (const arg of args?.namedChildren ?? []) if (isFunction(arg)) units.push(arg);
        skeleton.push(statement);
        return;
      }
      case 'comment':
        return;
      default:
        skeleton.push(statement);
    }
  };
  topLevel.forEach((statement, i) => visit(statement, types[i]));
  return { units: inDocumentOrder(units), skeleton, types: [], members: NO_MEMBERS, boundNames, statements };
}

/**
 * `nodes` in document order (by start, an enclosing node before what it encloses), each position read once: a read
 * is a call into WebAssembly, too many for a sort's comparisons.
 */
export function inDocumentOrder(nodes: readonly Node[]): Node[] {
  const starts = nodes.map((node) => ({ node, start: node.startIndex }));
  // Ends are read only for nodes that start together (never for units, which are disjoint).
  const before = (a: { node: Node; start: number }, b: { node: Node; start: number }) => a.start - b.start || b.node.endIndex - a.node.endIndex;
  if (starts.every((s, k) => k === 0 || before(starts[k - 1], s) <= 0)) return [...nodes];
  return starts.sort(before).map(({ node }) => node);
}
