// A call whose own statement ends the process when it settles (`fetch(url).then(() => process.exit(0))`) belongs
// to a one-shot command: a missing timeout hangs a terminal whose user can press Ctrl-C, and an unread body dies
// with the process a moment later. Neither is a server's CLOSE_WAIT pile, so such findings are strict-only.
// In Java the sign is a `main` that ends in System.exit: what it reaches leaks only until the process ends.
import type { Node } from 'web-tree-sitter';
import { possible, type Certainty } from '../catalog/certainty';
import type { FileModel } from '../model';
import { callsOwnCode, type Call } from '../syntax/dialect';

const EXITS = /\bprocess\.exit\s*\(/;

/**
 * True when the statement that makes the call calls process.exit, in its own text or in a callback of this file it
 * hands over by name (`http.request(url, options, onResponse)`, trilium's healthcheck script).
 */
export function exitsWhenSettled(node: Node, model: FileModel): boolean {
  if (model.isJava || !EXITS.test(model.file.text)) return false;
  let statement: Node | null = node;
  while (statement && !model.dialect.isStatement(statement)) statement = statement.parent;
  if (!statement) return false;
  if (EXITS.test(statement.text)) return true;
  return (model.dialect.call(node)?.args ?? []).some((arg) => {
    const named = model.dialect.unwrap(arg);
    if (named.type !== 'identifier') return false;
    const value = model.declaratorOf(named.text, named)?.childForFieldName('value');
    const callback = value ? model.dialect.unwrap(value) : model.methodsNamed(named.text)[0];
    return !!callback && model.dialect.functionTypes.has(callback.type) && EXITS.test(callback.text);
  });
}

/** `certainty`, or a possible one when the process exits as the call settles. */
export function unlessProcessExits(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || !exitsWhenSettled(node, model)) return certainty;
  return possible(`${certainty.basis}; the process exits when this call settles (a one-shot command)`);
}

const SYSTEM_EXIT = /\bSystem\.exit\s*\(/;
const MAIN = /\bstatic\s+void\s+main\s*\(/;
const commands = new WeakMap<FileModel, ReadonlySet<number>>();

/**
 * Java: the methods of this file that a `static void main` calling System.exit reaches through calls of this file
 * (by name, as the incremental analyzer links units, so that an edit of main re-judges them).
 */
function commandMethods(model: FileModel): ReadonlySet<number> {
  let found = commands.get(model);
  if (found) return found;
  const reached = new Set<number>();
  const text = model.file.text;
  if (model.isJava && SYSTEM_EXIT.test(text) && MAIN.test(text)) {
    const queue = model.methodsNamed('main').filter((m) => MAIN.test(m.text) && SYSTEM_EXIT.test(m.text));
    for (let head = 0; head < queue.length; head++) {
      const method = queue[head];
      if (reached.has(method.id)) continue;
      reached.add(method.id);
      for (const node of method.descendantsOfType([...model.dialect.callTypes])) {
        const call = node && model.dialect.call(node);
        if (call?.kind === 'call' && (callsOwnCode(call) || onOwnInstance(call, model))) queue.push(...model.methodsNamed(call.name));
      }
    }
  }
  commands.set(model, (found = reached));
  return found;
}

/**
 * `new Tool(url).run()`, or `Tool tool = new Tool(url); tool.run();`, in class Tool: main making an instance of its own
 * class to run (ManifoldCF's ManifoldCFJettyShutdown).
 */
function onOwnInstance(call: Call, model: FileModel): boolean {
  if (!call.receiver) return false;
  let made: Node | null | undefined = model.dialect.unwrap(call.receiver);
  if (made.type === 'identifier') made = model.declaratorOf(made.text, made)?.childForFieldName('value');
  if (made?.type !== 'object_creation_expression') return false;
  const type = made.childForFieldName('type')?.text;
  for (let n = call.node.parent; n; n = n.parent) {
    if (n.type === 'class_declaration' && n.childForFieldName('name')?.text === type) return true;
  }
  return false;
}

/** What a `main` that serves does: starts or joins a server or thread, waits, listens, or loops for ever. */
const KEEPS_RUNNING = /SpringApplication|\.(start|join|await\w*|listen|serve\w*|bind|sync|block\w*)\s*\(|Thread\.sleep|while\s*\(\s*true\s*\)|for\s*\(\s*;\s*;\s*\)/;

/** The method `node` is in, outside any lambda or local class. */
function outermostMethod(node: Node, model: FileModel): Node | null {
  let method = model.functionOf(node);
  for (let outer = method && model.functionOf(method); outer; outer = model.functionOf(outer)) method = outer;
  return method;
}

/** `main` itself, when it returns without starting anything that keeps running: the process ends with it. */
function oneShotMain(method: Node): boolean {
  return method.childForFieldName('name')?.text === 'main' && MAIN.test(method.text) && !KEEPS_RUNNING.test(method.text);
}

/**
 * `certainty`, or a possible one when a Java command-line `main` that ends in System.exit reaches the leak (the exit
 * releases it), or the leak is in a `main` that runs once and returns (a developer's harness in a controller).
 */
export function unlessCommandLine(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || !model.isJava) return certainty;
  const method = outermostMethod(node, model);
  if (!method) return certainty;
  if (commandMethods(model).has(method.id)) {
    return possible(`${certainty.basis}; reached from a command-line main() that ends in System.exit, which releases it`);
  }
  return unlessHarnessMain(node, model, certainty);
}

/**
 * `certainty`, or a possible one when the wait is in a `main` that runs once and returns. A command-line tool's
 * calls are judged as any code's: a hung CLI holds the build or job that runs it (Jenkins fixed its CLI's).
 */
export function unlessHarnessMain(node: Node, model: FileModel, certainty: Certainty): Certainty {
  if (certainty.confidence !== 'certain' || !model.isJava) return certainty;
  const method = outermostMethod(node, model);
  return method && oneShotMain(method) && !SYSTEM_EXIT.test(method.text)
    ? possible(`${certainty.basis}; in a main() that runs once and returns, ending the process`)
    : certainty;
}
