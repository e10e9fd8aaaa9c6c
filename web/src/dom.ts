/**
 * Builds DOM elements from data. Text always goes in as text nodes, never as HTML, so nothing a
 * study carries (labels, messages) can inject markup.
 */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function show(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

export function fmt(x: number | null | undefined, digits = 1, unit = ''): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x.toFixed(digits)}${unit}`;
}
