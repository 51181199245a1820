// A stack frame of the user's code as a button that asks the host to open the file at the line.
import { h } from './dom';
import type { FrameRef } from './protocol';

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
