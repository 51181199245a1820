// Which Java calls a catalogue can match at all, as a test on the file's text: a file that calls none of them cannot
// hold a finding of that catalogue, so its calls need not be listed and read (most files of a big Java repository
// never acquire a socket or build a client). The test passes every file where some call or construction bears one of
// the names, whatever stands between the name and its `(` (whitespace, comments, type arguments).
import type { WorkspaceFacts } from '../facts/workspace';
import { MENTIONS_HUTOOL_HTTP } from './hutool-timeouts';

/** Names the Java catalogues match by (see java-acquisitions.ts and java-timeouts.ts; Hutool's by MENTIONS_HUTOOL_HTTP). */
const ACQUIRING = [
  // constructions (the simple name of the type: the imports resolve the rest)
  'Socket', 'ServerSocket', 'DatagramSocket', 'MulticastSocket', 'DefaultHttpClient', 'SystemDefaultHttpClient', 'Jedis',
  // calls
  'getResource', 'open', 'createSocket', 'createServerSocket', 'accept', 'openConnection', 'createDefault', 'createSystem', 'createMinimal',
  'build', 'newHttpClient', 'newClient', 'createClient', 'execute', 'executeOpen', 'executeAsync', 'enqueue', 'proceed', 'send',
];
const TIMED = [
  'Socket', 'DefaultHttpClient', 'SystemDefaultHttpClient', 'RestTemplate', 'OAuth2RestTemplate',
  'createSocket', 'openConnection', 'openStream', 'createDefault', 'createSystem', 'createMinimal', 'build', 'newHttpClient', 'newClient',
];

/**
 * `name(`, `name (`, `name/* c *\/(`, `Name<>(`: a call or construction of one of `names` as Java may spell it. What
 * stands between the name and its `(` is matched once, as far as it goes, and never taken apart again: `(?=(gap))\1`
 * is an atomic group. Backtracking into it is exponential, since a gap splits many ways (a line of slashes into
 * `//` comments, `<A> <B>` into one or two type argument lists): `// end of execute` above a banner of 88 slashes
 * held a scan of apache/kylin for good. The price is a `>` in a comment after type arguments (`build<T> /* > *\/ (`),
 * which no code writes.
 */
function callOf(names: readonly string[]): RegExp {
  const escaped = names.map((n) => n.replace(/\$/g, '\\$'));
  return new RegExp(String.raw`(?<![\w$])(?:${escaped.join('|')})(?=((?:\s|/\*[\s\S]*?\*/|//[^\n]*|<[^(){};]*>)*))\1\(`);
}

const ACQUIRING_CALL = callOf(ACQUIRING);
const TIMED_CALL = callOf(TIMED);
/** As java-acquisitions.ts' mayInvokeJaxrs: with it, the HTTP verbs (`get()`, `post(...)`) may return a Response. */
export const MENTIONS_JAXRS = /Invocation|SyncInvoker|\.\s*request\s*\(/;

/** The same test for the names the workspace facts add (its factories, its HTTP wrappers), by their list. */
const byList = new WeakMap<readonly { readonly name: string }[], RegExp>();
function callsOneOf(list: readonly { readonly name: string }[], text: string): boolean {
  if (list.length === 0) return false;
  let pattern = byList.get(list);
  if (!pattern) byList.set(list, (pattern = callOf([...new Set(list.map((item) => item.name))])));
  return pattern.test(text);
}

/** False when no call of this Java source acquires a resource itself (as acquisitionsAt matches them). */
export function javaMayAcquireItself(text: string): boolean {
  return ACQUIRING_CALL.test(text) || MENTIONS_JAXRS.test(text);
}

/** False when no call of this Java source can acquire a resource, itself, through a same-file helper or a factory. */
export function javaMayAcquire(text: string, facts: WorkspaceFacts): boolean {
  return javaMayAcquireItself(text) || callsOneOf(facts.resourceFactories, text);
}

/** False when no call of this Java source is a client or connection the timeout catalogue judges, or a wrapper of one. */
export function javaMayLackTimeout(text: string, facts: WorkspaceFacts): boolean {
  return TIMED_CALL.test(text) || MENTIONS_HUTOOL_HTTP.test(text) || callsOneOf(facts.clientWrappers, text);
}
