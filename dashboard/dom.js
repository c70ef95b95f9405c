/* The page's DOM and fetch helpers: every element is built with textContent (never HTML
   from data), and an API error is thrown with the problem's own detail. */

export const $ = (id) => document.getElementById(id);

export const enc = encodeURIComponent;

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k === 'style') Object.assign(node.style, v); /* CSSOM: allowed by the page's CSP */
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok) {
    const why = body && body.detail ? body.detail : `the server answered ${res.status}`;
    const err = new Error(why);
    err.status = res.status;
    throw err;
  }
  return body;
}

/* A chart's figures as a table: the first cell of a row is its header. */
export function table(caption, head, rows, opts) {
  const numeric = (opts && opts.numeric) || [];
  const selected = (opts && opts.selected) || (() => false);
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('caption', { class: 'vh', text: caption }),
      el('thead', {}, el('tr', {}, head.map((h, i) =>
        el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null, text: h })))),
      el('tbody', {}, rows.map((r, k) =>
        el('tr', { class: selected(k) ? 'selected' : null }, r.map((c, i) =>
          el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: numeric.includes(i) ? 'num' : null, text: c })))))));
}

export function chartCard(id, title, caption) {
  return el('figure', { class: 'chart-card', id, tabindex: '-1', 'aria-labelledby': `${id}-title` },
    el('h3', { id: `${id}-title`, text: title }),
    el('p', { class: 'caption', text: caption }));
}

export function csvLink(href, filename, what) {
  return el('a', { href, download: filename, class: 'csv' }, 'Download CSV', el('span', { class: 'vh', text: ` of ${what}` }));
}
