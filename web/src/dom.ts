// Small DOM helpers. Text from the server goes in with textContent only, never as HTML.

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the element type it knows the selector has
export const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

/** A new element with a class and text (set as text, never parsed). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A plain button. */
export function button(label: string, onClick: () => void, className?: string): HTMLButtonElement {
  const element = el('button', className, label);
  element.type = 'button';
  element.addEventListener('click', onClick);
  return element;
}

/** The page's message line: an error, or news (`info`). */
export function show(text: string, kind: 'error' | 'info' = 'error'): void {
  const box = $('#message');
  box.textContent = text;
  box.className = `message ${kind === 'info' ? 'info' : ''}`;
  box.hidden = false;
}

export function clearMessage(): void {
  $('#message').hidden = true;
}
