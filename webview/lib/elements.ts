// The @vscode-elements components the panels use, imported one by one (not the whole
// bundle) so each panel's script stays small. Importing registers the custom elements.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import { h } from './dom';

type Listener = (value: string) => void;

export function button(label: string, onClick: () => void, opts: { secondary?: boolean; icon?: string; title?: string } = {}): HTMLElement {
  const b = h('vscode-button', { text: label, title: opts.title });
  if (opts.secondary) b.setAttribute('secondary', '');
  if (opts.icon) b.setAttribute('icon', opts.icon);
  b.addEventListener('click', onClick);
  return b;
}

/** A text field; `onInput` fires on every keystroke (callers debounce). */
export function textField(placeholder: string, onInput: Listener, value = ''): HTMLElement & { value: string } {
  const t = h('vscode-textfield', { attrs: { placeholder, 'aria-label': placeholder } }) as HTMLElement & { value: string };
  t.value = value;
  t.addEventListener('input', () => onInput(t.value));
  return t;
}

export function select(label: string, options: [value: string, text: string][], onChange: Listener, value = ''): HTMLElement & { value: string } {
  const s = h('vscode-single-select', { attrs: { 'aria-label': label }, title: label }) as HTMLElement & { value: string };
  setOptions(s, options, value);
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

export function setOptions(s: HTMLElement & { value: string }, options: [string, string][], value: string): void {
  s.replaceChildren(...options.map(([v, text]) => {
    const o = h('vscode-option', { text, attrs: { value: v } });
    if (v === value) o.setAttribute('selected', '');
    return o;
  }));
  s.value = value;
}

export function checkbox(label: string, onChange: (checked: boolean) => void): HTMLElement & { checked: boolean } {
  const c = h('vscode-checkbox', { attrs: { label } }) as HTMLElement & { checked: boolean };
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}
