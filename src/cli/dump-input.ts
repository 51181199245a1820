// Reading `closewait dump`'s inputs: a file or standard input, decoded as it is read (see DumpDecoder), so that a
// 100 MB dump never sits in memory as bytes and text at once, and an input too large to analyse is refused by its
// size before it is read.
import { open } from 'node:fs/promises';
import { DumpDecoder, InputTooLargeError, MAX_INPUT_BYTES, type DumpText } from '../dump/index';
import { tooLargeMessage } from '../dump/text';

/** Bytes read at a time, into each of two buffers. */
const PIECE = 8 * 1024 * 1024;

/** What the inputs read so far took of MAX_INPUT_BYTES. */
export class InputBudget {
  used = 0;

  take(bytes: number): void {
    if (this.used + bytes > MAX_INPUT_BYTES) throw new InputTooLargeError(tooLargeMessage(this.used + bytes));
    this.used += bytes;
  }
}

export async function readDumpFile(path: string, budget: InputBudget): Promise<DumpText> {
  const file = await open(path, 'r');
  let reading: ReturnType<typeof file.read<Buffer>> | undefined;
  try {
    const { size } = await file.stat();
    // A FIFO or a device says 0 here: it is counted as it is read.
    if (size > 0 && budget.used + size > MAX_INPUT_BYTES) throw new InputTooLargeError(tooLargeMessage(budget.used + size));
    const decoder = new DumpDecoder();
    const length = Math.min(PIECE, Math.max(size, 64 * 1024));
    // Two buffers: the next piece is read while this one is decoded (the decoder keeps none of a piece's bytes).
    const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
    reading = file.read(buffers[0], 0, length, null);
    for (let k = 1; ; k++) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) break;
      budget.take(bytesRead);
      reading = file.read(buffers[k % 2], 0, length, null);
      decoder.push(new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
    }
    return decoder.end();
  } finally {
    // A read still under way when decoding failed is let finish (its failure, if any, is not the one to report).
    await reading?.catch(() => undefined);
    await file.close();
  }
}

export async function readDumpStdin(budget: InputBudget): Promise<DumpText> {
  const decoder = new DumpDecoder();
  for await (const chunk of process.stdin) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array((chunk as Buffer).buffer, (chunk as Buffer).byteOffset, (chunk as Buffer).byteLength);
    budget.take(bytes.length);
    decoder.push(bytes);
  }
  return decoder.end();
}
