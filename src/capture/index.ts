// Capturing from a running process: thread dumps (jcmd, jstack), Node.js diagnostic reports (--report-on-signal, the
// inspector) and socket listings (ss, netstat, /proc, lsof), on this machine or through docker/kubectl exec. Node-only
// (it runs processes); the CLI and the editor's client use it, the dump core analyses what it captures.
export { capture, CaptureError, type CaptureOptions, type CaptureRecord, type CaptureResult, type CapturedFile } from './capture';
export { analyzeCapture, captureFolderName, CAPTURES_FOLDER, writeCapture } from './write';
export { describeProcess, listeningPorts, localCandidates } from './discover';
export { displayName, type ProcessInfo } from './processes';
export { DEFAULT_TOOLS, LOCAL, parseTarget, type Target, type Tools } from './target';
export { Runner } from './runner';
export { spawnExec, formatMs, type Exec, type ExecResult } from './exec';
export { parseDuration } from './duration';
