// Reading `closewait dump`'s inputs: a file or standard input, decoded as it is read (see DumpDecoder), so that a
// 100 MB dump never sits in memory as bytes and text at once, and an input too large to analyse is refused by its
// size before it is read.
import { open } from 'node:fs/promises';
import { DumpDecoder, InputTooLargeError, MAX_INPUT_BYTES, type DumpText } from '../dump/index';
import { tooLargeMessage } from '../dump/text';

/** Bytes read at a time. */
const PIECE = 16 * 1024 * 1024;

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
  try {
    const { size } = await file.stat();
    // A FIFO or a device says 0 here: it is counted as it is read.
    if (size > 0 && budget.used + size > MAX_INPUT_BYTES) throw new InputTooLargeError(tooLargeMessage(budget.used + size));
    const decoder = new DumpDecoder();
    const buffer = Buffer.allocUnsafe(Math.min(PIECE, Math.max(size, 64 * 1024)));
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      budget.take(bytesRead);
      decoder.push(new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
    }
    return decoder.end();
  } finally {
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
