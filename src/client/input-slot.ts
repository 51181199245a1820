// Which input of the Analyze Dump panel a text from the editor belongs in: the socket listing input for netstat,
// ss and lsof output, the thread dump input for everything else (either input also reads a combined paste).
import { detectInput, type InputFormat } from '../dump/index';
import type { InputSlot } from '../panel/protocol';

/** Enough lines to recognise a format; detecting a whole 100 MB file here would stall the extension host. */
const SNIFF_CHARS = 64 * 1024;

const SOCKET_LISTING_FORMATS: readonly InputFormat[] = ['netstat-linux', 'netstat-bsd', 'netstat-windows', 'ss', 'lsof'];

export function inputSlotFor(languageId: string, text: string): InputSlot {
  if (languageId === 'socket-listing') return 'sockets';
  if (languageId === 'thread-dump') return 'threads';
  let head = text.slice(0, SNIFF_CHARS);
  // A cut-off last line could be misread: stop at the last complete one.
  if (head.length < text.length && head.lastIndexOf('\n') > 0) head = head.slice(0, head.lastIndexOf('\n'));
  const formats = detectInput(head).formats;
  return formats.length > 0 && formats.every((f) => SOCKET_LISTING_FORMATS.includes(f)) ? 'sockets' : 'threads';
}
