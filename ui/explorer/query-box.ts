/**
 * The LogQL box: a textarea over a highlighted copy of its text, checked with the server's
 * parser as the user types; a parse error is shown under the column it names.
 */
import { el } from '../shared/dom.js';
import { errorPosition, tokenizeLogql } from './logql-tokens.js';

export interface QueryBox {
  readonly root: HTMLElement;
  value(): string;
  setValue(query: string): void;
  /** Show Loki's error message (a caret under its column when it names one); null clears it. */
  showError(message: string | null): void;
}

/** Build the box; `onRun` on Enter (Shift+Enter adds a line), `check` on each pause in typing. */
export function createQueryBox(onRun: () => void, check: (query: string) => Promise<string | null>): QueryBox {
  const highlight = el('pre', { class: 'qb-highlight', 'aria-hidden': 'true' });
  const input = el('textarea', {
    class: 'qb-input', id: 'query', spellcheck: 'false', rows: 1, autocomplete: 'off',
    placeholder: '{job="x"} |= "error"   (Enter runs, Shift+Enter for a new line)', 'aria-label': 'LogQL query',
  });
  const error = el('pre', { class: 'qb-error', id: 'query-error', hidden: true });
  const root = el('div', { class: 'query-box' }, el('div', { class: 'qb-stack' }, highlight, input), error);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let checked = 0;

  const render = () => {
    highlight.replaceChildren(...tokenizeLogql(input.value).map((t) => el('span', { class: `tk-${t.kind}` }, t.text)), '\n');
    input.rows = Math.max(1, input.value.split('\n').length);
  };
  const showError = (message: string | null) => {
    if (message === null) {
      error.hidden = true;
      error.replaceChildren();
      return;
    }
    error.hidden = false;
    const pos = errorPosition(message);
    const lines = input.value.split('\n');
    if (pos === null || pos.line > lines.length) {
      error.replaceChildren(el('span', { class: 'qb-error-message' }, message));
      return;
    }
    const caret = `${' '.repeat(Math.max(0, pos.col - 1))}^`;
    error.replaceChildren(
      el('span', { class: 'qb-error-source' }, lines[pos.line - 1] ?? ''), '\n',
      el('span', { class: 'qb-error-caret' }, caret), '\n',
      el('span', { class: 'qb-error-message' }, message),
    );
  };
  input.addEventListener('input', () => {
    render();
    clearTimeout(timer);
    const mine = ++checked;
    timer = setTimeout(() => {
      const q = input.value;
      if (q.trim() === '') return showError(null);
      void check(q).then((msg) => {
        if (mine === checked) showError(msg);
      });
    }, 300);
  });
  input.addEventListener('scroll', () => {
    highlight.scrollTop = input.scrollTop;
    highlight.scrollLeft = input.scrollLeft;
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      onRun();
    }
  });
  render();
  return {
    root,
    value: () => input.value,
    setValue: (q) => {
      input.value = q;
      render();
    },
    showError,
  };
}
