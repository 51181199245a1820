// Bytes to text and text to lines, the same in Node and in a browser worker (TextDecoder only).

/**
 * Decodes a pasted or dropped file: UTF-8 when the bytes are valid UTF-8, ISO-8859-1 otherwise (old JVMs and Windows
 * consoles write Latin-1), UTF-16 when a BOM or the byte pattern says so (PowerShell `>` writes UTF-16LE; Java's
 * `UTF-16` charset and some Windows tools write UTF-16BE, with or without a BOM). BOMs are removed.
 */
export function decodeDumpBytes(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decode('utf-16le', bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decode('utf-16be', bytes.subarray(2));
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  else if (looksLikeUtf16(bytes, 1)) return decode('utf-16le', bytes);
  else if (looksLikeUtf16(bytes, 0)) return decode('utf-16be', bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return decode('iso-8859-1', bytes);
  }
}

function decode(encoding: string, bytes: Uint8Array): string {
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
}

// ASCII text saved as UTF-16 without a BOM has a zero in (nearly) every high byte: the odd bytes for little-endian
// (zeroAt 1), the even ones for big-endian (zeroAt 0).
function looksLikeUtf16(bytes: Uint8Array, zeroAt: 0 | 1): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 16) return false;
  let highZeros = 0;
  let lowZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i + zeroAt] === 0) highZeros++;
    if (bytes[i + 1 - zeroAt] === 0) lowZeros++;
  }
  return highZeros > n * 0.4 && lowZeros < n * 0.05;
}

/** Splits on LF, CRLF and lone CR alike: SAP logs mix all three. A trailing newline adds no empty line. */
export function splitLines(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.indexOf('\r') === -1 ? text.split('\n') : text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
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
