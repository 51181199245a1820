// Requests to the application's own deployment: `fetch(`${process.env.NEXTAUTH_URL}/api/revalidate`)`, a Next.js
// route calling another route of the same app, a background task calling the app's internal API. A stall there means
// the app itself is down, which a timeout on this call does not cure; on real code (papermark, documenso) no
// maintainer took these for worth a change, so they are strict only.
import type { Node } from 'web-tree-sitter';
import { possible, type Certainty } from '../catalog/certainty';
import type { FileModel } from '../model';
import { initializerOf } from './configuration';

/**
 * Environment variables that hold the app's own origin by convention: NextAuth's canonical URL, Vercel's deployment
 * URL and Next.js apps' base, app, site, server and web-app URLs (not an API's or a webhook's: those may be other
 * services).
 */
const OWN_ORIGIN = /^(?:NEXTAUTH_URL(?:_INTERNAL)?|(?:NEXT_PUBLIC_)?VERCEL_(?:PROJECT_PRODUCTION_|BRANCH_)?URL|NEXT_(?:PUBLIC|PRIVATE)_(?:INTERNAL_)?(?:BASE|APP|SITE|SERVER|WEBAPP|WEB_APP)_URL)$/;

/** The own-origin variable a URL expression starts with: directly, in a template or a `+`, or through a constant. */
function ownOriginVariable(url: Node, model: FileModel, depth: number): string | undefined {
  let node = model.dialect.unwrap(url);
  if (node.type === 'template_string') {
    const first = node.namedChildren[0];
    if (first?.type !== 'template_substitution' || first.startIndex !== node.startIndex + 1) return undefined;
    node = first.namedChildren[0] ?? node;
  }
  while (node.type === 'binary_expression' && /^(\+|\|\||\?\?)$/.test(node.childForFieldName('operator')?.text ?? '')) {
    node = model.dialect.unwrap(node.childForFieldName('left') ?? node);
  }
  if (node.type === 'identifier' && depth < 2) {
    const init = initializerOf(node.text, node, model);
    return init ? ownOriginVariable(init, model, depth + 1) : undefined;
  }
  const name = /^process\.env\.(\w+)$/.exec(node.text)?.[1];
  return name && OWN_ORIGIN.test(name) ? name : undefined;
}

/** Possible when the JavaScript request at `node` goes to the app's own origin (see OWN_ORIGIN). */
export function unlessOwnOrigin(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || model.isJava) return certainty;
  const url = model.dialect.call(node)?.args[0];
  const variable = url && ownOriginVariable(url, model, 0);
  return variable ? possible(`${certainty.basis}; a request to the app's own deployment (process.env.${variable})`) : certainty;
}
