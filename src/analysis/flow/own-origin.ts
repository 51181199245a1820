// Requests to the application's own deployment: `fetch(`${process.env.NEXTAUTH_URL}/api/revalidate`)`, a Next.js
// route calling another route of the same app, a background task calling the app's internal API. A stall there means
// the app itself is down, which a timeout on this call does not cure; on real code (papermark, documenso) no
// maintainer took these for worth a change, so they are strict only. So are requests to this machine (a loopback
// URL): the app's own server or a sidecar beside it (OpenSign's Parse Server calling its own REST API).
import type { Node } from 'web-tree-sitter';
import { possible, type Certainty } from '../catalog/certainty';
import type { FileModel } from '../model';
import { initializerOf } from './configuration';
import { objectProperty } from '../syntax/javascript';
import { projectOf, type WorkspaceFacts } from '../facts/workspace';

/**
 * Environment variables that hold the app's own origin by convention: NextAuth's canonical URL, Vercel's deployment
 * URL and Next.js apps' base, app, site, server and web-app URLs (not an API's or a webhook's: those may be other
 * services).
 */
const OWN_ORIGIN = /^(?:NEXTAUTH_URL(?:_INTERNAL)?|(?:NEXT_PUBLIC_)?VERCEL_(?:PROJECT_PRODUCTION_|BRANCH_)?URL|NEXT_(?:PUBLIC|PRIVATE)_(?:INTERNAL_)?(?:BASE|APP|SITE|SERVER|WEBAPP|WEB_APP)_URL)$/;

/** The host of a URL of this machine, as this check and the workspace's loopback constants (facts) read it. */
export const LOOPBACK_HOST = String.raw`(?:localhost|127\.0\.0\.1|\[::1\])`;

/** `http://localhost:8080/app`, `http://127.0.0.1:3001`: a URL of this machine. */
const LOOPBACK_URL = new RegExp(`^['"\`]https?://${LOOPBACK_HOST}(?=[:/'"\`$])`);

/**
 * Where a URL expression says it goes, when that is the app itself: the own-origin variable it starts with, or this
 * machine (a loopback URL, written here or in a constant another module of the project exports), directly, in a
 * template or a `+`, or through a constant.
 */
function ownOrigin(url: Node, model: FileModel, facts: WorkspaceFacts, depth: number): string | undefined {
  let node = model.dialect.unwrap(url);
  const loopback = LOOPBACK_URL.exec(node.text);
  if (loopback && /^(string|template_string)$/.test(node.type)) return `this machine (${loopback[0].slice(1)})`;
  if (node.type === 'template_string') {
    const first = node.namedChildren[0];
    if (first?.type !== 'template_substitution' || first.startIndex !== node.startIndex + 1) return undefined;
    node = first.namedChildren[0] ?? node;
  }
  while (node.type === 'binary_expression' && /^(\+|\|\||\?\?)$/.test(node.childForFieldName('operator')?.text ?? '')) {
    node = model.dialect.unwrap(node.childForFieldName('left') ?? node);
  }
  // A few steps: OpenSign's `docUrl` is `${serverUrl}/classes/...`, `serverUrl` the imported `cloudServerUrl`.
  if ((node.type === 'identifier' || node.type === 'shorthand_property_identifier') && depth < 4) {
    const init = initializerOf(node.text, node, model);
    return init ? ownOrigin(init, model, facts, depth + 1) : importedLoopback(node.text, model, facts);
  }
  const name = /^process\.env\.(\w+)$/.exec(node.text)?.[1];
  return name && OWN_ORIGIN.test(name) ? `process.env.${name}` : undefined;
}

/**
 * `import { cloudServerUrl } from '../Utils.js'` (or a destructured require) of a constant that a module of the same
 * project exports with a loopback URL (OpenSign's Parse Server calling its own REST API at localhost:8080).
 */
function importedLoopback(name: string, model: FileModel, facts: WorkspaceFacts): string | undefined {
  const project = projectOf(facts, model.file.path);
  const declared = facts.loopbackConstants.find((c) => c.name === name && c.project === project && c.file !== model.file.path);
  if (!declared) return undefined;
  return model.jsModules.binding(name)?.member === name ? `this machine (${name}, ${declared.file}:${declared.line})` : undefined;
}

/** `axios.post('batch', body, { baseURL: cloudServerUrl })`: a config, written in place or in a constant, whose base URL is the app's own. */
function baseUrlOrigin(args: readonly Node[], model: FileModel, facts: WorkspaceFacts): string | undefined {
  for (const arg of args) {
    const config = arg.type === 'identifier' ? initializerOf(arg.text, arg, model) : arg;
    const base = config?.type === 'object' ? objectProperty(config, 'baseURL') : undefined;
    const origin = base && ownOrigin(base, model, facts, 1);
    if (origin) return origin;
  }
  return undefined;
}

/** Possible when the JavaScript request at `node` goes to the app's own origin (see OWN_ORIGIN) or to this machine. */
export function unlessOwnOrigin(node: Node, model: FileModel, facts: WorkspaceFacts, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || model.isJava) return certainty;
  const args = model.dialect.call(node)?.args ?? [];
  // `axios({ method: 'POST', url })`: the URL is the config's.
  const url = args[0]?.type === 'object' ? objectProperty(args[0], 'url') : args[0];
  const origin = (url && ownOrigin(url, model, facts, 0)) ?? baseUrlOrigin(args, model, facts);
  return origin ? possible(`${certainty.basis}; a request to the app's own deployment (${origin})`) : certainty;
}
