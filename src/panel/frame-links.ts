// A stack frame of the user's code as a button that asks the host to open the file at the line.
import { h } from './dom';
import type { FrameRef } from './protocol';
import type { StackLine } from './view-model';

export type OpenFrame = (frame: FrameRef) => void;

export function frameLink(ref: FrameRef, text: string, open: OpenFrame): HTMLButtonElement {
  const where = ref.file !== null ? `${ref.file}${ref.line !== null ? ` line ${ref.line}` : ''}` : `the source of ${ref.class}`;
  const button = h('button', {
    class: 'frame-link',
    text,
    attrs: {
      type: 'button',
      'aria-label': `Open ${where} (${ref.class}.${ref.method})`,
      title: `Open ${where} in the editor`,
      'data-class': ref.class,
      'data-file': ref.file,
      'data-line': ref.line,
    },
  });
  button.addEventListener('click', () => open({ class: ref.class, method: ref.method, file: ref.file, line: ref.line }));
  return button;
}

/** One line of a stack: the user's frames highlighted and linked, a gap marker for frames left out. */
export function stackItem(line: StackLine, open: OpenFrame): HTMLElement {
  if (line.kind === 'gap') return h('li', { class: 'frame gap', text: line.text });
  const item = h('li', { class: line.app ? 'frame is-app' : 'frame' }, h('span', { class: 'at', text: 'at ' }));
  if (line.ref !== null) item.append(frameLink(line.ref, line.text, open));
  else item.append(h('span', { class: 'frame-text', text: line.text }));
  return item;
}
