/** The bar on top of every UI page: Fjord's name and the links between the pages. */
import { el } from './dom.js';

/** The header, with `current` marked. */
export function pageHeader(current: 'explore' | 'status'): HTMLElement {
  const link = (id: 'explore' | 'status', href: string, text: string) =>
    el('a', { href, class: id === current ? 'nav-link current' : 'nav-link', 'aria-current': id === current ? 'page' : undefined }, text);
  return el('header', { class: 'page-header' },
    el('span', { class: 'brand' }, 'Fjord'),
    el('nav', {}, link('explore', '/', 'Explore'), link('status', '/status', 'Status')));
}
