// Messages between the panel's UI thread and its analysis Web Worker. Both ends are our own bundles, but the
// worker still checks what it is asked: a malformed request must not take it down mid-incident.
import type { InputSlot } from './protocol';
import type { PanelView } from './view-model';

export interface WorkerInput {
  slot: InputSlot;
  name: string;
  text: string;
}

export type ToWorker =
  /** Analyse the non-empty inputs; `seq` ties the answer to the request (a newer request supersedes older ones). */
  | { type: 'analyze'; seq: number; inputs: WorkerInput[] }
  /** Decode a dropped file's bytes (UTF-8, Latin-1, UTF-16 by BOM or pattern) into text. */
  | { type: 'decode'; id: number; bytes: Uint8Array }
  /** The last report as JSON text, for "Export JSON" (the UI thread only holds the small view). */
  | { type: 'exportJson'; id: number };

export type FromWorker =
  | { type: 'result'; seq: number; view: PanelView; markdown: string; ms: number }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'decoded'; id: number; text: string }
  | { type: 'json'; id: number; json: string | null }
  /** A decode or export the panel cannot do (an input or a report larger than a string can hold), and why. */
  | { type: 'refused'; id: number; message: string };

export function isToWorker(value: unknown): value is ToWorker {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'analyze':
      return (
        typeof m.seq === 'number' &&
        Array.isArray(m.inputs) &&
        m.inputs.every((i: unknown) => {
          const input = i as Record<string, unknown> | null;
          return typeof input === 'object' && input !== null && (input.slot === 'threads' || input.slot === 'sockets') && typeof input.name === 'string' && typeof input.text === 'string';
        })
      );
    case 'decode':
      return typeof m.id === 'number' && m.bytes instanceof Uint8Array;
    case 'exportJson':
      return typeof m.id === 'number';
    default:
      return false;
  }
}
