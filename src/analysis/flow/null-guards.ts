// Where a Java value is known to hold something: the right side of `x != null &&` or `x == null ||`, and what
// follows `if (x == null) return;` or `if (StringUtils.isBlank(x)) continue;`. A string method called there cannot
// throw, so it leaves no exception path open (flow/paths.ts).
import type { Node } from 'web-tree-sitter';
import type { Dialect } from '../syntax/dialect';

/**
 * `name != null && <node>`, `name == null || <node>` (or `null != name`...), the node perhaps a chain on it
 * (`url == null || url.trim().isEmpty()`): the right side runs only when `name` holds something.
 */
export function checkedNotNull(name: string, node: Node, fn: Node, dialect: Dialect): boolean {
  let top = node;
  while (top.parent && dialect.callTypes.has(top.parent.type) && dialect.call(top.parent)?.receiver?.equals(top)) top = top.parent;
  for (let n: Node = top, parent = n.parent; parent && parent.type === 'binary_expression'; n = parent, parent = n.parent) {
    const operator = parent.childForFieldName('operator')?.text;
    if ((operator !== '&&' && operator !== '||') || !parent.childForFieldName('right')?.equals(n)) continue;
    const left = parent.childForFieldName('left')?.text.replace(/\s+/g, '') ?? '';
    const test = operator === '&&' ? '!=' : '==';
    if (left === `${name}${test}null` || left === `null${test}${name}`) return true;
  }
  return leftWhenNull(name, node, fn, dialect);
}

/**
 * `if (StringUtils.isBlank(url)) continue; ... url.trim()`, `if (name == null) return;`: an earlier statement of an
 * enclosing block leaves when `name` is null (or blank), so here it holds something (ranger's ElasticsearchClient).
 */
function leftWhenNull(name: string, node: Node, fn: Node, dialect: Dialect): boolean {
  const tests = [`${name}==null`, `null==${name}`, ...NULL_OR_BLANK.map((test) => `${test}(${name})`)];
  for (let n = node.parent, child: Node = node; n && !n.equals(fn); child = n, n = n.parent) {
    const block = dialect.statement(n);
    if (block.kind !== 'block') continue;
    for (const before of block.statements) {
      if (before.startIndex >= child.startIndex) break;
      const s = dialect.statement(before);
      if (s.kind !== 'if' || s.alternative || !exits(s.consequence)) continue;
      const condition = s.condition.text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
      if (condition.split('||').some((term) => tests.includes(term))) return true;
    }
  }
  return false;
}

/** Null-or-blank tests of a string by the usual utilities. */
const NULL_OR_BLANK = ['StringUtils.isBlank', 'StringUtils.isEmpty', 'Strings.isNullOrEmpty', 'Strings.isBlank', 'Strings.isEmpty', 'ObjectUtils.isEmpty'];

/** A Java statement that leaves its block (`continue;`, `return x;`, or a block that ends with one). */
export function exits(statement: Node | null): boolean {
  if (!statement) return false;
  if (/^(continue_statement|return_statement|break_statement|throw_statement)$/.test(statement.type)) return true;
  if (statement.type !== 'block') return false;
  const last = statement.namedChildren.filter((c) => c && !/comment$/.test(c.type)).at(-1);
  return !!last && exits(last);
}
