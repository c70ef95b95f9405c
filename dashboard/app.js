/* The board view: headline tiles from GET /v1/dashboard, a trend chart per headline
   metric from GET /v1/metrics/{code}/series, an area comparison from
   GET /v1/metrics/{code}/areas and breakdowns from GET /v1/observations. It uses the
   public API only, builds every element with textContent (never HTML from data), and
   keeps each chart's figures in a table and a CSV beside it. An ES module: the pure
   helpers (words, numbers, periods, CSV) are in the modules it imports, each tested
   under node in tests/dashboard/; the chart configurations are in charts.js. */
import { $, chartCard, csvLink, el, enc, getJSON, table } from './dom.js';
import { MISSING, fmtNumber, fmtValue, plural, wrapLabel } from './format.js';
import { FREQ_UNIT, fmtPeriod, periodIndex } from './periods.js';
import { ragBadgeParts, ragClass, trendWords } from './rag.js';
import { changeText, freshness, pickTarget } from './board.js';
import {
  NO_SPC, asAtText, assuranceOf, comparisonCaption, comparisonParts, onTrackSummary, partialText,
  signalCell, spcBasisText, spcSummary, stepChanges, variationLetter, variationOf,
} from './judgements.js';
import { TARGET_CSV_HEADER, csvText, targetCsvRows } from './csv.js';
import { areaBarsConfig, breakdownBarsConfig, changeChartConfig, trendChartConfig, trendDatasets } from './charts.js';

const DEFAULT_AREA = 'E47000007';
const AREA_TYPES = [
  ['combined_authority', 'Combined authorities'],
  ['region', 'Regions'],
  ['country', 'Countries'],
  ['metropolitan_district', 'Metropolitan districts'],
  ['county', 'Counties'],
  ['unitary', 'Unitary authorities'],
  ['non_metropolitan_district', 'Non-metropolitan districts'],
];

const state = {
  area: DEFAULT_AREA,
  areas: new Map(),
  metrics: new Map(),
  programmes: new Map(),
  dimensions: new Map(),
  board: null,
  charts: new Map(),
  blobUrls: [],
  seq: 0,
  compareMetric: null,
  comparePeriod: null,
};

/* ---- small helpers ---- */

function csvBlobUrl(header, rows) {
  const text = csvText(header, rows);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  state.blobUrls.push(url);
  return url;
}

function areaName(code) {
  const a = state.areas.get(code);
  return a ? a.name : code;
}

function metricInfo(code) {
  return state.metrics.get(code) || { code, name: code, unit: 'count', decimals: 0 };
}

function setStatus(text) {
  $('status').textContent = text;
}

function showError(text) {
  const box = $('error');
  box.textContent = text;
  box.hidden = !text;
}

function revokeCsvUrls() {
  state.blobUrls.forEach((u) => URL.revokeObjectURL(u));
  state.blobUrls = [];
}

function destroyCharts(prefix) {
  for (const [id, chart] of state.charts) {
    if (id.startsWith(prefix)) {
      chart.destroy();
      state.charts.delete(id);
    }
  }
}

function makeChart(id, canvas, config) {
  const old = state.charts.get(id);
  if (old) old.destroy();
  if (!window.Chart) return null; /* the table beside it still carries the figures */
  const chart = new window.Chart(canvas, config);
  state.charts.set(id, chart);
  return chart;
}

/* ---- the board: tiles ---- */

function ragBadge(rag, hasTarget) {
  const b = ragBadgeParts(rag, hasTarget);
  return el('span', { class: `badge rag-${ragClass(b.rag)}`, 'data-rag': b.rag },
    el('span', { class: 'icon', 'aria-hidden': 'true', text: b.icon }), b.text);
}

function freshnessNode(m) {
  const f = freshness(m.freshness, m.frequency);
  return el('p', { class: f.stale ? 'fresh stale' : 'fresh' }, f.stale ? el('strong', { text: 'Not recent: ' }) : null, f.text);
}

function icon(cls, data, letter, word) {
  return el('span', { class: `mdc mdc-${cls}`, ...data }, el('span', { class: 'icon', 'aria-hidden': 'true', text: letter }), word);
}

function spcIcons(spc, polarity) {
  if (!spc) return el('p', { class: 'spc-none', text: NO_SPC });
  const v = variationOf(spc.variation);
  const a = assuranceOf(spc.assurance);
  return el('div', { class: 'spc-icons' },
    icon(v.cls, { 'data-variation': spc.variation }, variationLetter(spc.variation, polarity), v.word),
    icon(a.cls, { 'data-assurance': spc.assurance && a.cls !== 'none' ? spc.assurance : 'none' }, a.letter, a.word),
    el('span', { class: 'vh', text: spcBasisText(spc) }));
}

function comparisonList(m) {
  const items = m.comparison || [];
  if (!items.length) return null;
  return el('ul', { class: 'verdicts', 'aria-label': 'Compared with' }, items.map((c) => {
    const w = comparisonParts(c, m);
    return el('li', { 'data-verdict': c.verdict, 'data-area': c.area }, el('strong', { text: w.word }), w.text);
  }));
}

function partialNode(m) {
  const p = m.partial_latest;
  if (!p) return null;
  return el('p', { class: 'partial', 'data-period': p.period }, el('strong', { text: 'Partial total: ' }), partialText(p, m, areaName));
}

function tile(m) {
  const t = m.target;
  const rag = t ? t.rag : null;
  /* Without a figure there is no change or total to show: the tile says so once. */
  const rows = m.latest ? [
    ['Change', changeText(m)],
    ['Total to date', m.total_to_date !== null && m.total_to_date !== undefined
      ? fmtValue(m.total_to_date, m) : m.kind === 'rate' ? 'Not added up (a rate)' : MISSING],
  ] : [];
  rows.push(['Target', t ? `${fmtValue(t.value, m)} by ${fmtPeriod(t.end)}` : 'No target set']);
  let meter = null;
  if (t) {
    const pct = t.percent_of_target;
    if (pct !== null && pct !== undefined) rows.push(['Progress', `${fmtNumber(pct, 1)}% of target`]);
    if (pct !== null && pct !== undefined) {
      meter = el('div', { class: 'meter', role: 'presentation' },
        el('span', { style: { width: `${Math.max(0, Math.min(100, pct))}%` } }));
    }
    if (t.expected !== null && t.expected !== undefined) {
      rows.push(['Expected by now', `${fmtValue(t.expected, m)}${t.percent_of_expected !== null && t.percent_of_expected !== undefined ? ` (${fmtNumber(t.percent_of_expected, 1)}% reached)` : ''}`]);
    }
  }
  const latest = m.latest;
  const asof = latest
    ? `${fmtPeriod(latest.period)} \u00b7 ${latest.status === 'final' ? 'final' : 'provisional'}${latest.derived ? ' \u00b7 derived from member areas' : ''}`
    : m.partial_latest ? `No whole figure for ${areaName(state.area)} yet` : `No figure for ${areaName(state.area)} yet`;
  const dl = el('dl', {});
  for (const [k, v] of rows) {
    dl.append(el('dt', { text: k }), el('dd', { 'data-field': k.toLowerCase().replace(/ /g, '-'), text: v }));
    if (k === 'Progress' && meter) dl.lastChild.append(meter);
  }
  return el('li', { class: `tile rag-${ragClass(rag)}`, id: `tile-${m.metric}`, 'data-metric': m.metric, 'aria-labelledby': `tile-${m.metric}-name` },
    el('h4', { id: `tile-${m.metric}-name`, text: m.name }),
    el('p', { class: 'value' }, el('data', { value: latest ? latest.value : '', text: latest ? fmtValue(latest.value, m) : MISSING })),
    el('p', { class: 'asof', text: asof }),
    ragBadge(rag, !!t),
    partialNode(m),
    spcIcons(m.spc, m.polarity),
    comparisonList(m),
    dl,
    m.latest || m.partial_latest ? freshnessNode(m) : null,
    el('a', { class: 'more', href: `#trend-${m.metric}` }, 'Trend chart', el('span', { class: 'vh', text: ` for ${m.name}` })));
}

function onTrack(p) {
  const t = onTrackSummary(p.metrics);
  return el('p', { class: 'on-track', 'data-green': t.green, 'data-rated': t.rated, text: t.text });
}

function renderBoard(board) {
  const root = $('programmes');
  root.replaceChildren();
  $('area-name').textContent = board.area ? board.area.name : areaName(state.area);
  let count = 0;
  for (const p of board.programmes || []) {
    if (!p.metrics || !p.metrics.length) continue;
    count += p.metrics.length;
    root.append(el('section', { class: 'programme', 'aria-labelledby': `prog-${p.code}` },
      el('h3', { id: `prog-${p.code}`, text: p.name }),
      onTrack(p),
      el('ul', { class: 'tiles' }, p.metrics.map(tile))));
  }
  if (!count) root.append(el('p', { class: 'chart-empty', text: 'No headline metrics are set up yet.' }));
  $('as-at').textContent = asAtText(board);
  return count;
}

/* ---- trends: one line chart per headline metric ---- */

function headlineMetrics() {
  const out = [];
  for (const p of (state.board && state.board.programmes) || []) for (const m of p.metrics || []) out.push(m);
  return out;
}

/* Under the chart, in words: the judgement the icons on the tile give. */
function spcLine(spc, info) {
  return el('p', { class: 'spc-line', 'data-spc': spc ? spc.variation : 'none', text: spcSummary(spc, info) });
}

/* A running total is judged by its change from one period to the next: that chart. */
function changeChart(id, m, info, points, spc, signalBy) {
  const changes = stepChanges(points, info.frequency, spc.from);
  const unit = FREQ_UNIT[info.frequency] || 'period';
  const canvas = el('canvas', { role: 'img', 'aria-label': `${m.name}: the change each ${unit}, ${plural(changes.length, 'change')}, with the mean and process limits.` });
  makeChart(`${id}-change`, canvas, changeChartConfig(changes, unit, spc, signalBy, info));
  return el('div', { class: 'chart-box chart-box-small' }, canvas);
}

function trendCard(m, series, wholeWindow) {
  const id = `trend-${m.metric}`;
  const info = { ...metricInfo(m.metric), ...m, ...(series && series.metric ? series.metric : {}) };
  const target = series ? pickTarget(series, m) : null;
  const bits = [];
  if (series && series.cumulative) bits.push('running total over the target window');
  else if (info.kind === 'stock') bits.push('total to date as reported');
  else if (info.kind === 'rate') bits.push('a rate');
  if (target) bits.push(`target ${fmtValue(target.value, info)} by ${fmtPeriod(target.end)}`);
  else bits.push('no target set');
  if (series && (series.points || []).some((p) => p.derived)) bits.push('\u25B2 marks a total added up from member areas');
  if (series && series.trend) bits.push(`trend: ${trendWords(series.trend)}`);
  if (series && (series.points || []).some((p) => p.complete === false)) bits.push('\u25CB hollow: a partial total');
  if (series && (series.comparison || []).length) bits.push(comparisonCaption(series.comparison));
  const card = chartCard(id, m.name, bits.join('; '));
  card.dataset.area = state.area;
  const points = (series && series.points) || [];
  card.dataset.points = String(points.length);
  if (!series) {
    card.append(el('p', { class: 'chart-empty', text: 'The figures for this chart could not be loaded.' }));
    return card;
  }
  if (!points.length) {
    card.append(el('p', { class: 'chart-empty', text: `No figures for ${areaName(state.area)} yet.` }));
    return card;
  }
  const last = points[points.length - 1].period;
  const traj = target ? (target.trajectory || []).filter((t) => wholeWindow || t.period <= last) : [];
  const labels = [...new Set([...points.map((p) => p.period), ...traj.map((t) => t.period)])].sort((x, y) => periodIndex(x) - periodIndex(y));
  const byPeriod = new Map(points.map((p) => [p.period, p]));
  const trajBy = new Map(traj.map((t) => [t.period, t.value]));
  const parent = series.parent && series.parent.points ? series.parent : null;
  const parentBy = new Map(parent ? parent.points.map((p) => [p.period, p.value]) : []);
  const spc = series.spc || null;
  const signalBy = new Map(spc ? spc.signals.map((g) => [g.period, g]) : []);
  const lastTraj = trajBy.get(last);
  const span = points.length === 1 ? `one figure, for ${fmtPeriod(last)}` : `${plural(points.length, 'figure')} from ${fmtPeriod(points[0].period)} to ${fmtPeriod(last)}`;
  const summary = `${m.name} for ${areaName(state.area)}: ${span}, latest ${fmtValue(byPeriod.get(last).value, info)}` +
    (lastTraj !== undefined ? `; the target trajectory is ${fmtValue(lastTraj, info)} at ${fmtPeriod(last)}` : '') + '.';
  const canvas = el('canvas', { role: 'img', 'aria-label': summary });
  card.append(el('div', { class: 'chart-box' }, canvas));
  card.append(spcLine(spc, info));

  const whole = points.filter((p) => p.complete !== false && !p.suppressed);
  const partial = points.filter((p) => p.complete === false && !p.suppressed);
  const datasets = trendDatasets({
    label: `${areaName(state.area)}${series.cumulative ? ' (running total)' : ''}`,
    whole, partial, traj, parent: parent && parentBy.size ? parent : null, spc, signalBy,
  });
  makeChart(id, canvas, trendChartConfig(datasets, labels.map(periodIndex), { byPeriod, signalBy, hasPartial: partial.length > 0, info }));
  if (spc && spc.basis === 'change') card.append(changeChart(id, m, info, points, spc, signalBy));

  const head = ['Period', 'Value', 'Status', 'Derived', 'Target trajectory', '95% interval', 'Process chart'];
  if (parent && parentBy.size) head.push(parent.name);
  const rows = labels.filter((l) => byPeriod.has(l)).map((l) => {
    const p = byPeriod.get(l);
    const g = signalBy.get(l);
    const r = [fmtPeriod(l), fmtValue(p.value, info), p.status || '', p.derived ? `yes, from ${plural((p.members || []).length, 'area')}${p.complete === false ? ' (partial)' : ''}` : 'no',
      trajBy.has(l) ? fmtValue(trajBy.get(l), info) : MISSING,
      p.lower !== null && p.lower !== undefined && p.upper !== null ? `${fmtValue(p.lower, info)} to ${fmtValue(p.upper, info)}${p.ci_method === 'wilson' ? ' (Wilson)' : ''}` : MISSING,
      signalCell(g, spc)];
    if (parent && parentBy.size) r.push(parentBy.has(l) ? fmtValue(parentBy.get(l), info) : MISSING);
    return r;
  });
  const href = traj.length === 0 ? null
    : csvBlobUrl(TARGET_CSV_HEADER, targetCsvRows(m.metric, state.area, labels, byPeriod, trajBy, parentBy));
  card.append(el('div', { class: 'chart-actions' },
    csvLink(`/v1/metrics/${enc(m.metric)}/series?area=${enc(state.area)}&cumulative=${!!series.cumulative}&format=csv`,
      `${m.metric}_${state.area}${series.cumulative ? '_cumulative' : ''}_series.csv`, m.name),
    href ? el('a', { href, download: `${m.metric}-${state.area}-with-target.csv`, class: 'csv-target' },
      'CSV with the target line', el('span', { class: 'vh', text: ` for ${m.name}` })) : null,
    el('details', {}, el('summary', {}, 'Figures as a table', el('span', { class: 'vh', text: ` for ${m.name}` })),
      table(`${m.name}, ${areaName(state.area)}`, head, rows, { numeric: [1, 4, 7] }))));
  return card;
}

async function loadSeries(m, area) {
  const cumulative = !!(m.target && m.target.basis === 'cumulative');
  try {
    return await getJSON(`/v1/metrics/${enc(m.metric)}/series?area=${enc(area)}&cumulative=${cumulative}`);
  } catch (e) {
    if (e.status === 404) return { points: [], targets: [] };
    return null;
  }
}

async function renderTrends(seq) {
  const root = $('trends');
  const metrics = headlineMetrics();
  const all = await Promise.all(metrics.map((m) => loadSeries(m, state.area)));
  if (seq !== state.seq) return;
  destroyCharts('trend-');
  revokeCsvUrls();
  root.replaceChildren();
  state.trendSeries = new Map();
  const whole = $('whole-window').checked;
  metrics.forEach((m, i) => {
    state.trendSeries.set(m.metric, all[i]);
    root.append(trendCard(m, all[i], whole));
  });
}

function redrawTrends() {
  const root = $('trends');
  destroyCharts('trend-');
  revokeCsvUrls();
  root.replaceChildren();
  const whole = $('whole-window').checked;
  for (const m of headlineMetrics()) root.append(trendCard(m, state.trendSeries ? state.trendSeries.get(m.metric) : null, whole));
}

/* ---- comparing areas for one period ---- */

function fillCompareMetrics() {
  const sel = $('compare-metric');
  sel.replaceChildren();
  const byProg = new Map();
  for (const m of state.metrics.values()) {
    if (m.active === false) continue;
    if (!byProg.has(m.programme)) byProg.set(m.programme, []);
    byProg.get(m.programme).push(m);
  }
  for (const [prog, list] of byProg) {
    const p = state.programmes.get(prog);
    sel.append(el('optgroup', { label: p ? p.name : prog }, list.map((m) => el('option', { value: m.code, text: m.name }))));
  }
  const first = headlineMetrics()[0];
  if (!state.compareMetric || !state.metrics.has(state.compareMetric)) state.compareMetric = first ? first.metric : (sel.options[0] && sel.options[0].value);
  if (state.compareMetric) sel.value = state.compareMetric;
  sel.disabled = sel.options.length === 0;
}

async function comparePeriods(code) {
  const grab = async (area) => {
    try {
      const s = await getJSON(`/v1/metrics/${enc(code)}/series?area=${enc(area)}`);
      return (s.points || []).map((p) => p.period);
    } catch (e) {
      return [];
    }
  };
  let periods = await grab(state.area);
  if (!periods.length && state.area !== DEFAULT_AREA) periods = await grab(DEFAULT_AREA);
  return [...new Set(periods)].sort().reverse();
}

async function renderCompare(seq, keepPeriod) {
  const code = state.compareMetric;
  const root = $('compare');
  const psel = $('compare-period');
  if (!code) {
    root.replaceChildren(el('p', { class: 'chart-empty', text: 'No metrics are set up yet.' }));
    return;
  }
  const periods = await comparePeriods(code);
  if (seq !== state.seq) return;
  psel.replaceChildren(...periods.map((p) => el('option', { value: p, text: fmtPeriod(p) })));
  psel.disabled = periods.length === 0;
  if (!(keepPeriod && periods.includes(state.comparePeriod))) state.comparePeriod = periods[0] || null;
  if (state.comparePeriod) psel.value = state.comparePeriod;
  await drawCompare(seq);
}

async function drawCompare(seq) {
  const code = state.compareMetric;
  const period = state.comparePeriod;
  const info = metricInfo(code);
  const root = $('compare');
  destroyCharts('compare');
  if (!period) {
    root.replaceChildren(el('p', { class: 'chart-empty', text: `No figures for ${info.name} yet.` }));
    await renderBreakdowns(seq);
    return;
  }
  let answer;
  try {
    answer = await getJSON(`/v1/metrics/${enc(code)}/areas?period=${enc(period)}`);
  } catch (e) {
    if (seq !== state.seq) return;
    root.replaceChildren(el('p', { class: 'chart-empty', text: `The comparison could not be loaded: ${e.message}` }));
    await renderBreakdowns(seq);
    return;
  }
  if (seq !== state.seq) return;
  const items = (answer.items || []).filter((it) => it.value !== null && it.value !== undefined)
    .sort((a, b) => b.value - a.value);
  const chosenIn = items.some((it) => it.area === state.area);
  const card = chartCard('compare-card', `${info.name}, ${fmtPeriod(period)}`,
    `Every area with a figure for ${fmtPeriod(period)}; ` +
    (chosenIn ? `${areaName(state.area)} is marked \u25B6.` : `${areaName(state.area)} has none.`));
  card.dataset.metric = code;
  card.dataset.period = period;
  if (!items.length) {
    card.append(el('p', { class: 'chart-empty', text: `No area has a figure for ${fmtPeriod(period)}.` }));
  } else {
    const label = (it) => wrapLabel(`${it.area === state.area ? '\u25B6 ' : ''}${it.name}${it.derived ? ' (derived)' : ''}`, 22);
    const canvas = el('canvas', { role: 'img', 'aria-label': `${info.name} by area for ${fmtPeriod(period)}: ` + items.slice(0, 5).map((it) => `${it.name} ${fmtValue(it.value, info)}`).join(', ') + (items.length > 5 ? `, and ${plural(items.length - 5, 'more area')}` : '') + '.' });
    const box = el('div', { class: 'chart-box tall', style: { height: `${Math.max(8, items.length * 2 + 4)}rem` } }, canvas);
    card.append(box);
    makeChart('compare', canvas, areaBarsConfig(items, items.map(label), `${info.name}, ${fmtPeriod(period)}`, state.area, info));
  }
  const csvHref = `/v1/metrics/${enc(code)}/areas?period=${enc(period)}&format=csv`;
  card.append(el('div', { class: 'chart-actions' },
    csvLink(csvHref, `${code}_${period}_areas.csv`, `${info.name} by area`),
    items.length ? el('details', {}, el('summary', {}, 'Figures as a table', el('span', { class: 'vh', text: ` for ${info.name} by area` })),
      table(`${info.name} by area, ${fmtPeriod(period)}`, ['Area', 'Value', 'Status', 'Derived'],
        items.map((it) => [`${it.name}${it.area === state.area ? ' (chosen area)' : ''}`, fmtValue(it.value, info), it.status || '', it.derived ? 'yes' : 'no']),
        { numeric: [1], selected: (k) => items[k].area === state.area })) : null));
  root.replaceChildren(card);
  await renderBreakdowns(seq);
}

/* ---- breakdowns of one metric in the chosen area ---- */

async function renderBreakdowns(seq) {
  const root = $('breakdowns');
  const code = state.compareMetric;
  const info = metricInfo(code);
  const period = state.comparePeriod;
  destroyCharts('breakdown-');
  const dims = (info.dimensions || []).map((d) => (typeof d === 'string' ? d : d.code));
  if (!dims.length) {
    root.replaceChildren(el('p', { class: 'note', text: `${info.name} is not broken down by sex, age, ethnicity or disability.` }));
    return;
  }
  if (!period) {
    root.replaceChildren(el('p', { class: 'note', text: `No figures for ${info.name} yet.` }));
    return;
  }
  const answers = await Promise.all(dims.map(async (d) => {
    const q = `metric=${enc(code)}&area=${enc(state.area)}&breakdown=${enc(d)}&from=${enc(period)}&to=${enc(period)}`;
    try {
      return { d, q, items: (await getJSON(`/v1/observations?${q}&limit=1000`)).items || [] };
    } catch (e) {
      return { d, q, error: e.message, items: [] };
    }
  }));
  if (seq !== state.seq) return;
  root.replaceChildren();
  if (answers.every((a) => !a.error && !a.items.length)) {
    const names = dims.map((d) => (state.dimensions.get(d) || { name: d }).name.toLowerCase());
    root.append(el('p', { class: 'note', text: `No figures for ${info.name} in ${areaName(state.area)}, ${fmtPeriod(period)}, broken down by ${names.join(', ')}.` }));
    return;
  }
  const grid = el('div', { class: 'chart-grid' });
  root.append(el('p', { class: 'note', text: `${info.name} in ${areaName(state.area)}, ${fmtPeriod(period)}. Counts of 1 to 4 are hidden to protect people's privacy.` }), grid);
  for (const { d, q, items, error } of answers) {
    const dim = state.dimensions.get(d) || { name: d, categories: [] };
    const catName = new Map((dim.categories || []).map((c) => [c.code, c.name]));
    const order = new Map((dim.categories || []).map((c, i) => [c.code, i]));
    const id = `breakdown-${d}`;
    const card = chartCard(id, `By ${dim.name.toLowerCase()}`, `${info.name}, ${areaName(state.area)}, ${fmtPeriod(period)}`);
    const rows = items.map((it) => ({ cat: it.breakdown ? it.breakdown[d] : '', value: it.value, suppressed: !!it.suppressed }))
      .sort((a, b) => (order.get(a.cat) ?? 99) - (order.get(b.cat) ?? 99));
    if (error || !rows.length) {
      card.append(el('p', { class: 'chart-empty', text: error ? `Could not be loaded: ${error}` : `No figures by ${dim.name.toLowerCase()} for this area and period.` }));
    } else {
      const shown = rows.filter((r) => r.value !== null && r.value !== undefined);
      const canvas = el('canvas', { role: 'img', 'aria-label': `${info.name} by ${dim.name.toLowerCase()}: ` + rows.map((r) => `${catName.get(r.cat) || r.cat} ${r.suppressed ? 'hidden (small count)' : fmtValue(r.value, info)}`).join(', ') + '.' });
      card.append(el('div', { class: 'chart-box' }, canvas));
      makeChart(id, canvas, breakdownBarsConfig(shown.map((r) => catName.get(r.cat) || r.cat), shown.map((r) => r.value), info));
      card.append(el('div', { class: 'chart-actions' },
        csvLink(`/v1/observations?${q}&format=csv`, `observations_${code}_${state.area}_${d}_${period}.csv`, `${info.name} by ${dim.name.toLowerCase()}`),
        el('details', {}, el('summary', {}, 'Figures as a table', el('span', { class: 'vh', text: ` by ${dim.name.toLowerCase()}` })),
          table(`${info.name} by ${dim.name.toLowerCase()}`, [dim.name, 'Value'],
            rows.map((r) => [catName.get(r.cat) || r.cat, r.suppressed ? 'hidden (1 to 4)' : fmtValue(r.value, info)]), { numeric: [1] }))));
    }
    grid.append(card);
  }
}

/* ---- loading and controls ---- */

function fillAreas(items) {
  const sel = $('area');
  sel.replaceChildren();
  for (const [type, label] of AREA_TYPES) {
    const list = items.filter((a) => a.type === type).sort((a, b) => a.name.localeCompare(b.name));
    if (list.length) sel.append(el('optgroup', { label }, list.map((a) => el('option', { value: a.code, text: a.name }))));
  }
  const known = new Set(AREA_TYPES.map(([t]) => t));
  const rest = items.filter((a) => !known.has(a.type));
  if (rest.length) sel.append(el('optgroup', { label: 'Other areas' }, rest.map((a) => el('option', { value: a.code, text: a.name }))));
  if (!state.areas.has(state.area)) state.area = DEFAULT_AREA;
  sel.value = state.area;
  sel.disabled = false;
}

function rememberInUrl() {
  const u = new URL(window.location.href);
  u.searchParams.set('area', state.area);
  if (state.compareMetric) u.searchParams.set('metric', state.compareMetric);
  window.history.replaceState(null, '', u);
}

async function loadArea() {
  const seq = ++state.seq;
  const main = $('main');
  main.setAttribute('aria-busy', 'true');
  setStatus(`Loading the board for ${areaName(state.area)}\u2026`);
  showError('');
  try {
    const board = await getJSON(`/v1/dashboard?area=${enc(state.area)}`);
    if (seq !== state.seq) return;
    state.board = board;
    const n = renderBoard(board);
    fillCompareMetrics();
    rememberInUrl();
    await Promise.all([renderTrends(seq), renderCompare(seq, true)]);
    if (seq !== state.seq) return;
    setStatus(`Showing ${board.area ? board.area.name : areaName(state.area)}: ${plural(n, 'headline figure')}.`);
    document.body.dataset.area = state.area;
    document.body.dataset.ready = String(seq);
  } catch (e) {
    if (seq !== state.seq) return;
    setStatus('');
    showError(e.status === 401 || e.status === 403
      ? `This server does not open its figures to the public: ${e.message}`
      : `The board could not be loaded: ${e.message}`);
  } finally {
    if (seq === state.seq) main.setAttribute('aria-busy', 'false');
  }
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  if (params.get('area')) state.area = params.get('area');
  if (params.get('metric')) state.compareMetric = params.get('metric');
  if (window.Chart) {
    window.Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    window.Chart.defaults.color = '#1a1a1a';
  }
  try {
    const [areas, metrics, programmes, dimensions] = await Promise.all([
      getJSON('/v1/areas'), getJSON('/v1/metrics'), getJSON('/v1/programmes'), getJSON('/v1/dimensions')]);
    for (const a of areas.items || []) state.areas.set(a.code, a);
    for (const m of metrics.items || []) state.metrics.set(m.code, m);
    for (const p of programmes.items || []) state.programmes.set(p.code, p);
    for (const d of dimensions.items || []) state.dimensions.set(d.code, d);
    fillAreas(areas.items || []);
  } catch (e) {
    showError(`The list of areas could not be loaded: ${e.message}`);
  }

  $('area').addEventListener('change', (ev) => {
    state.area = ev.target.value;
    loadArea();
  });
  $('whole-window').addEventListener('change', redrawTrends);
  $('compare-metric').addEventListener('change', async (ev) => {
    state.compareMetric = ev.target.value;
    rememberInUrl();
    await renderCompare(state.seq, false);
  });
  $('compare-period').addEventListener('change', async (ev) => {
    state.comparePeriod = ev.target.value;
    await drawCompare(state.seq);
  });
  window.addEventListener('pagehide', revokeCsvUrls);
  await loadArea();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
