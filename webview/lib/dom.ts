// Tiny DOM builder. Text always goes through textContent (never innerHTML): telemetry is
// untrusted input. Inline `style` attributes are blocked by the panels' CSP, so dynamic
// geometry is set through the CSSOM (`el.style.x = …`), which CSP allows.
type Child = Node | string | null | undefined | false;
export interface Props {
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  on?: { [K in keyof HTMLElementEventMap]?: (e: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title) el.title = props.title;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  if (props.on) for (const [k, fn] of Object.entries(props.on)) el.addEventListener(k, fn as EventListener);
  for (const c of children) if (c) el.append(c);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** A two-column key/value table (attributes, resource). */
export function kvTable(obj: Record<string, unknown>, emptyText = 'none'): HTMLElement {
  const keys = Object.keys(obj).sort();
  if (!keys.length) return h('div', { class: 'muted', text: emptyText });
  return h('table', { class: 'kv' }, ...keys.map((k) => h('tr', {}, h('th', { text: k }), h('td', { text: formatValue(obj[k]) }))));
}

export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A codicon glyph (font from codicon.css, loaded by every panel). */
export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}
