// What the panel keeps across hiding and window reloads (VS Code's getState/setState): the inputs, the selection,
// the filter and which stacks are open. VS Code serialises the state on every setState, so input text over
// STATE_TEXT_LIMIT is not kept: only its name and size, so the panel can say what to paste or drop again.
import type { InputSlot } from './protocol';

export type InputOrigin = 'typed' | 'pasted' | 'file' | 'selection';

export interface PersistedInput {
  name: string;
  /** null: the text was too large to keep. */
  text: string | null;
  chars: number;
  origin: InputOrigin;
}

export type Selection = { kind: 'row'; key: string } | { kind: 'group'; id: string } | { kind: 'verdict'; id: string };

export interface PanelState {
  version: 1;
  inputs: Record<InputSlot, PersistedInput>;
  selection: Selection | null;
  filterText: string;
  filterState: string;
  /** Thread groups the user opened or closed, by group id. */
  expanded: Record<string, boolean>;
}

/** Characters of one input kept in the state: about a megabyte of JSON for both inputs at most. */
export const STATE_TEXT_LIMIT = 512 * 1024;

export function emptyInput(): PersistedInput {
  return { name: '', text: '', chars: 0, origin: 'typed' };
}

export function emptyState(): PanelState {
  return { version: 1, inputs: { threads: emptyInput(), sockets: emptyInput() }, selection: null, filterText: '', filterState: '', expanded: {} };
}

export function persistInput(name: string, text: string, origin: InputOrigin): PersistedInput {
  return { name, text: text.length <= STATE_TEXT_LIMIT ? text : null, chars: text.length, origin };
}

/** Reads a state saved by any version of the panel (or garbage): whatever does not fit is dropped. */
export function parseState(value: unknown): PanelState {
  const state = emptyState();
  if (!isRecord(value) || value.version !== 1) return state;
  if (isRecord(value.inputs)) {
    for (const slot of ['threads', 'sockets'] as const) {
      const input = parseInput(value.inputs[slot]);
      if (input !== null) state.inputs[slot] = input;
    }
  }
  state.selection = parseSelection(value.selection);
  if (typeof value.filterText === 'string') state.filterText = value.filterText.slice(0, 500);
  if (typeof value.filterState === 'string') state.filterState = value.filterState.slice(0, 50);
  if (isRecord(value.expanded)) {
    for (const [id, open] of Object.entries(value.expanded)) if (typeof open === 'boolean') state.expanded[id] = open;
  }
  return state;
}

function parseInput(value: unknown): PersistedInput | null {
  if (!isRecord(value)) return null;
  const { name, text, chars, origin } = value;
  if (typeof name !== 'string' || (text !== null && typeof text !== 'string') || typeof chars !== 'number') return null;
  if (origin !== 'typed' && origin !== 'pasted' && origin !== 'file' && origin !== 'selection') return null;
  return { name: name.slice(0, 1000), text, chars, origin };
}

function parseSelection(value: unknown): Selection | null {
  if (!isRecord(value)) return null;
  if (value.kind === 'row' && typeof value.key === 'string') return { kind: 'row', key: value.key };
  if (value.kind === 'group' && typeof value.id === 'string') return { kind: 'group', id: value.id };
  if (value.kind === 'verdict' && typeof value.id === 'string') return { kind: 'verdict', id: value.id };
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
