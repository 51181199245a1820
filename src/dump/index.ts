// The incident core: thread dumps and socket listings in, named causes out. Pure: no vscode, no DOM, no Node
// built-ins, so the CLI, the extension host and the panel's Web Worker all run the same code.
export { analyzeDump, type AnalyzeOptions, type DumpInput } from './analyze';
export { detectInput, type DetectedInput } from './detect';
export { decodeDumpBytes, decodeDumpChunks, DumpDecoder, InputTooLargeError, MAX_INPUT_BYTES, type DumpText } from './text';
export { reportToMarkdown } from './markdown';
export { isApplicationFrame } from './catalog';
export { count, stackExcerpt } from './words';
export { countPhrase, evidenceLabel, evidenceText } from './evidence-words';
export { remoteHostsText, summarizeSocketTable, type SocketSummaryRow } from './table';
export type * from './report';
export { threadsById, waitedLocks } from './report';
export type { Evidence, EvidenceLine, VerdictKind, Thresholds } from './verdicts/types';
export type { ActivityKind } from './activity';
export type { LinkReason } from './correlate';
export type { Direction } from './sockets/view';
export type { Endpoint, InputFormat, PortRange, SocketListingFormat, SocketState, ThreadDumpFormat, ThreadState, UnparsedLine } from './model';
