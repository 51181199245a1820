// Code that runs only on a developer's machine: the branch of `if (process.env.NODE_ENV === 'development')` (or
// `!== 'production'`, or the else of `=== 'production'`). TryGhost's ActivityPub proxies a local storage emulator
// there. A stall or a leak in it never reaches production: strict only.
import type { Node } from 'web-tree-sitter';
import { possible, type Certainty } from '../catalog/certainty';
import type { FileModel } from '../model';

const ENV = String.raw`process\.env(?:\.NODE_ENV|\[['"]NODE_ENV['"]\])`;
const DEVELOPMENT = String.raw`['"\`](?:development|dev|test|local)['"\`]`;
const PRODUCTION = String.raw`['"\`](?:production|prod)['"\`]`;
/** Conditions true only outside production. */
const OUTSIDE_PRODUCTION = new RegExp(String.raw`^(?:${ENV}===?${DEVELOPMENT}|${DEVELOPMENT}===?${ENV}|${ENV}!==?${PRODUCTION}|${PRODUCTION}!==?${ENV})$`);
/** Conditions true only in production: their else branch runs outside it. */
const IN_PRODUCTION = new RegExp(String.raw`^(?:${ENV}===?${PRODUCTION}|${PRODUCTION}===?${ENV})$`);

export function unlessDevelopmentOnly(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || model.isJava || !outsideProductionOnly(node)) return certainty;
  return possible(`${certainty.basis}; in code that runs only when NODE_ENV is not production`);
}

function outsideProductionOnly(node: Node): boolean {
  for (let child = node, n = node.parent; n; child = n, n = n.parent) {
    if (n.type !== 'if_statement') continue;
    const condition = n.childForFieldName('condition')?.text.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1') ?? '';
    const consequence = n.childForFieldName('consequence');
    const alternative = n.childForFieldName('alternative');
    if (consequence?.equals(child) && OUTSIDE_PRODUCTION.test(condition)) return true;
    if (alternative?.equals(child) && IN_PRODUCTION.test(condition)) return true;
  }
  return false;
}
