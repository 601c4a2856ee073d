// A small DOM builder. Text is always set as text (never parsed as HTML), so API values cannot inject markup.
import { grouped, instant } from './format.js';

/** An element with attributes ("on…" functions become listeners) and children (nodes or text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/**
 * A figure from an API answer. `path` names where it sits in the answer of the nearest enclosing
 * element with a `data-source` (e.g. `lines[3].cost`), so a reader can check it against the API.
 * Kinds: decimal (grouped digits), usd, tokens, pct, int, text, time.
 */
export function figure(value, kind = 'decimal', path = null) {
  const attrs = { class: 'figure', 'data-path': path };
  if (kind === 'time') {
    return h('time', { ...attrs, datetime: value ?? '' }, instant(value));
  }
  const shown = value === null || value === undefined ? '—' : kind === 'text' ? String(value) : grouped(value);
  const number = h('span', { class: 'num' }, shown);
  if (value === null || value === undefined) return h('span', attrs, number);
  switch (kind) {
    case 'usd': return h('span', attrs, h('span', { class: 'unit' }, '$'), number);
    case 'tokens': return h('span', attrs, number, h('span', { class: 'unit' }, ' tokens'));
    case 'pct': return h('span', attrs, number, h('span', { class: 'unit' }, ' %'));
    default: return h('span', attrs, number);
  }
}

/**
 * A table of answer rows. Columns: {label, field, kind} where field is a dotted path in the row, or
 * {label, render(row, index)} for a computed cell. `path` is where the rows sit in the answer.
 */
export function table(caption, columns, rows, path, rowClass) {
  const head = h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'n' : null }, c.label)));
  const body = rows.map((row, i) => h('tr', { class: rowClass ? rowClass(row) : null }, columns.map((c) => {
    const cell = c.render ? c.render(row, i) : figure(dig(row, c.field), c.kind ?? 'decimal', `${path}[${i}].${c.field}`);
    const numeric = c.numeric || (c.kind && !['text', 'time'].includes(c.kind));
    return h('td', { class: numeric ? 'n' : c.wrap ? 'wrap' : null }, cell);
  })));
  return h('table', null, h('caption', null, caption), h('thead', null, head),
    h('tbody', null, body.length ? body : h('tr', null, h('td', { colspan: columns.length, class: 'empty' }, 'Nothing in this range.'))));
}

/** The value at a dotted path ("uptime.pct") of an object. */
export function dig(object, path) {
  return path.split('.').reduce((o, key) => (o === null || o === undefined ? undefined : o[key]), object);
}

/** A labelled form control; its error line (filled by showFieldError) sits under it. */
export function field(label, control, hint) {
  const id = control.id;
  control.setAttribute('aria-describedby', `${id}-error`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control,
    hint ? h('small', null, hint) : null, h('p', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
}

/** A titled section of a view; `source` is the API request whose answer it shows. */
export function section(title, source, ...children) {
  return h('section', { 'data-source': source, 'aria-label': title }, h('h2', null, title), children);
}

/** A keyed list of summary figures. */
export function summary(items) {
  return h('dl', { class: 'summary' }, items.map(([label, node]) => h('div', null, h('dt', null, label), h('dd', null, node))));
}
