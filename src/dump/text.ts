// Bytes to text and text to lines, the same in Node and in a browser worker (TextDecoder only). Big inputs are
// decoded and held in chunks that end at line breaks: V8 cannot make a string of more than 2^29 - 24 characters
// (512 MiB of ASCII), and a chunked text never needs one. Lines are not split into strings up front: `TextLines`
// keeps where each line starts (4 bytes a line) and cuts a line out when a parser asks for it.
import { count } from './words';

/** An input's text: one string, or chunks that each end at a line break (the last one may not). */
export type DumpText = string | readonly string[];

/**
 * The most an analysis reads at once, all inputs together (bytes). A 1 GiB input needs up to 3 GiB of memory, the
 * most a Node process gets by default; anything larger is refused with this limit named, never read half way.
 */
export const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

/** Refusal of an input above MAX_INPUT_BYTES, or with a single line longer than a string can be. */
export class InputTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputTooLargeError';
  }
}

export function tooLargeMessage(bytes: number): string {
  const mib = (n: number): string => count(Math.ceil(n / 1024 ** 2));
  return (
    `the input is ${mib(bytes)} MiB, more than the ${mib(MAX_INPUT_BYTES)} MiB (1 GiB) CloseWait analyses at once: ` +
    "give it the dumps of the hang only (split a long log at its 'Full thread dump' lines, e.g. with csplit)"
  );
}

/** Bytes decoded at a time: the text comes out in chunks of about this size. */
const PIECE_BYTES = 32 * 1024 * 1024;
/** Bytes looked at to tell UTF-16 without a BOM. */
const SNIFF_BYTES = 4096;

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'iso-8859-1';

/**
 * Decodes a file or a stream given in pieces: UTF-8 when the bytes are valid UTF-8, ISO-8859-1 otherwise (old JVMs
 * and Windows consoles write Latin-1), UTF-16 when a BOM or the byte pattern says so (PowerShell `>` writes
 * UTF-16LE; Java's `UTF-16` charset and some Windows tools write UTF-16BE, with or without a BOM). BOMs are removed.
 * The text comes out in chunks ending at line breaks; nothing is ever one string larger than a chunk or a line.
 */
export class DumpDecoder {
  private encoding: Encoding | null = null;
  /** Bytes not decoded yet: the head, until the encoding is known, then at most a character cut by a piece's end. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private total = 0;
  private readonly chunks: string[] = [];
  /** Decoded text after the last chunk's end. */
  private carry = '';
  private utf16: TextDecoder | null = null;

  /** Decodes the next piece. Nothing of `bytes` is kept after the call: a reader may read the next piece into them. */
  push(bytes: Uint8Array): void {
    this.total += bytes.length;
    if (this.total > MAX_INPUT_BYTES) throw new InputTooLargeError(tooLargeMessage(this.total));
    if (bytes.length === 0) return;
    this.pendingBytes += bytes.length;
    // A head too short to tell the encoding by waits for more, as a copy (a FIFO's first read can be a few bytes).
    if (this.encoding === null && this.pendingBytes < SNIFF_BYTES) {
      this.pending.push(bytes.slice());
      return;
    }
    this.pending.push(bytes);
    this.encoding ??= this.sniff();
    this.decodePending(false);
  }

  /** The whole text, in chunks (none for empty input). */
  end(): string[] {
    if (this.encoding === null) this.encoding = this.sniff();
    this.decodePending(true);
    if (this.carry !== '') this.flushCarry();
    return this.chunks;
  }

  private take(): Uint8Array {
    const bytes = this.pending.length === 1 ? this.pending[0] : concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return bytes;
  }

  private sniff(): Encoding {
    let head = this.take();
    let encoding: Encoding = 'utf-8';
    if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) [encoding, head] = ['utf-16le', head.subarray(2)];
    else if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) [encoding, head] = ['utf-16be', head.subarray(2)];
    else if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3);
    else if (looksLikeUtf16(head, 1)) encoding = 'utf-16le';
    else if (looksLikeUtf16(head, 0)) encoding = 'utf-16be';
    this.pending = [head];
    this.pendingBytes = head.length;
    return encoding;
  }

  private decodePending(last: boolean): void {
    if (this.pendingBytes === 0 && !last) return;
    if (this.encoding === 'utf-8' && this.pending.length === 2 && this.pending[0].length < 4) {
      // The character the last piece cut, completed by this piece's first bytes: decoded apart, so that the big
      // piece is never copied to be joined to it.
      const [cut, piece] = this.pending;
      let k = 0;
      while (k < 3 && k < piece.length && (piece[k] & 0xc0) === 0x80) k++;
      this.pending = [];
      this.pendingBytes = 0;
      // Complete unless the piece ended first: a byte that continues no character makes it invalid, and Latin-1.
      const whole = last || k < piece.length;
      this.decodeBytes(concat([cut, piece.subarray(0, k)], cut.length + k), whole);
      if (!whole) return;
      this.pending = [piece.subarray(k)];
      this.pendingBytes = piece.length - k;
    }
    this.decodeBytes(this.take(), last);
  }

  private decodeBytes(bytes: Uint8Array, last: boolean): void {
    switch (this.encoding) {
      case 'utf-16le':
      case 'utf-16be':
        this.utf16 ??= new TextDecoder(this.encoding, { ignoreBOM: true });
        this.append(this.utf16.decode(bytes, { stream: !last }));
        return;
      case 'iso-8859-1':
        this.append(latin1(bytes));
        return;
      default: {
        // Each piece is decoded on its own, up to its last whole character, so that invalid UTF-8 anywhere can
        // still turn the whole input into Latin-1.
        const end = last ? bytes.length : utf8Boundary(bytes);
        const text = strictUtf8(bytes.subarray(0, end));
        if (text === null) {
          this.toLatin1();
          this.append(latin1(bytes));
          return;
        }
        this.append(text);
        if (end < bytes.length) {
          this.pending.push(bytes.slice(end));
          this.pendingBytes += bytes.length - end;
        }
      }
    }
  }

  /** The input is not UTF-8 after all: what was decoded as UTF-8 (valid, so it encodes back to the same bytes) is read again as Latin-1. */
  private toLatin1(): void {
    this.encoding = 'iso-8859-1';
    const encoder = new TextEncoder();
    const again = (text: string): string => latin1(encoder.encode(text));
    for (let k = 0; k < this.chunks.length; k++) this.chunks[k] = again(this.chunks[k]);
    this.carry = again(this.carry);
  }

  /**
   * Adds decoded text, cutting chunks at line breaks without copying: a chunk is a slice of the decoded piece, and
   * the partial line left over from the piece before becomes a small chunk of its own with the rest of its line.
   */
  private append(text: string): void {
    if (text === '') return;
    if (this.carry !== '') {
      // A CR that ended the last piece was a line break of its own unless an LF follows now.
      if (this.carry.charCodeAt(this.carry.length - 1) === 13 && text.charCodeAt(0) !== 10) this.flushCarry();
      else {
        const end = firstBreakEnd(text);
        if (end < 0) {
          if (this.carry.length + text.length > MAX_STRING_CHARS) throw new InputTooLargeError('a single line of the input is longer than the 512 MiB a string can hold');
          this.carry += text;
          return;
        }
        this.carry += text.slice(0, end);
        this.flushCarry();
        text = text.slice(end);
      }
    }
    const cut = lastBreak(text);
    if (cut > 0) this.chunks.push(cut === text.length ? text : text.slice(0, cut));
    this.carry = cut === text.length ? '' : text.slice(cut);
  }

  private flushCarry(): void {
    this.chunks.push(this.carry);
    this.carry = '';
  }
}

/** Where the text after the first line break starts; -1 when there is none yet (a CR at the end may have an LF coming). */
function firstBreakEnd(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return i + 1;
    if (c === 13) return i + 1 === text.length ? -1 : text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
  }
  return -1;
}

/** V8's longest string (2^29 - 24 characters). */
export const MAX_STRING_CHARS = 2 ** 29 - 24;

/** Where the text after the last line break starts; a CR at the very end stays (an LF may follow in the next piece). */
function lastBreak(text: string): number {
  let i = text.length - 1;
  if (text.charCodeAt(i) === 13) i--;
  for (; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i + 1;
  }
  return 0;
}

/** The end of the last whole UTF-8 character: a multi-byte character cut by the piece's end waits for the next piece. */
function utf8Boundary(bytes: Uint8Array): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    if (b < 0x80) return bytes.length;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const all = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** Decodes a whole file's bytes into chunks (see DumpDecoder), reading it in pieces. */
export function decodeDumpChunks(bytes: Uint8Array): string[] {
  const decoder = new DumpDecoder();
  for (let offset = 0; offset < bytes.length; offset += PIECE_BYTES) decoder.push(bytes.subarray(offset, offset + PIECE_BYTES));
  return decoder.end();
}

/** Decodes a file's bytes into one string (see DumpDecoder); large inputs are better read with decodeDumpChunks. */
export function decodeDumpBytes(bytes: Uint8Array): string {
  const chunks = decodeDumpChunks(bytes);
  return chunks.length === 1 ? chunks[0] : chunks.join('');
}

/**
 * ISO-8859-1, one character per byte. Not TextDecoder: Node 20's 'iso-8859-1' decoder returns nothing for some
 * inputs (a lone 0xFF), and browsers read that label as windows-1252.
 */
function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]));
  return parts.join('');
}

// ASCII text saved as UTF-16 without a BOM has a zero in (nearly) every high byte: the odd bytes for little-endian
// (zeroAt 1), the even ones for big-endian (zeroAt 0).
function looksLikeUtf16(bytes: Uint8Array, zeroAt: 0 | 1): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 16) return false;
  let highZeros = 0;
  let lowZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i + zeroAt] === 0) highZeros++;
    if (bytes[i + 1 - zeroAt] === 0) lowZeros++;
  }
  return highZeros > n * 0.4 && lowZeros < n * 0.05;
}

export function textChunks(text: DumpText): readonly string[] {
  return typeof text === 'string' ? (text === '' ? [] : [text]) : text.filter((chunk) => chunk !== '');
}

/** Characters of a text. */
export function textLength(text: DumpText): number {
  if (typeof text === 'string') return text.length;
  let n = 0;
  for (const chunk of text) n += chunk.length;
  return n;
}

/** The lines of an input, by index (0-based), without their line breaks. */
export interface Lines {
  readonly length: number;
  /** The line at `index`; '' outside the text. */
  at(index: number): string;
}

/**
 * Lines of a text split on LF, CRLF and lone CR alike (SAP logs mix all three); a trailing line break adds no empty
 * line, a BOM at the start is no part of the first line. Holds the text and one offset per line; each line is cut
 * out of its chunk when asked for (V8 makes that a slice of the chunk, not a copy).
 */
export class TextLines implements Lines {
  readonly length: number;
  private readonly chunks: readonly string[];
  private starts: Uint32Array;
  /** Index of the first line of each chunk, and the line count at the end. */
  private readonly firstLine: number[] = [];
  private chunk = 0;

  constructor(text: DumpText) {
    this.chunks = textChunks(text);
    this.starts = new Uint32Array(1024);
    let n = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      this.firstLine.push(n);
      n = this.index(this.chunks[c], c === 0 && this.chunks[c].charCodeAt(0) === 0xfeff ? 1 : 0, n);
    }
    this.firstLine.push(n);
    this.length = n;
  }

  at(index: number): string {
    if (!(index >= 0 && index < this.length)) return '';
    let c = this.chunk;
    if (index < this.firstLine[c] || index >= this.firstLine[c + 1]) this.chunk = c = this.chunkOf(index);
    const chunk = this.chunks[c];
    const start = this.starts[index];
    let end = index + 1 < this.firstLine[c + 1] ? this.starts[index + 1] : chunk.length;
    if (end > start) {
      const last = chunk.charCodeAt(end - 1);
      if (last === 10) end -= end - 1 > start && chunk.charCodeAt(end - 2) === 13 ? 2 : 1;
      else if (last === 13) end--;
    }
    return chunk.slice(start, end);
  }

  /** Adds the starts of a chunk's lines from `n` on; returns the new line count. */
  private index(chunk: string, from: number, n: number): number {
    const length = chunk.length;
    let pos = from;
    if (chunk.indexOf('\r') === -1) {
      while (pos < length) {
        n = this.add(n, pos);
        const lf = chunk.indexOf('\n', pos);
        if (lf === -1) break;
        pos = lf + 1;
      }
      return n;
    }
    let lf = chunk.indexOf('\n', pos);
    let cr = chunk.indexOf('\r', pos);
    while (pos < length) {
      n = this.add(n, pos);
      if (lf !== -1 && lf < pos) lf = chunk.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = chunk.indexOf('\r', pos);
      if (lf === -1 && cr === -1) break;
      if (cr === -1 || (lf !== -1 && lf < cr)) pos = lf + 1;
      else pos = cr + (lf === cr + 1 ? 2 : 1);
    }
    return n;
  }

  private add(n: number, start: number): number {
    if (n === this.starts.length) {
      const grown = new Uint32Array(n * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[n] = start;
    return n + 1;
  }

  private chunkOf(index: number): number {
    let low = 0;
    let high = this.chunks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.firstLine[mid] <= index) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/** Lines `from` up to (not including) `to`. */
export function linesBetween(lines: Lines, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to && i < lines.length; i++) out.push(lines.at(i));
  return out;
}

/** Lines already split (a log whose prefixes were taken off). */
export function arrayLines(lines: readonly string[]): Lines {
  return { length: lines.length, at: (index) => lines[index] ?? '' };
}

/** Splits on LF, CRLF and lone CR alike: SAP logs mix all three. A trailing newline adds no empty line. */
export function splitLines(text: DumpText): string[] {
  const lines = new TextLines(text);
  const out: string[] = new Array<string>(lines.length);
  for (let i = 0; i < lines.length; i++) out[i] = lines.at(i);
  return out;
}

/** Control characters that never occur in dumps or listings, in the first 64 KB: the input is binary, not text. */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 65536);
  if (n === 0) return false;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) odd++;
    else if (c === 0xfffd) odd++;
  }
  return odd > n * 0.02;
}
