// Calls of the workspace's own resource factories in other files (workspace facts, see facts/resource-factories.ts):
// `Response resp = HTTP_UTILS.requestCall(...)` acquires the OkHttp Response that requestCall returns, tracked from
// there like `call.execute()` itself.
import type { ResourceFactory } from '../facts/resource-factories';
import { declaredNamed, type WorkspaceFacts } from '../facts/workspace';
import type { FileModel } from '../model';
import type { Call } from '../syntax/dialect';
import type { Acquisition } from './acquisitions';
import { certain, possible } from './certainty';
import { kindOfKey } from './resources';
import { javaCallOn, jsCallOn } from './wrapper-timeouts';

const namePatterns = new WeakMap<readonly ResourceFactory[], RegExp>();

/** A call of any of the workspace's factories, by name (the rule's pre-filter: `http.download(id)` names no API). */
export function factoryNames(facts: WorkspaceFacts): RegExp | undefined {
  const factories = facts.resourceFactories;
  if (factories.length === 0) return undefined;
  let pattern = namePatterns.get(factories);
  if (!pattern) {
    const names = [...new Set(factories.map((f) => f.name.replace(/\$/g, '\\$')))];
    namePatterns.set(factories, (pattern = new RegExp(`\\b(${names.join('|')})\\s*\\(`)));
  }
  return pattern;
}

/** The factory of another file a call reaches, if any. */
function factoryCalled(call: Call, model: FileModel, facts: WorkspaceFacts): ResourceFactory | undefined {
  const candidates = declaredNamed(facts.resourceFactories, call.name).filter((f) => f.language === (model.isJava ? 'java' : 'js') && f.file !== model.file.path);
  if (candidates.length === 0) return undefined;
  if (model.isJava) {
    const on = javaCallOn(call, model);
    return on && candidates.find((f) => f.arity === call.args.length && on(f.owner));
  }
  const target = jsCallOn(call, model);
  return target && candidates.find((f) => f.name === target.member && target.module(f.owner));
}

/** What a call of a workspace factory acquires: the resource it returns, named after it in messages. */
export function factoryAcquisitions(call: Call, model: FileModel, facts: WorkspaceFacts): Acquisition[] {
  if (call.kind !== 'call') return [];
  const f = factoryCalled(call, model, facts);
  const kind = f && kindOfKey(f.kind);
  if (!f || !kind) return [];
  const basis = `${kind.label} returned by ${f.label} (${f.file}:${f.line})`;
  return [{ kind, certainty: f.certain ? certain(basis) : possible(`${basis}, taken for one by its name`), node: call.node, via: { name: f.label } }];
}
