// The workspace's own resource factories: methods and exported functions that create a socket, client, connection
// or response and hand it to their callers (shenyu's `HttpUtils.requestCall(...)` returning an OkHttp Response).
// Where they are called, in other files, the call acquires what they return (catalog/resource-factories.ts), as a
// call of a same-file helper does (flow/helpers.ts, whose summaries these are).
import type { Node } from 'web-tree-sitter';
import { kindKey } from '../catalog/resources';
import { returnedResource } from '../flow/helpers';
import type { FileModel } from '../model';
import { javaPackageOf, JS_EXPORTS, jsExports, jsModuleNames } from './client-wrappers';
import { enclosingClass } from './handler-callees';
import type { Declaration } from './workspace';

/** Cheap pre-filters, before anything is parsed: a Java method returning a resource type, a call that acquires one. */
const JAVA_RETURNS = /\b(Socket|SSLSocket|SocketChannel|Response|CloseableHttpResponse|ClassicHttpResponse|HttpResponse|CloseableHttpClient|Client|HttpURLConnection|URLConnection|HttpClient)\s*(<[^<>;]*>)?\s+\w+\s*\(/;
const JAVA_ACQUIRES =
  /\bnew\s+(SSL|Server)?Socket\s*\(|\b(SocketChannel|ServerSocketChannel|Selector|AsynchronousSocketChannel)\.open\s*\(|\.(execute|executeOpen|createSocket|accept|openConnection|newCall|sendAsync|send)\s*\(|\b(HttpClients|HttpClientBuilder|ClientBuilder|HttpClient)\.(new|create|custom)\w*\s*\(/;
const JS_ACQUIRES =
  /\b(fetch|connect|createConnection|connectOverCDP)\s*\(|\bhttps?\.(get|request)\s*\(|\.stream\s*\(|\bnew\s+(\w+\.)?(WebSocket|Socket|TLSSocket)\s*\(|\bundici\b|responseType/;

/** True when a source of that language can declare a factory (checked before anything is parsed). */
export function mayDeclareFactory(language: 'java' | 'js', text: string): boolean {
  return language === 'java' ? JAVA_RETURNS.test(text) && JAVA_ACQUIRES.test(text) : JS_EXPORTS.test(text) && JS_ACQUIRES.test(text);
}

/** A method or exported function of the workspace that returns a fresh resource on every path that returns one. */
export interface ResourceFactory extends Declaration {
  readonly language: 'java' | 'js';
  /** Java: the declaring class, fully qualified; JS: the module's file without its extension. */
  readonly owner: string;
  /** The method or export name callers use. */
  readonly name: string;
  /** Java: its number of parameters (an overload of another arity is another method). */
  readonly arity?: number;
  /** For messages: `HttpUtils.requestCall`, `client.openSocket`. */
  readonly label: string;
  /** What it returns, as a catalogue key (catalog/resources.ts kindKey). */
  readonly kind: string;
  /** False when the resource it returns was only guessed (a name without an import). */
  readonly certain: boolean;
}

/** The factories a parsed production source declares. */
export function resourceFactoriesOf(model: FileModel): ResourceFactory[] {
  if (!mayDeclareFactory(model.isJava ? 'java' : 'js', model.file.text)) return [];
  return model.isJava ? javaFactories(model) : jsFactories(model);
}

function factory(fn: Node, model: FileModel, fields: Pick<ResourceFactory, 'language' | 'owner' | 'name' | 'arity' | 'label'>): ResourceFactory | undefined {
  const returned = returnedResource(fn, model);
  const kind = returned && kindKey(returned.kind);
  if (!returned || !kind) return undefined;
  const line = (fn.childForFieldName('name') ?? fn).startPosition.row + 1;
  return { ...fields, kind, certain: returned.certainty.confidence === 'certain', file: model.file.path, line };
}

/** Methods (not private) whose every same-name overload of the same arity is a factory: callers cannot tell them apart. */
function javaFactories(model: FileModel): ResourceFactory[] {
  const pkg = javaPackageOf(model);
  const groups = new Map<string, (ResourceFactory | undefined)[]>();
  for (const method of model.root.descendantsOfType('method_declaration')) {
    if (!method || !method.childForFieldName('body')) continue;
    const modifiers = method.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
    const name = method.childForFieldName('name')?.text;
    const owner = enclosingClass(method);
    if (/\bprivate\b/.test(modifiers) || !name || !owner) continue;
    const arity = model.dialect.parameterNames(method).length;
    const key = `${owner}.${name}/${arity}`;
    const returnType = method.childForFieldName('type')?.text ?? '';
    // Most methods return something else: the textual test spares their summaries.
    const candidate = JAVA_RETURNS.test(`${returnType} ${name}(`) ? factory(method, model, { language: 'java', owner: pkg ? `${pkg}.${owner}` : owner, name, arity, label: `${owner}.${name}` }) : undefined;
    groups.set(key, [...(groups.get(key) ?? []), candidate]);
  }
  return [...groups.values()].filter((g) => g.every((f) => !!f)).map((g) => g[0]!);
}

function jsFactories(model: FileModel): ResourceFactory[] {
  const { module, base } = jsModuleNames(model.file.path);
  const out: ResourceFactory[] = [];
  for (const { name, fn } of jsExports(model)) {
    const found = factory(fn, model, { language: 'js', owner: module, name, label: `${base}.${name}` });
    if (found) out.push(found);
  }
  return out;
}
