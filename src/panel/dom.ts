// Element builders for the panel. Text from a dump only ever becomes a Text node or an attribute value set with
// setAttribute, never markup: this module has no way to parse HTML, so a dump holding `<script>` stays text.

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  id?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | null | undefined>;
}

function applyProps(element: Element, props: Props): void {
  if (props.class) element.setAttribute('class', props.class);
  if (props.id) element.id = props.id;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    // Event-handler attributes would run code: handlers are attached with addEventListener only.
    if (/^on/i.test(name)) throw new Error(`refusing to set ${name}`);
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(element: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  applyProps(element, props);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  applyProps(element, props);
  append(element, children);
  return element;
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/** Text a screen reader announces but the eye does not see (the CSS class hides it off-screen). */
export function srOnly(text: string): HTMLSpanElement {
  return h('span', { class: 'sr-only', text });
}
