// Servers declared in code: embedded Jetty/Tomcat, the JDK's HttpServer, Spring Boot applications, and Node
// servers that `listen(...)` (Express, Koa, Fastify, Nest, http.createServer).
import type { Node } from 'web-tree-sitter';
import { Evaluator, isKnown } from '../flow/values';
import { LOOPBACK_HOST } from '../flow/own-origin';
import type { FileModel } from '../model';
import { objectProperty } from '../syntax/javascript';
import { clientWrappersOf } from './client-wrappers';
import { resourceFactoriesOf } from './resource-factories';
import { handlerCalleesOf } from './handler-callees';
import type { FileFacts, ListeningPort, LoopbackConstant, TimeoutDefault } from './workspace';
import { NO_FACTS } from './workspace';

/** Cheap pre-filter: only files containing one of these can declare a server. */
export const DECLARES_SERVER = /SpringBootApplication|new\s+Server\s*\(|setPort\s*\(|HttpServer\.create|\.listen\s*\(/;

/** `axios.defaults.timeout = 300 * 1000` (not 0, which means none): every axios call of the process is bounded. */
const AXIOS_DEFAULT_TIMEOUT = /\baxios(?:\.default)?\.defaults\.timeout\s*=(?!=)([^;\n]*)/g;

/** `HttpGlobalConfig.setTimeout(30_000)` (not -1 or 0, which mean none): every Hutool request of the process is bounded. */
const HUTOOL_DEFAULT_TIMEOUT = /\bHttpGlobalConfig\s*\.\s*setTimeout\s*\(([^;\n]*)\)/g;

/**
 * A Spring `@Bean` method that makes the application's RestTemplateBuilder with both timeouts (`return
 * configurer.configure(new RestTemplateBuilder()).connectTimeout(...).readTimeout(...)`): Boot's own builder backs
 * off, and every RestTemplate built from the injected builder is bounded (pagoPA's p4pa-pu-bff).
 */
const REST_TEMPLATE_BUILDER_BEAN = /@Bean\b[^;{}]*?\bRestTemplateBuilder\s+\w+\s*\([^)]*\)\s*\{/g;
const CONNECT_TIMEOUT_SET = /\.\s*(?:set)?[cC]onnectTimeout\s*\(/;
const READ_TIMEOUT_SET = /\.\s*(?:set)?[rR]eadTimeout\s*\(/;

/**
 * `export const cloudServerUrl = 'http://localhost:8080/app'` (or `exports.x = ...`): a module constant holding a
 * URL of this machine, which other modules import to call the app's own server (or a sidecar beside it).
 */
const LOOPBACK_CONSTANT = new RegExp(
  String.raw`^[ \t]*(?:export\s+(?:const|let|var)\s+|(?:module\.)?exports\.)([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*['"\`]https?://${LOOPBACK_HOST}[:/'"\`]`,
  'gm',
);

/** The exported constants of a JavaScript/TypeScript source that hold a loopback URL (see LOOPBACK_CONSTANT). */
export function loopbackConstantsOf(file: string, text: string): LoopbackConstant[] {
  if (!text.includes('://localhost') && !text.includes('://127.0.0.1') && !text.includes('://[::1]')) return [];
  const found: LoopbackConstant[] = [];
  for (const match of text.matchAll(LOOPBACK_CONSTANT)) found.push({ name: match[1], file, line: lineAt(text, match.index) });
  return found;
}

/** The 1-based line of a character index. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Process-wide default timeouts a source sets, read off its text (no parse needed). */
export function timeoutDefaultsOf(file: string, text: string): TimeoutDefault[] {
  const found: TimeoutDefault[] = [];
  const add = (library: TimeoutDefault['library'], pattern: RegExp, none: RegExp) => {
    for (const match of text.matchAll(pattern)) {
      if (!none.test(match[1])) found.push({ library, file, line: lineAt(text, match.index) });
    }
  };
  add('axios', AXIOS_DEFAULT_TIMEOUT, /^\s*(0|undefined|null)?\s*$/);
  add('hutool', HUTOOL_DEFAULT_TIMEOUT, /^\s*(-\s*1|0)?\s*$/);
  if (CONNECT_TIMEOUT_SET.test(text) && READ_TIMEOUT_SET.test(text)) {
    for (const match of text.matchAll(REST_TEMPLATE_BUILDER_BEAN)) found.push({ library: 'spring-rest-template-builder', file, line: lineAt(text, match.index) });
  }
  return found;
}

function port(value: string): number | undefined {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : undefined;
  return n !== undefined && n > 0 && n < 65536 ? n : undefined;
}

function javaFacts(model: FileModel, evaluator: Evaluator): { ports: ListeningPort[]; springBootApplication?: number } {
  const ports: ListeningPort[] = [];
  const file = model.file.path;
  const add = (node: Node, arg: Node | undefined, origin: string) => {
    const value = arg ? evaluator.evaluate(arg) : undefined;
    const p = value && isKnown(value) ? port(value.text) : undefined;
    if (p !== undefined) ports.push({ port: p, origin, contextPath: '', file, line: node.startPosition.row + 1 });
  };
  for (const node of model.root.descendantsOfType([...model.dialect.callTypes])) {
    const c = node && model.dialect.call(node);
    if (!c || !node) continue;
    if (c.kind === 'new' && c.name === 'Server' && c.args.length === 1) add(node, c.args[0], 'Jetty new Server(...)');
    else if (c.kind === 'call' && c.name === 'setPort' && c.args.length === 1 && c.receiver) {
      const receiverType = model.javaTypes.typeOf(c.receiver, model.functionOf(node)) ?? c.receiver.text;
      if (/connector|tomcat|factory|server/i.test(receiverType)) add(node, c.args[0], `${receiverType.replace(/^.*\./, '')}.setPort(...)`);
    } else if (c.kind === 'call' && c.name === 'create' && /(^|\.)HttpServer$/.test(c.receiver?.text ?? '') && c.args[0]) {
      const address = model.dialect.call(model.dialect.unwrap(c.args[0]));
      if (address?.kind === 'new' && address.name === 'InetSocketAddress') add(node, address.args[address.args.length - 1], 'HttpServer.create(...)');
    }
  }
  let springBootApplication: number | undefined;
  for (const annotation of model.root.descendantsOfType(['marker_annotation', 'annotation'])) {
    if (annotation && /(^|\.)SpringBootApplication$/.test(annotation.childForFieldName('name')?.text ?? '')) {
      springBootApplication = annotation.startPosition.row + 1;
      break;
    }
  }
  return { ports, springBootApplication };
}

/**
 * The `x.listen(...)` calls of a file, found through its text: building every call of a large bundle to pick out
 * the one or two named `listen` is what made gathering facts cost a second analysis.
 */
function listenCalls(model: FileModel): Node[] {
  const calls: Node[] = [];
  for (const match of model.file.text.matchAll(/\.\s*listen\s*\(/g)) {
    const name = model.root.descendantForIndex(match.index + match[0].indexOf('listen'));
    const member = name?.parent;
    const call = member?.parent;
    if (name?.type !== 'property_identifier' || member?.type !== 'member_expression' || call?.type !== 'call_expression') continue;
    if (call.childForFieldName('function')?.equals(member)) calls.push(call);
  }
  return calls;
}

function jsFacts(model: FileModel, evaluator: Evaluator): ListeningPort[] {
  const ports: ListeningPort[] = [];
  for (const node of listenCalls(model)) {
    const c = model.dialect.call(node);
    if (!c || c.name !== 'listen' || !c.receiver || c.args.length === 0) continue;
    const first = model.dialect.unwrap(c.args[0]);
    const portNode = first.type === 'object' ? objectProperty(first, 'port') : first;
    if (!portNode) continue;
    const value = evaluator.evaluate(portNode);
    const p = isKnown(value) ? port(value.text) : undefined;
    if (p === undefined) continue;
    const receiver = model.dialect.unwrap(c.receiver).text.replace(/\s+/g, '');
    ports.push({ port: p, origin: `${receiver.length > 30 ? 'server' : receiver}.listen(...)`, contextPath: '', file: model.file.path, line: node.startPosition.row + 1 });
  }
  return ports;
}

/**
 * The facts a parsed source file contributes: the ports it listens on, the methods its handlers call, the HTTP
 * wrappers and resource factories it declares (`helpers: false` for test code, whose helpers no production caller
 * uses).
 */
export function factsOfSource(model: FileModel, helpers = true): FileFacts {
  const file = model.file.path;
  const handlerCallees = handlerCalleesOf(model);
  const clientWrappers = helpers ? clientWrappersOf(model) : [];
  const resourceFactories = helpers ? resourceFactoriesOf(model) : [];
  const callees = {
    ...(handlerCallees.length > 0 ? { handlerCallees } : {}),
    ...(clientWrappers.length > 0 ? { clientWrappers } : {}),
    ...(resourceFactories.length > 0 ? { resourceFactories } : {}),
  };
  if (!DECLARES_SERVER.test(model.file.text)) return { file, ports: [], baseUrls: [], properties: [], projectMarker: false, ...callees };
  // Ports in code are literals, constants or defaults (`process.env.PORT || 3000`): no workspace facts needed.
  const evaluator = new Evaluator(model, NO_FACTS);
  if (model.isJava) {
    const { ports, springBootApplication } = javaFacts(model, evaluator);
    return { file, ports, baseUrls: [], properties: [], projectMarker: false, springBootApplication, ...callees };
  }
  return { file, ports: jsFacts(model, evaluator), baseUrls: [], properties: [], projectMarker: false, ...callees };
}
