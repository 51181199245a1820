// Constant evaluation of string and number expressions, as far as one file and the workspace configuration let us
// see: literals, concatenation, template literals, String.format, constants and fields, `@Value("${...}")`
// properties and `process.env.X || 'default'`. What cannot be known becomes the UNKNOWN character, so a URL like
// "http://localhost:8080/docs/" + id still shows its scheme, host and port.
import type { Node } from 'web-tree-sitter';
import { propertyValue, resolvePlaceholders, type WorkspaceFacts } from '../facts/workspace';
import type { FileModel } from '../model';
import { callsOwnCode } from '../syntax/dialect';
import { unescapeJs } from '../syntax/javascript';

export const UNKNOWN = '\uFFFF';

export interface Evaluation {
  readonly text: string;
  /** Set when the value is a number we know. */
  readonly number?: number;
}

const unknown: Evaluation = { text: UNKNOWN };
const MAX_DEPTH = 12;

export function isKnown(value: Evaluation): boolean {
  return !value.text.includes(UNKNOWN);
}

function text(t: string): Evaluation {
  const n = /^\d+$/.test(t) ? Number(t) : undefined;
  return n === undefined ? { text: t } : { text: t, number: n };
}

export class Evaluator {
  constructor(
    private readonly model: FileModel,
    private readonly facts: WorkspaceFacts,
  ) {}

  evaluate(expr: Node, depth = 0): Evaluation {
    if (depth > MAX_DEPTH) return unknown;
    this.model.checkDeadline();
    const { dialect } = this.model;
    const node = dialect.unwrap(expr);
    const literal = dialect.stringLiteral(node);
    if (literal !== undefined) return { text: literal };
    const number = dialect.numberLiteral(node);
    if (number !== undefined) return { text: String(number), number };
    switch (node.type) {
      case 'template_string':
        return this.template(node, depth);
      case 'binary_expression':
        return this.binary(node, depth);
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.variable(node, depth);
      case 'field_access':
      case 'member_expression':
        return this.member(node, depth);
      case 'method_invocation':
      case 'call_expression':
      case 'object_creation_expression':
      case 'new_expression':
        return this.call(node, depth);
    }
    return unknown;
  }

  private template(node: Node, depth: number): Evaluation {
    let out = '';
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'string_fragment') out += child.text;
      else if (child.type === 'template_substitution') {
        const inner = child.namedChildren[0];
        out += inner ? this.evaluate(inner, depth + 1).text : UNKNOWN;
      } else if (child.type === 'escape_sequence') out += unescapeJs(child.text);
    }
    return { text: out };
  }

  private binary(node: Node, depth: number): Evaluation {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.text ?? node.children.find((c) => c && !c.isNamed)?.text;
    if (!left || !right) return unknown;
    if (operator === '||' || operator === '??') {
      // `process.env.PORT || 3000`: the configured value when we know it, the fallback otherwise.
      const first = this.evaluate(left, depth + 1);
      return isKnown(first) && first.text !== '' ? first : this.evaluate(right, depth + 1);
    }
    if (operator !== '+') return unknown;
    const a = this.evaluate(left, depth + 1);
    const b = this.evaluate(right, depth + 1);
    if (a.number !== undefined && b.number !== undefined && !this.isStringy(left) && !this.isStringy(right)) {
      return text(String(a.number + b.number));
    }
    return { text: a.text + b.text };
  }

  private isStringy(node: Node): boolean {
    const n = this.model.dialect.unwrap(node);
    return n.type === 'string' || n.type === 'string_literal' || n.type === 'template_string';
  }

  private variable(node: Node, depth: number): Evaluation {
    const name = node.text;
    const declarator = this.declaratorOf(name, node);
    if (!declarator) return this.parameter(node, depth);
    const value = declarator.childForFieldName('value');
    if (value) return this.evaluate(value, depth + 1);
    // A Spring field without initializer: `@Value("${app.base-url}") private String baseUrl;`
    const injected = this.valueAnnotation(declarator.parent);
    return injected ?? unknown;
  }

  /**
   * A parameter of the enclosing method, valued from the method's call sites in the same file: `fetch(url)` called
   * as `fetch(DOCUMENT_ROOT + id)`. The first call site that yields a URL-like value (or any known value) wins.
   */
  private parameter(node: Node, depth: number): Evaluation {
    const fn = this.model.functionOf(node);
    if (!fn || depth > MAX_DEPTH / 2) return unknown;
    const index = this.model.dialect.parameterNames(fn).indexOf(node.text);
    const name = fn.childForFieldName('name')?.text;
    if (index < 0 || !name) return unknown;
    let best: Evaluation = unknown;
    for (const { node: site, call: c } of this.model.callsNamed(name)) {
      if (c.kind !== 'call' || !c.args[index] || !callsOwnCode(c)) continue;
      if (fn.equals(this.model.functionOf(site) ?? fn) && site.startIndex >= fn.startIndex && site.endIndex <= fn.endIndex) continue;
      const value = this.evaluate(c.args[index], depth + 2);
      if (/^[a-z][\w+.-]*:\/\//i.test(value.text) || isKnown(value)) return value;
      if (best === unknown) best = value;
    }
    return best;
  }

  private declaratorOf(name: string, at: Node): Node | undefined {
    return this.model.declaratorOf(name, at);
  }

  private valueAnnotation(declaration: Node | null): Evaluation | undefined {
    const modifiers = declaration?.namedChildren.find((c) => c?.type === 'modifiers');
    for (const m of modifiers?.namedChildren ?? []) {
      if (m?.type !== 'annotation' || !/(^|\.)Value$/.test(m.childForFieldName('name')?.text ?? '')) continue;
      const arg = m.childForFieldName('arguments')?.namedChildren[0];
      const expression = arg ? this.model.dialect.stringLiteral(arg) : undefined;
      if (expression !== undefined) return text(this.resolveProperty(expression));
    }
    return undefined;
  }

  /** `${server.port}` or `${PORT:8080}` against the workspace configuration. */
  resolveProperty(expression: string): string {
    return resolvePlaceholders(expression, (key) => propertyValue(this.facts, this.model.file.path, key));
  }

  private member(node: Node, depth: number): Evaluation {
    const object = node.childForFieldName('object');
    const property = (node.childForFieldName('property') ?? node.childForFieldName('field'))?.text;
    if (!object || !property) return unknown;
    if (object.text.replace(/\s+/g, '') === 'process.env') {
      const value = propertyValue(this.facts, this.model.file.path, property);
      return value === undefined ? unknown : text(value);
    }
    if (object.type === 'this') {
      const declarator = this.declaratorOf(property, this.model.root);
      if (declarator) {
        const value = declarator.childForFieldName('value');
        return value ? this.evaluate(value, depth + 1) : (this.valueAnnotation(declarator.parent) ?? unknown);
      }
      return this.constructorAssignment(property, depth);
    }
    // A constant of this file's own class: `Endpoints.BASE` with `static final String BASE = ...`.
    if (/^[A-Z]/.test(object.text) && this.model.isJava) {
      const declarator = this.declaratorOf(property, this.model.root);
      const value = declarator?.childForFieldName('value');
      if (value) return this.evaluate(value, depth + 1);
    }
    return unknown;
  }

  /** `this.baseUrl = baseUrl` in a constructor whose parameter carries `@Value("${...}")`. */
  private constructorAssignment(field: string, depth: number): Evaluation {
    // Java only (`constructor_declaration`): in a JavaScript bundle the search would walk megabytes for nothing.
    if (!this.model.isJava) return unknown;
    for (const ctor of this.model.root.descendantsOfType(['constructor_declaration'])) {
      const params = ctor?.childForFieldName('parameters');
      for (const assignment of ctor?.descendantsOfType('assignment_expression') ?? []) {
        if (!assignment || assignment.childForFieldName('left')?.text.replace(/\s+/g, '') !== `this.${field}`) continue;
        const right = assignment.childForFieldName('right');
        if (!right) continue;
        const param = params?.namedChildren.find((p) => p?.childForFieldName('name')?.text === right.text);
        const injected = param ? this.valueAnnotation(param) : undefined;
        return injected ?? (right.type === 'identifier' && !param ? this.evaluate(right, depth + 1) : unknown);
      }
    }
    return unknown;
  }

  private call(node: Node, depth: number): Evaluation {
    const { dialect } = this.model;
    const c = dialect.call(node);
    if (!c) return unknown;
    const receiver = c.receiver ? dialect.unwrap(c.receiver).text : '';
    const arg = (i: number) => (c.args[i] ? this.evaluate(c.args[i], depth + 1) : unknown);
    if (c.kind === 'new') {
      if (c.name === 'URL' && c.args.length === 2 && !this.model.isJava) {
        const path = arg(0);
        return /^[a-z][\w+.-]*:/i.test(path.text) ? path : { text: arg(1).text.replace(/\/$/, '') + (path.text.startsWith('/') ? path.text : `/${path.text}`) };
      }
      if (/^(URL|URI|StringBuilder|StringBuffer|String)$/.test(c.name) && c.args.length >= 1) return arg(0);
      return c.name === 'StringBuilder' || c.name === 'StringBuffer' ? { text: '' } : unknown;
    }
    switch (c.name) {
      case 'format':
        if (receiver === 'String' && c.args.length >= 1) return this.format(c.args, depth);
        break;
      case 'formatted':
        if (c.receiver) return this.format([c.receiver, ...c.args], depth);
        break;
      case 'valueOf':
      case 'toString':
        if (c.args.length === 1 && /^(String|Integer|Long)$/.test(receiver)) return arg(0);
        if (c.args.length === 0 && c.receiver) return this.evaluate(c.receiver, depth + 1);
        break;
      case 'Number':
      case 'String':
      case 'parseInt':
      case 'parseFloat':
        if (!c.receiver || /^(Number|Integer|Long)$/.test(receiver)) {
          const v = arg(0);
          return isKnown(v) && /^\d+/.test(v.text) ? text(String(parseInt(v.text, 10))) : v;
        }
        break;
      case 'create':
        if (receiver === 'URI') return arg(0);
        break;
      case 'toURL':
      case 'toURI':
      case 'trim':
      case 'toUriString':
      case 'build':
        if (c.receiver) return this.evaluate(c.receiver, depth + 1);
        break;
      case 'append':
      case 'concat':
        if (c.receiver && c.args.length === 1) return { text: this.evaluate(c.receiver, depth + 1).text + arg(0).text };
        break;
      case 'fromHttpUrl':
      case 'fromUriString':
        return arg(0);
      case 'path':
        if (c.receiver && c.args.length === 1) return { text: this.evaluate(c.receiver, depth + 1).text + arg(0).text };
        break;
      case 'getProperty':
      case 'getenv':
        if (c.args.length >= 1 && /^(System|env|environment)$/.test(receiver)) {
          const key = arg(0);
          const value = isKnown(key) ? propertyValue(this.facts, this.model.file.path, key.text) : undefined;
          return value !== undefined ? text(value) : c.args.length >= 2 ? arg(1) : unknown;
        }
        break;
    }
    return unknown;
  }

  /** `String.format("http://%s:%d/x", host, port)`. */
  private format(args: readonly Node[], depth: number): Evaluation {
    const pattern = this.evaluate(args[0], depth + 1).text;
    let next = 1;
    const out = pattern.replace(/%(\d+\$)?[-#+ 0,(]*\d*(?:\.\d+)?([sdxXfn%])/g, (_, position: string | undefined, conversion: string) => {
      if (conversion === '%') return '%';
      if (conversion === 'n') return '\n';
      const index = position ? parseInt(position, 10) : next++;
      return args[index] ? this.evaluate(args[index], depth + 1).text : UNKNOWN;
    });
    return { text: out };
  }
}
