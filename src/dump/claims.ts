// Which parser understood each line of an input. Thread parsers run first; the socket parser reads what they left;
// whatever nobody claimed is reported as unparsed instead of being silently dropped.

export const UNCLAIMED = 0;
export const THREAD_LINE = 1;
export const SOCKET_LINE = 2;
/** Understood but carrying nothing we use: prompts, headers, heap summaries, UDP and UNIX sockets. */
export const NOISE_LINE = 3;
/** Part of a Node.js diagnostic report. */
export const NODE_REPORT_LINE = 4;

export type Claims = Uint8Array;
