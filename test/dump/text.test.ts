// Bytes to text and text to lines, in pieces: whatever the bytes and wherever the pieces are cut (inside a UTF-8
// character, between a CR and its LF), the text is what decoding the whole file at once gives, the lines are what
// splitting it on LF, CRLF and lone CR gives, and an input too large for the analysis is refused by name.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { analyzeDump, DumpDecoder, InputTooLargeError, MAX_INPUT_BYTES } from '../../src/dump/index';
import { TextLines } from '../../src/dump/text';

/** Decoding all at once, by the rules the decoder documents: BOMs, then UTF-8 if valid, else Latin-1. */
function wholeDecode(bytes: Uint8Array): string {
  const utf16 = (encoding: string, b: Uint8Array): string => new TextDecoder(encoding, { ignoreBOM: true }).decode(b);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16('utf-16le', bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16('utf-16be', bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  }
}

function regexSplit(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function linesOf(text: string | string[]): string[] {
  const lines = new TextLines(text);
  return Array.from({ length: lines.length }, (_, i) => lines.at(i));
}

// Bytes that make trouble: line breaks, the lead and continuation bytes of 2-, 3- and 4-byte characters, and bytes
// no UTF-8 has (so that some inputs turn Latin-1 half way through).
const troubleByte = fc.constantFrom(0x41, 0x20, 0x0a, 0x0d, 0xc3, 0xa4, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff);
// The decoder decides the encoding on its first 4 KB: an ASCII head makes every later push go through the streaming path.
const head = new TextEncoder().encode(`"main" #1 prio=5\n${'x'.repeat(4200)}\n`);

describe('DumpDecoder', () => {
  test('pieces cut anywhere decode to the whole text, with the same lines', () => {
    fc.assert(
      fc.property(fc.array(troubleByte, { maxLength: 80 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }), (tail, cuts) => {
        const bytes = new Uint8Array([...head, ...tail]);
        const decoder = new DumpDecoder();
        decoder.push(bytes.subarray(0, head.length));
        for (let offset = head.length, k = 0; offset < bytes.length; k++) {
          const size = cuts[k % cuts.length];
          decoder.push(bytes.subarray(offset, offset + size));
          offset += size;
        }
        const chunks = decoder.end();
        const whole = wholeDecode(bytes);
        assert.equal(chunks.join(''), whole);
        for (const chunk of chunks.slice(0, -1)) assert.match(chunk, /[\r\n]$/, 'every chunk but the last ends at a line break');
        assert.deepEqual(linesOf(chunks), regexSplit(whole));
      }),
      { numRuns: 3000 },
    );
  });

  test('a reader that reads each piece into the same buffer loses nothing, even pieces shorter than the encoding sniff', () => {
    const text = `2024-03-05 10:15:42\nFull thread dump OpenJDK 64-Bit Server VM:\n${'"w" #1 prio=5 runnable\n'.repeat(400)}`;
    const bytes = new TextEncoder().encode(text);
    const buffer = new Uint8Array(64);
    const decoder = new DumpDecoder();
    for (let offset = 0, size = 4; offset < bytes.length; offset += size, size = 64) {
      const piece = bytes.subarray(offset, offset + size);
      buffer.set(piece);
      decoder.push(buffer.subarray(0, piece.length));
      buffer.fill(0x2d); // the reader's next read lands here before the decoder has seen the head whole
    }
    assert.equal(decoder.end().join(''), text);
  });

  test('a file in UTF-16 without a BOM, pushed a byte at a time', () => {
    const text = `"worker" #12 prio=5 tid=0x1 nid=0x2 runnable\r\n${'   at a.B.c(B.java:1)\r\n'.repeat(300)}`;
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) bytes[2 * i] = text.charCodeAt(i);
    const decoder = new DumpDecoder();
    for (let i = 0; i < bytes.length; i++) decoder.push(bytes.subarray(i, i + 1));
    assert.equal(decoder.end().join(''), text);
  });

  test('Latin-1 found after pieces of UTF-8 turns the whole input Latin-1, as decoding it at once does', () => {
    const utf8 = new TextEncoder().encode('"Größe" #1\n');
    const decoder = new DumpDecoder();
    decoder.push(head);
    for (let k = 0; k < 3; k++) decoder.push(utf8);
    decoder.push(new Uint8Array([0x22, 0xe4, 0x0a])); // `"ä` in Latin-1
    const chunks = decoder.end();
    assert.equal(chunks.join(''), wholeDecode(new Uint8Array([...head, ...utf8, ...utf8, ...utf8, 0x22, 0xe4, 0x0a])));
    assert.deepEqual(linesOf(chunks).slice(-2), ['"GrÃ¶Ã\x9Fe" #1', '"ä']);
  });

  test('more than MAX_INPUT_BYTES is refused with the limit named, before a byte of the excess is decoded', () => {
    const decoder = new DumpDecoder();
    decoder.push(head);
    const past = new Uint8Array(0);
    // Only the count matters: a view whose length claims the rest, without the memory.
    const claim = { length: MAX_INPUT_BYTES - head.length + 1, subarray: () => past } as unknown as Uint8Array;
    assert.throws(() => decoder.push(claim), (error: unknown) => error instanceof InputTooLargeError && /^the input is 1,025 MiB, more than the 1,024 MiB \(1 GiB\) CloseWait analyses at once/.test(error.message));
  });

  test('a byte Latin-1 only, alone in its piece, is read as Latin-1', () => {
    const decoder = new DumpDecoder();
    decoder.push(head);
    decoder.push(new Uint8Array([0xff]));
    assert.equal(decoder.end().join('').slice(-2), '\nÿ');
  });
});

describe('chunked input', () => {
  test('a dump given in chunks is analysed as the same text in one string', () => {
    const dump = [
      '2024-03-05 10:15:42',
      'Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode, sharing):',
      '',
      ...Array.from({ length: 50 }, (_, k) => [
        `"http-nio-8080-exec-${k}" #${k + 40} daemon prio=5 os_prio=0 tid=0x00007f2a0000${k} nid=0x${(k + 16).toString(16)} waiting on condition  [0x00007f2a]`,
        '   java.lang.Thread.State: WAITING (parking)',
        '\tat jdk.internal.misc.Unsafe.park(java.base@17.0.9/Native Method)',
        '\tat java.util.concurrent.LinkedBlockingQueue.take(java.base@17.0.9/LinkedBlockingQueue.java:435)',
        '',
      ]).flat(),
    ].join('\r\n');
    const cut = (at: number): string[] => {
      const lineEnd = dump.indexOf('\n', at) + 1;
      return [dump.slice(0, lineEnd), dump.slice(lineEnd)];
    };
    const whole = analyzeDump([{ name: 'd', text: dump }]);
    for (const at of [10, 500, 3000]) assert.deepEqual(analyzeDump([{ name: 'd', text: cut(at) }]), whole);
  });
});
