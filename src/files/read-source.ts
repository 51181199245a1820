// Reads a source file for analysis: size checked before decoding, UTF-8 with an ISO-8859-1 fallback (old Java
// sources), and every failure turned into a skip reason.
import { readFileSync, statSync } from 'node:fs';
import { MAX_SOURCE_BYTES } from '../analysis/parse/source';

export const NOT_A_REGULAR_FILE = 'not a regular file (a FIFO, socket or device)';

export type ReadResult = { readonly text: string; readonly bytes: number } | { readonly skipped: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

export function decodeSource(buffer: Uint8Array): string {
  try {
    return utf8.decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return latin1.decode(buffer);
  }
}

/** A file's text, decoded as `readSource` would, without the size check (configuration files are small). */
export function readText(path: string): string {
  const buffer = readFileSync(path);
  return decodeSource(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length));
}

export function readSource(path: string): ReadResult {
  try {
    const stats = statSync(path);
    // Reading a FIFO would wait for a writer forever; a device may never end.
    if (!stats.isFile()) return { skipped: NOT_A_REGULAR_FILE };
    const size = stats.size;
    if (size > MAX_SOURCE_BYTES) {
      return { skipped: `larger than ${MAX_SOURCE_BYTES / (1024 * 1024)} MB (${(size / (1024 * 1024)).toFixed(1)} MB)` };
    }
    const buffer = readFileSync(path);
    return { text: decodeSource(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)), bytes: buffer.length };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { skipped: code === 'EACCES' || code === 'EPERM' ? 'permission denied' : error instanceof Error ? error.message : String(error) };
  }
}
