// One input of the panel (thread dump or socket listing): a text area for pasting and typing, a file picker, and
// the line that says what was detected in it. Text over LARGE_INPUT_CHARS is held in memory and analysed in full,
// but the text area only previews it: a text area holding 100 MB makes every keystroke and layout crawl.
import { h } from './dom';
import type { InputSlot } from './protocol';
import { persistInput, type InputOrigin, type PersistedInput } from './state';
import type { InputView } from './view-model';
import { size } from './words';

export const LARGE_INPUT_CHARS = 1_000_000;
const PREVIEW_LINES = 200;
const PREVIEW_CHARS = 32 * 1024;

export interface InputBoxOptions {
  slot: InputSlot;
  title: string;
  placeholder: string;
  /** What a paste without a file name is called in labels and reports. */
  pastedName: string;
  changed(): void;
  filesChosen(files: File[]): void;
}

export class InputBox {
  readonly element: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly note: HTMLElement;
  private readonly detected: HTMLElement;
  private readonly warnings: HTMLElement;
  private text = '';
  private name = '';
  private origin: InputOrigin = 'typed';
  /** After a reload: the input that was too large to keep, so the panel can say what to paste again. */
  private lost: PersistedInput | null = null;

  constructor(private readonly options: InputBoxOptions) {
    const id = `input-${options.slot}`;
    this.textarea = h('textarea', {
      id,
      class: 'input-text',
      attrs: { spellcheck: 'false', wrap: 'off', rows: 7, placeholder: options.placeholder, 'aria-describedby': `${id}-detected ${id}-note` },
    });
    const fileInput = h('input', { class: 'file-input', attrs: { type: 'file', multiple: true, hidden: true, tabindex: -1, 'aria-hidden': 'true' } });
    const openButton = h('button', { class: 'secondary', text: 'Open file…', attrs: { type: 'button', 'aria-label': `Open a file as the ${options.title.toLowerCase()}` } });
    const clearButton = h('button', { class: 'secondary', text: 'Clear', attrs: { type: 'button', 'aria-label': `Clear the ${options.title.toLowerCase()}` } });
    this.note = h('p', { class: 'input-note', id: `${id}-note`, attrs: { hidden: true } });
    this.detected = h('p', { class: 'detected', id: `${id}-detected`, attrs: { 'aria-live': 'polite' } });
    this.warnings = h('ul', { class: 'input-warnings', attrs: { hidden: true } });
    this.element = h(
      'section',
      { class: 'input-box', attrs: { 'data-slot': options.slot } },
      h('div', { class: 'input-head' }, h('label', { text: options.title, attrs: { for: id } }), h('span', { class: 'input-actions' }, openButton, clearButton)),
      this.textarea,
      this.note,
      this.detected,
      this.warnings,
      fileInput,
    );

    this.textarea.addEventListener('paste', (event) => {
      const pasted = event.clipboardData?.getData('text/plain') ?? '';
      // A large paste never reaches the text area; one into a previewed input replaces it rather than editing it.
      if (pasted.length >= LARGE_INPUT_CHARS || this.isLarge) {
        event.preventDefault();
        this.set(pasted, '', 'pasted');
      }
    });
    this.textarea.addEventListener('input', () => {
      if (this.isLarge) return;
      if (this.text === '') this.origin = 'typed';
      this.text = this.textarea.value;
      if (this.text === '') this.name = '';
      this.lost = null;
      this.updateNote();
      options.changed();
    });
    openButton.addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', () => {
      const files = fileInput.files === null ? [] : Array.from(fileInput.files);
      fileInput.value = '';
      if (files.length > 0) options.filesChosen(files);
    });
    clearButton.addEventListener('click', () => {
      this.set('', '', 'typed');
      this.textarea.focus();
    });
  }

  get slot(): InputSlot {
    return this.options.slot;
  }

  get value(): string {
    return this.text;
  }

  /** The name the analysis and the report use: the file name, or "pasted thread dump". */
  get displayName(): string {
    return this.name !== '' ? this.name : this.options.pastedName;
  }

  get isLarge(): boolean {
    return this.text.length >= LARGE_INPUT_CHARS;
  }

  set(text: string, name: string, origin: InputOrigin, notify = true): void {
    this.text = text;
    this.name = name;
    this.origin = origin;
    this.lost = null;
    this.textarea.value = this.isLarge ? preview(text) : text;
    this.textarea.readOnly = this.isLarge;
    this.updateNote();
    if (notify) this.options.changed();
  }

  restore(saved: PersistedInput): void {
    if (saved.text !== null) {
      this.set(saved.text, saved.name, saved.origin, false);
      return;
    }
    this.set('', '', 'typed', false);
    this.lost = saved;
    this.updateNote();
  }

  persisted(): PersistedInput {
    if (this.text === '' && this.lost !== null) return this.lost;
    return persistInput(this.name, this.text, this.origin);
  }

  focus(): void {
    this.textarea.focus();
  }

  /** What the last analysis detected in this input; `analyzing` while a newer analysis runs. */
  showDetected(view: InputView | undefined, analyzing: boolean): void {
    this.warnings.replaceChildren();
    this.warnings.hidden = true;
    if (this.text === '') {
      this.detected.textContent = '';
      return;
    }
    if (analyzing || view === undefined) {
      this.detected.textContent = 'Detecting…';
      return;
    }
    this.detected.textContent = `Detected: ${view.label}${view.unparsed > 0 ? ` (${view.unparsed.toLocaleString('en-US')} lines not understood)` : ''}`;
    for (const warning of view.warnings) this.warnings.append(h('li', { text: warning }));
    this.warnings.hidden = view.warnings.length === 0;
  }

  private updateNote(): void {
    let note: string | null = null;
    if (this.lost !== null) {
      const what = this.lost.name !== '' ? `“${this.lost.name}” (${size(this.lost.chars)})` : `The pasted input (${size(this.lost.chars)})`;
      note = `${what} was not kept when the panel reloaded: it is too large for the panel's saved state. Paste or drop it again.`;
    } else if (this.isLarge) {
      const from = this.name !== '' ? ` from “${this.name}”` : this.origin === 'pasted' ? ' pasted' : '';
      note =
        `Large input: ${size(this.text.length)}${from}. It is analysed in full; only its first ${PREVIEW_LINES} lines are shown, read-only. ` +
        `It is not kept if the panel reloads (too large for the saved state). Clear it to type.`;
    }
    this.note.textContent = note ?? '';
    this.note.hidden = note === null;
  }
}

function preview(text: string): string {
  let end = 0;
  for (let line = 0; line < PREVIEW_LINES && end !== -1 && end < PREVIEW_CHARS; line++) end = text.indexOf('\n', end + 1);
  const cut = end === -1 ? Math.min(text.length, PREVIEW_CHARS) : Math.min(end, PREVIEW_CHARS);
  return `${text.slice(0, cut)}\n… (${size(text.length - cut)} more, not shown)`;
}
