// Unbounded waits that cannot block, or whose blocking the code chose: a get() after isDone(), the untimed branch
// of `timeout <= 0 ? get() : get(timeout, unit)`, a wrapper's get() that delegates to a future's get(), a latch
// counted down by a synchronous forEach before await(), a task of a Netty event loop, a test double being
// programmed. Class 7 of the precision issue: a maintainer does not change any of these.
import type { Node } from 'web-tree-sitter';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import { givenValues } from '../flow/configuration';
import { exits } from '../flow/null-guards';

const FUNCTION_BOUNDARY = /^(method_declaration|constructor_declaration|lambda_expression)$/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compact(node: Node | null | undefined): string {
  return node?.text.replace(/\s+/g, '') ?? '';
}

/**
 * `if (future.isDone()) future.get()`, or an earlier `if (!future.isDone()) continue;` in an enclosing block:
 * the get cannot block.
 */
function guardedByIsDone(call: Call, receiver: string): boolean {
  const done = `${receiver}.isDone()`;
  for (let n = call.node.parent, child: Node = call.node; n && !FUNCTION_BOUNDARY.test(n.type); child = n, n = n.parent) {
    if ((n.type === 'if_statement' || n.type === 'ternary_expression') && compact(n.childForFieldName('condition')).includes(done)) return true;
    if (n.type !== 'block') continue;
    for (const before of n.namedChildren) {
      if (!before || before.startIndex >= child.startIndex) break;
      if (before.type === 'if_statement' && compact(before.childForFieldName('condition')).includes(`!${done}`) && exits(before.childForFieldName('consequence'))) {
        return true;
      }
    }
  }
  return false;
}

/**
 * `if (a.get() == null) return null; ... a.get()`: a get of the same future (timed or not), or of an allOf(...) of it,
 * returned earlier on every path to this one, so the future is done and this get returns at once.
 */
function alreadyAwaited(call: Call, receiver: string): boolean {
  if (call.name !== 'get' && call.name !== 'join') return false;
  for (let n = call.node.parent, child: Node = call.node; n && !FUNCTION_BOUNDARY.test(n.type); child = n, n = n.parent) {
    if (n.type !== 'block') continue;
    for (const before of n.namedChildren) {
      if (!before || before.startIndex >= child.startIndex) break;
      for (const wait of before.descendantsOfType('method_invocation')) {
        if (!wait || !/^(get|join)$/.test(wait.childForFieldName('name')?.text ?? '')) continue;
        if (awaits(wait.childForFieldName('object'), receiver) && completesBefore(wait, before)) return true;
      }
    }
  }
  return false;
}

/**
 * `allOf(futures.toArray(...)).handle((v, e) -> { for (f : futures) f.join(); ... })`: a continuation of allOf runs
 * once every future it names is done, so a get or join there of one of them (or of the collection's elements)
 * returns at once.
 */
function inAllOfContinuation(call: Call, receiver: string): boolean {
  if (call.name !== 'get' && call.name !== 'join') return false;
  for (let n = call.node.parent; n; n = n.parent) {
    if (n.type === 'method_declaration' || n.type === 'class_body') return false;
    if (n.type !== 'lambda_expression') continue;
    const continuation = n.parent?.parent;
    if (n.parent?.type !== 'argument_list' || continuation?.type !== 'method_invocation') continue;
    if (!/^(then\w*|handle\w*|whenComplete\w*)$/.test(continuation.childForFieldName('name')?.text ?? '')) continue;
    const args = allOfArguments(continuation.childForFieldName('object'));
    const collection = loopCollection(call.node, receiver, n);
    if (args?.some((arg) => compact(arg) === receiver || (collection !== undefined && compact(arg).startsWith(`${collection}.`)))) return true;
  }
  return false;
}

/** The collection a for-each loop inside `within` takes `name` from: `for (CompletableFuture<T> f : futures)`. */
function loopCollection(node: Node, name: string, within: Node): string | undefined {
  const iterable = loopIterable(node, name, within);
  return iterable ? compact(iterable) : undefined;
}

function loopIterable(node: Node, name: string, within: Node): Node | undefined {
  for (let n = node.parent; n && !n.equals(within); n = n.parent) {
    if (n.type === 'enhanced_for_statement' && n.childForFieldName('name')?.text === name) return n.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/** The future a get or join waits on is `receiver`, or a `CompletableFuture.allOf(...)` of it among others. */
function awaits(object: Node | null, receiver: string): boolean {
  return !!object && (compact(object) === receiver || !!allOfArguments(object)?.some((arg) => compact(arg) === receiver));
}

/** The futures of `CompletableFuture.allOf(a, b, ...)`; undefined when `node` is no call of allOf. */
function allOfArguments(node: Node | null): Node[] | undefined {
  if (node?.type !== 'method_invocation' || node.childForFieldName('name')?.text !== 'allOf') return undefined;
  return (node.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => !!arg);
}

/**
 * True when the statement `statement` cannot complete normally without `wait` having returned: nothing between them
 * is a branch, a loop, a lambda, the right side of `&&` (or of `||`, unless an `if` that exits on true holds it),
 * or a try whose catches go on after the failure.
 */
function completesBefore(wait: Node, statement: Node): boolean {
  for (let child = wait, n = wait.parent; n; child = n, n = n.parent) {
    switch (n.type) {
      case 'if_statement':
      case 'ternary_expression':
        if (!n.childForFieldName('condition')?.equals(child)) return false;
        break;
      case 'binary_expression': {
        const operator = n.childForFieldName('operator')?.text;
        const right = n.childForFieldName('right')?.equals(child);
        if (right && (operator === '&&' || (operator === '||' && !inConditionExitingOnTrue(n)))) return false;
        break;
      }
      case 'try_statement':
        if (!n.childForFieldName('body')?.equals(child)) return false;
        if (n.namedChildren.some((c) => c?.type === 'catch_clause' && !exits(c.childForFieldName('body')))) return false;
        break;
      default:
        if (/statement$|lambda_expression|class_body|switch/.test(n.type) && !/^(expression_statement|local_variable_declaration)$/.test(n.type)) return false;
    }
    if (n.equals(statement)) return true;
  }
  return false;
}

/** `if (a.get() == null || b.get() == null) return;`: past the if, every operand of the `||` was evaluated. */
function inConditionExitingOnTrue(node: Node): boolean {
  for (let child = node, n = node.parent; n; child = n, n = n.parent) {
    if (n.type === 'parenthesized_expression' || (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '||')) continue;
    return n.type === 'if_statement' && !!n.childForFieldName('condition')?.equals(child) && exits(n.childForFieldName('consequence')) && !n.childForFieldName('alternative');
  }
  return false;
}

/** `timeout <= 0 ? future.get() : future.get(timeout, unit)`: the caller asked to wait without a limit. */
function untimedBranchOfAChoice(call: Call, receiver: string): boolean {
  const timed = new RegExp(`${escape(receiver)}\\s*\\.\\s*\\w+\\s*\\(\\s*[^)\\s]`);
  for (let n = call.node.parent, child: Node = call.node; n && !FUNCTION_BOUNDARY.test(n.type); child = n, n = n.parent) {
    if (n.type !== 'if_statement' && n.type !== 'ternary_expression') continue;
    const branches = [n.childForFieldName('consequence'), n.childForFieldName('alternative')];
    const other = branches.find((b) => b && !(b.startIndex <= child.startIndex && child.endIndex <= b.endIndex));
    if (other && timed.test(other.text)) return true;
    // `if (timeout <= 0) { return f.get(); } return f.get(timeout, unit);`: what follows is the other branch.
    if (!other && n.type === 'if_statement' && exits(n.childForFieldName('consequence'))) {
      for (let next = n.nextNamedSibling; next; next = next.nextNamedSibling) if (timed.test(next.text)) return true;
    }
  }
  return false;
}

/** `public T get() { return future.get(); }`: a wrapper offering the same untimed wait; its callers choose. */
function delegatesTheSameWait(call: Call): boolean {
  for (let n = call.node.parent; n; n = n.parent) {
    if (n.type === 'lambda_expression') return false;
    if (n.type === 'method_declaration') {
      const parameters = n.childForFieldName('parameters')?.namedChildren.filter((p) => p?.type === 'formal_parameter') ?? [];
      return n.childForFieldName('name')?.text === call.name && parameters.length === call.args.length;
    }
  }
  return false;
}

/**
 * `list.parallelStream().forEach(x -> { try {...} finally { latch.countDown(); } }); latch.await();`: forEach
 * returns when every element is done, so the latch is already open.
 */
function latchOpenedSynchronously(call: Call, receiver: string): boolean {
  if (call.name !== 'await') return false;
  const countDown = `${receiver}.countDown()`;
  let statement: Node | null = call.node;
  while (statement && statement.parent?.type !== 'block') statement = statement.parent;
  for (let before = statement?.previousNamedSibling; before; before = before.previousNamedSibling) {
    const text = compact(before);
    if (!text.includes(countDown)) continue;
    return /\.forEach(Ordered)?\(/.test(text) && !/\b(submit|execute|runAsync|supplyAsync|newThread|start)\(/.test(text);
  }
  return false;
}

/**
 * `Future<?> f = channel.eventLoop().submit(task); f.get();`: a task of a Netty event loop must not block (Netty's
 * contract; a blocking one stalls every channel of the loop, a problem of its own), so it finishes as soon as the loop
 * runs it, and Netty's futures refuse to be awaited from the loop itself. A time limit would change nothing.
 */
function eventLoopTask(call: Call, receiver: string, model: FileModel): boolean {
  if (call.name !== 'get' && call.name !== 'join' && call.name !== 'sync' && call.name !== 'await') return false;
  const declarator = /^\w+$/.test(receiver) ? model.declaratorOf(receiver, call.node) : undefined;
  const init = compact(declarator?.childForFieldName('value'));
  return /\.(eventLoop|executor)\(\)\.(submit|schedule)\(/.test(init);
}

/**
 * `Future<T> f = completionService.poll(); if (f != null) f.get();`, `ecs.take().get()`: a CompletionService hands
 * out only futures whose task is done, so their get() returns at once (take() itself is the wait, judged apart).
 */
function fromCompletionService(call: Call, model: FileModel): boolean {
  if (call.name !== 'get' || !call.receiver) return false;
  const receiver = model.dialect.unwrap(call.receiver);
  if (receiver.type !== 'identifier') return completedFutureOf(receiver, call, model);
  if (!model.declaratorOf(receiver.text, call.node) || !model.functionOf(call.node)) return false;
  // Every value the variable is given: where it is declared, and each assignment in the method.
  const given = givenValues(receiver.text, call.node, model);
  return given.length > 0 && given.every((v) => completedFutureOf(v, call, model));
}

/** `x.poll()`, `x.poll(1, SECONDS)`, `x.take()` of a CompletionService (by its declared type, else by its name). */
function completedFutureOf(expr: Node, call: Call, model: FileModel): boolean {
  const c = model.dialect.call(model.dialect.unwrap(expr));
  if (!c?.receiver || (c.name !== 'poll' && c.name !== 'take')) return false;
  const type = model.javaTypes.typeOf(c.receiver, model.functionOf(call.node));
  if (type) return /^java\.util\.concurrent\.(Executor)?CompletionService$/.test(type);
  return /completion/i.test(model.dialect.unwrap(c.receiver).text);
}

/**
 * `for (Future<T> f : executor.invokeAll(tasks)) f.get()`, or `futures.get(i).get()` of `futures =
 * executor.invokeAll(tasks)`: invokeAll returns once every task is done (or cancelled, given a time limit), so get()
 * returns at once (Saturn's ZkDBDiffServiceImpl). invokeAll itself is the wait, judged apart.
 */
function fromInvokeAll(call: Call, model: FileModel): boolean {
  if (call.name !== 'get' || !call.receiver) return false;
  const receiver = model.dialect.unwrap(call.receiver);
  if (receiver.type === 'identifier') {
    const fn = model.functionOf(call.node);
    const futures = fn ? loopIterable(call.node, receiver.text, fn) : undefined;
    return !!futures && madeByInvokeAll(futures, call, model);
  }
  const element = model.dialect.call(receiver);
  return element?.name === 'get' && element.args.length === 1 && !!element.receiver && madeByInvokeAll(element.receiver, call, model);
}

/** `executor.invokeAll(...)`, or a variable given no other value in the method. */
function madeByInvokeAll(expr: Node, call: Call, model: FileModel): boolean {
  const node = model.dialect.unwrap(expr);
  if (node.type !== 'identifier') return isInvokeAll(node, model);
  const given = givenValues(node.text, call.node, model);
  return given.length > 0 && given.every((v) => isInvokeAll(v, model));
}

function isInvokeAll(expr: Node, model: FileModel): boolean {
  const c = model.dialect.call(model.dialect.unwrap(expr));
  return c?.name === 'invokeAll' && !!c.receiver;
}

/** `when(future.get())`, `verify(queue).take()`: a test double being programmed, not a wait. */
function inMockSetup(call: Call, model: FileModel): boolean {
  const c = model.dialect.context(call.node);
  return c.kind === 'argument' && /^(when|given|verify|doReturn|thenReturn)$/.test(c.call.name);
}

/** Whether `condition` is true only when an awaitTermination returned true: the call itself, or a variable holding it. */
function terminated(condition: Node | null, model: FileModel): boolean {
  const node = condition && model.dialect.unwrap(condition);
  if (!node) return false;
  if (node.type === 'method_invocation') return node.childForFieldName('name')?.text === 'awaitTermination';
  if (node.type !== 'identifier') return false;
  const values = givenValues(node.text, node, model);
  return values.length > 0 && values.every((v) => v.type === 'method_invocation' && v.childForFieldName('name')?.text === 'awaitTermination');
}

/** `!x`: the operand of a negation, or null. */
function negated(condition: Node | null, model: FileModel): Node | null {
  const node = condition && model.dialect.unwrap(condition);
  return node?.type === 'unary_expression' && node.childForFieldName('operator')?.text === '!' ? node.childForFieldName('operand') : null;
}

/**
 * A get or join that runs only once `executor.awaitTermination(...)` returned true: `if (awaitTermination(...)) { ...
 * f.get() }`, the else of `if (!done)`, or after an `if (!done) return;`. Every task the executor ran has finished,
 * so its futures are done (nzbhydra2's Stats, which shuts its executor down and waits with a timeout first).
 */
function afterTermination(call: Call, model: FileModel): boolean {
  // `executor.awaitTermination(...)` returning true: the executor ran every task it was given to the end.
  if ((call.name !== 'get' && call.name !== 'join') || !model.file.text.includes('.awaitTermination(')) return false;
  for (let n = call.node.parent, child: Node = call.node; n && !FUNCTION_BOUNDARY.test(n.type); child = n, n = n.parent) {
    if (n.type === 'if_statement') {
      const condition = n.childForFieldName('condition');
      if (n.childForFieldName('consequence')?.equals(child) && terminated(condition, model)) return true;
      if (n.childForFieldName('alternative')?.equals(child) && terminated(negated(condition, model), model)) return true;
    }
    if (n.type !== 'block') continue;
    for (const before of n.namedChildren) {
      if (!before || before.startIndex >= child.startIndex) break;
      if (before.type === 'if_statement' && terminated(negated(before.childForFieldName('condition'), model), model) && exits(before.childForFieldName('consequence'))) return true;
    }
  }
  return false;
}

/** True when this Java wait cannot block, or blocks because the code (or its caller) chose so. */
export function waitIsChosenOrCannotBlock(call: Call, model: FileModel): boolean {
  if (inMockSetup(call, model) || delegatesTheSameWait(call) || fromCompletionService(call, model) || fromInvokeAll(call, model) || afterTermination(call, model)) return true;
  const receiver = call.receiver ? compact(model.dialect.unwrap(call.receiver)) : '';
  if (!receiver) return false;
  return (
    guardedByIsDone(call, receiver) ||
    alreadyAwaited(call, receiver) ||
    inAllOfContinuation(call, receiver) ||
    untimedBranchOfAChoice(call, receiver) ||
    latchOpenedSynchronously(call, receiver) ||
    eventLoopTask(call, receiver, model)
  );
}
