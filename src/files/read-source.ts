// Reads files for analysis: never more than a limit, counted by the bytes actually read (a file's size may lie:
// /proc/self/pagemap says 0 and never ends), never blocking on a FIFO; UTF-8 with an ISO-8859-1 fallback (old Java
// sources); and every failure turned into a skip reason.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_SOURCE_BYTES } from '../analysis/parse/source';

export const NOT_A_REGULAR_FILE = 'not a regular file (a FIFO, socket or device)';

/**
 * A path as the file system knows it: a string, or the raw bytes of a path with a name that is not valid UTF-8 (no
 * string names such a file). Bytes that crossed to a worker thread arrive as a plain Uint8Array.
 */
export type FsPath = string | Uint8Array;

export type ReadResult = { readonly text: string; readonly bytes: number } | { readonly skipped: string };
export type ReadBytes = { readonly data: Uint8Array } | { readonly skipped: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');
const MB = 1024 * 1024;

export function decodeSource(buffer: Uint8Array): string {
  try {
    return utf8.decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return latin1.decode(buffer);
  }
}

const BLOCK = 64 * 1024;

/** `bytes` rounded up to whole blocks. */
function blocks(bytes: number): number {
  return Math.ceil(bytes / BLOCK) * BLOCK;
}

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

function tooLarge(limit: number, what: string): string {
  return `larger than ${limit / MB} MB (${what})`;
}

/** fs takes a Buffer for raw bytes; a Uint8Array that crossed threads is wrapped, not copied. */
export function fsPath(path: FsPath): string | Buffer {
  return typeof path === 'string' || Buffer.isBuffer(path) ? path : Buffer.from(path.buffer, path.byteOffset, path.byteLength);
}

/**
 * At most `limit` bytes of a regular file. The file is opened without blocking (a FIFO would wait for a writer
 * forever) and checked once open, so what is read is what was checked; reading stops one byte past the limit.
 */
export function readBounded(path: FsPath, limit: number): ReadBytes {
  let fd: number;
  try {
    fd = openSync(fsPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { skipped: errnoReason(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { skipped: NOT_A_REGULAR_FILE };
    if (stats.size > limit) return { skipped: tooLarge(limit, megabytes(stats.size)) };
    // The size is a first guess only: the buffer grows as the bytes come, to just past the limit. Its sizes stay
    // multiples of a block, which special files need (/proc/self/pagemap refuses reads of other sizes).
    const most = blocks(limit + 1);
    let buffer = Buffer.allocUnsafe(Math.min(most, blocks(stats.size + 1)));
    let length = 0;
    for (;;) {
      if (length > limit) return { skipped: tooLarge(limit, `reading stopped there; its size says ${stats.size} bytes`) };
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(most, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return { data: new Uint8Array(buffer.buffer, buffer.byteOffset, length) };
  } catch (error) {
    return { skipped: errnoReason(error) };
  } finally {
    closeSync(fd);
  }
}

/** Why a file-system call failed, in words for a skip list. */
export function errnoReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or directory';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'a directory';
    case 'ENXIO':
      // Opening a Unix socket fails so.
      return NOT_A_REGULAR_FILE;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** A source file's text, or why it is skipped (over MAX_SOURCE_BYTES, not a regular file, unreadable). */
export function readSource(path: FsPath): ReadResult {
  const read = readBounded(path, MAX_SOURCE_BYTES);
  if ('skipped' in read) return read;
  return { text: decodeSource(read.data), bytes: read.data.length };
}

/** A file's text decoded as `readSource` would, or undefined when it cannot be read (configuration, facts). */
export function readText(path: FsPath): string | undefined {
  const read = readSource(path);
  return 'text' in read ? read.text : undefined;
}
