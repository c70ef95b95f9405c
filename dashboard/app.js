/* The board view: headline tiles from GET /v1/dashboard, a trend chart per headline
   metric from GET /v1/metrics/{code}/series, an area comparison from
   GET /v1/metrics/{code}/areas and breakdowns from GET /v1/observations. It uses the
   public API only, builds every element with textContent (never HTML from data), and
   keeps each chart's figures in a table and a CSV beside it. */
'use strict';

(function () {
  const DEFAULT_AREA = 'E47000007';
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const AREA_TYPES = [
    ['combined_authority', 'Combined authorities'],
    ['region', 'Regions'],
    ['country', 'Countries'],
    ['metropolitan_district', 'Metropolitan districts'],
    ['county', 'Counties'],
    ['unitary', 'Unitary authorities'],
    ['non_metropolitan_district', 'Non-metropolitan districts'],
  ];
  const RAG = {
    green: { icon: '\u2713', word: 'Green', meaning: 'on track' },
    amber: { icon: '!', word: 'Amber', meaning: 'slightly behind' },
    red: { icon: '\u2715', word: 'Red', meaning: 'behind' },
  };
  const FREQ_UNIT = { monthly: 'month', quarterly: 'quarter', annual: 'year' };
  const COLOURS = { actual: '#1d5fa8', target: '#a14a00', parent: '#4b5563', bar: '#1d5fa8', chosen: '#a14a00',
    improvement: '#1d5fa8', concern: '#a14a00', neutral: '#5b3f8f', common: '#4b5563', limit: '#6b7280' };
  /* Making Data Count's variation and assurance icons: a letter in a coloured circle, and
     always a word beside it (colour is never the only carrier). */
  const VARIATION = {
    common_cause: { cls: 'common', word: 'Common cause: no significant change' },
    special_cause_improvement: { cls: 'improvement', word: 'Special cause: improvement' },
    special_cause_concern: { cls: 'concern', word: 'Special cause: concern' },
    special_cause_neutral_high: { cls: 'neutral', word: 'Special cause: higher' },
    special_cause_neutral_low: { cls: 'neutral', word: 'Special cause: lower' },
  };
  const ASSURANCE = {
    consistent_pass: { cls: 'improvement', letter: 'P', word: 'Assurance: will consistently meet the target' },
    consistent_fail: { cls: 'concern', letter: 'F', word: 'Assurance: will consistently miss the target' },
    inconsistent: { cls: 'common', letter: '?', word: 'Assurance: will hit and miss the target' },
  };
  const RULE_WORD = {
    above_upper_limit: 'above the upper process limit',
    below_lower_limit: 'below the lower process limit',
    trend_increasing: 'part of 7 rising points',
    trend_decreasing: 'part of 7 falling points',
    two_of_three_high: '2 of 3 points close to the upper limit',
    two_of_three_low: '2 of 3 points close to the lower limit',
    shift_above_mean: 'part of 7 points above the mean',
    shift_below_mean: 'part of 7 points below the mean',
  };

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

  const $ = (id) => document.getElementById(id);

  /* ---- small helpers ---- */

  function el(tag, attrs, ...children) {
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

  async function getJSON(path) {
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

  const enc = encodeURIComponent;

  function fmtNumber(v, decimals, opts) {
    if (v === null || v === undefined) return '\u2013';
    return new Intl.NumberFormat('en-GB', {
      maximumFractionDigits: decimals === undefined || decimals === null ? 0 : decimals,
      ...opts,
    }).format(v);
  }

  function fmtValue(v, m) {
    if (v === null || v === undefined) return '\u2013';
    const n = fmtNumber(v, m.decimals);
    switch (m.unit) {
      case 'percent': return `${n}%`;
      case 'gbp': return `\u00a3${n}`;
      case 'rate_per_1000': return `${n} per 1,000`;
      default: return n;
    }
  }

  function fmtCompact(v, m) {
    const n = fmtNumber(v, 1, { notation: 'compact' });
    if (m.unit === 'percent') return `${n}%`;
    if (m.unit === 'gbp') return `\u00a3${n}`;
    return n;
  }

  function fmtPeriod(p) {
    if (!p) return '\u2013';
    let r = /^(\d{4})-(\d{2})$/.exec(p);
    if (r) return `${MONTHS[Number(r[2]) - 1]} ${r[1]}`;
    r = /^(\d{4})-Q([1-4])$/.exec(p);
    if (r) return `Q${r[2]} ${r[1]}`;
    r = /^FY(\d{4})-(\d{2})$/.exec(p);
    if (r) return `${r[1]}/${r[2]}`;
    return p;
  }

  /* A period as a month index (year * 12 + month - 1), so charts space periods by time. */
  function periodIndex(p) {
    let r = /^(\d{4})-(\d{2})$/.exec(p);
    if (r) return Number(r[1]) * 12 + Number(r[2]) - 1;
    r = /^(\d{4})-Q([1-4])$/.exec(p);
    if (r) return Number(r[1]) * 12 + (Number(r[2]) - 1) * 3;
    r = /^FY(\d{4})-\d{2}$/.exec(p);
    if (r) return Number(r[1]) * 12 + 3;
    r = /^(\d{4})$/.exec(p);
    if (r) return Number(r[1]) * 12;
    return null;
  }

  function fmtMonthIndex(i) {
    const k = Math.round(i);
    return `${MONTHS[((k % 12) + 12) % 12]} ${Math.floor(k / 12)}`;
  }

  function plural(n, word) {
    return `${fmtNumber(n)} ${word}${n === 1 ? '' : 's'}`;
  }

  /* Chart.js draws an array label as lines: long area names stay whole on a phone. */
  function wrapLabel(text, width) {
    const lines = [];
    for (const word of text.split(' ')) {
      const last = lines.length ? lines[lines.length - 1] : null;
      if (last !== null && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    return lines.length > 1 ? lines : text;
  }

  function csvCell(v) {
    if (v === null || v === undefined) return '';
    const s = Array.isArray(v) ? v.join(';') : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  function csvBlobUrl(header, rows) {
    const text = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
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

  function table(caption, head, rows, opts) {
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

  function chartCard(id, title, caption) {
    const card = el('figure', { class: 'chart-card', id, tabindex: '-1', 'aria-labelledby': `${id}-title` },
      el('h3', { id: `${id}-title`, text: title }),
      el('p', { class: 'caption', text: caption }));
    return card;
  }

  function csvLink(href, filename, what) {
    return el('a', { href, download: filename, class: 'csv' }, 'Download CSV', el('span', { class: 'vh', text: ` of ${what}` }));
  }

  /* ---- the board: tiles ---- */

  function ragBadge(rag, hasTarget) {
    if (!hasTarget) return el('span', { class: 'badge rag-none' }, el('span', { class: 'icon', 'aria-hidden': 'true', text: '\u2013' }), 'No target');
    const r = RAG[rag];
    if (!r) return el('span', { class: 'badge rag-none' }, el('span', { class: 'icon', 'aria-hidden': 'true', text: '?' }), 'Not rated yet');
    return el('span', { class: `badge rag-${rag}`, 'data-rag': rag },
      el('span', { class: 'icon', 'aria-hidden': 'true', text: r.icon }), `${r.word}: ${r.meaning}`);
  }

  function changeText(m) {
    if (m.change === null || m.change === undefined || !m.previous) return 'No earlier figure';
    const since = `since ${fmtPeriod(m.previous.period)}`;
    if (m.change === 0) return `No change ${since}`;
    const up = m.change > 0;
    return `${up ? '\u25B2 Up' : '\u25BC Down'} ${fmtValue(Math.abs(m.change), m)} ${since}`;
  }

  function freshnessNode(m) {
    const f = m.freshness;
    if (!f || !f.last_period) return el('p', { class: 'fresh', text: 'No figures reported yet' });
    const unit = FREQ_UNIT[m.frequency] || 'period';
    const n = f.periods_since;
    let ago = '';
    if (n === 0) ago = ` (the current ${unit})`;
    else if (n !== null && n !== undefined) ago = ` (${plural(n, unit)} ago)`;
    /* Said in words as well as colour: a board reading old figures should know. */
    const stale = n !== null && n !== undefined && n > 3;
    return el('p', { class: stale ? 'fresh stale' : 'fresh' },
      stale ? el('strong', { text: 'Not recent: ' }) : null,
      `${stale ? 'latest' : 'Latest'} figure ${fmtPeriod(f.last_period)}${ago}`);
  }

  /* The variation icon's letter: H or L for a special cause high or low (by polarity). */
  function variationLetter(variation, polarity) {
    if (variation === 'special_cause_neutral_high') return 'H';
    if (variation === 'special_cause_neutral_low') return 'L';
    if (variation === 'special_cause_improvement') return polarity === 'lower_is_better' ? 'L' : 'H';
    if (variation === 'special_cause_concern') return polarity === 'lower_is_better' ? 'H' : 'L';
    return '~';
  }

  function spcIcons(spc, polarity) {
    if (!spc) return el('p', { class: 'spc-none', text: 'Not enough whole figures for a process chart (12 needed)' });
    const v = VARIATION[spc.variation] || VARIATION.common_cause;
    const icons = [el('span', { class: `mdc mdc-${v.cls}`, 'data-variation': spc.variation },
      el('span', { class: 'icon', 'aria-hidden': 'true', text: variationLetter(spc.variation, polarity) }), v.word)];
    const a = spc.assurance ? ASSURANCE[spc.assurance] : null;
    icons.push(a
      ? el('span', { class: `mdc mdc-${a.cls}`, 'data-assurance': spc.assurance },
        el('span', { class: 'icon', 'aria-hidden': 'true', text: a.letter }), a.word)
      : el('span', { class: 'mdc mdc-none', 'data-assurance': 'none' },
        el('span', { class: 'icon', 'aria-hidden': 'true', text: '\u2013' }), 'Assurance: no target to judge'));
    const basis = spc.basis === 'change' ? ` (the change from one period to the next, ${spc.points} changes)` : ` (over ${spc.points} figures)`;
    return el('div', { class: 'spc-icons' }, icons, el('span', { class: 'vh', text: basis }));
  }

  function comparisonList(m) {
    const items = m.comparison || [];
    if (!items.length) return null;
    const joiner = { similar: 'to', not_compared: 'with' };
    const word = { better: 'Better', worse: 'Worse', similar: 'Similar', not_compared: 'Not compared', higher: 'Higher', lower: 'Lower' };
    return el('ul', { class: 'verdicts', 'aria-label': 'Compared with' }, items.map((c) =>
      el('li', { 'data-verdict': c.verdict, 'data-area': c.area },
        el('strong', { text: word[c.verdict] || c.verdict }),
        ` ${joiner[c.verdict] || 'than'} ${c.name} (${fmtValue(c.value, m)} in ${fmtPeriod(c.period)})${c.verdict === 'not_compared' ? ': no confidence interval' : ''}`)));
  }

  function partialNode(m) {
    const p = m.partial_latest;
    if (!p) return null;
    const have = p.members.length, all = p.members.length + p.missing.length;
    return el('p', { class: 'partial', 'data-period': p.period },
      el('strong', { text: 'Partial total: ' }),
      `${fmtValue(p.value, m)} for ${fmtPeriod(p.period)} from ${have} of ${all} areas; missing ${p.missing.map(areaName).join(', ')}`);
  }

  function tile(m) {
    const t = m.target;
    const rag = t ? t.rag : null;
    /* Without a figure there is no change or total to show: the tile says so once. */
    const rows = m.latest ? [
      ['Change', changeText(m)],
      ['Total to date', m.total_to_date !== null && m.total_to_date !== undefined
        ? fmtValue(m.total_to_date, m) : m.kind === 'rate' ? 'Not added up (a rate)' : '\u2013'],
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
    return el('li', { class: `tile rag-${RAG[rag] ? rag : 'none'}`, id: `tile-${m.metric}`, 'data-metric': m.metric, 'aria-labelledby': `tile-${m.metric}-name` },
      el('h4', { id: `tile-${m.metric}-name`, text: m.name }),
      el('p', { class: 'value' }, el('data', { value: latest ? latest.value : '', text: latest ? fmtValue(latest.value, m) : '\u2013' })),
      el('p', { class: 'asof', text: asof }),
      ragBadge(rag, !!t),
      partialNode(m),
      spcIcons(m.spc, m.polarity),
      comparisonList(m),
      dl,
      m.latest || m.partial_latest ? freshnessNode(m) : null,
      el('a', { class: 'more', href: `#trend-${m.metric}` }, 'Trend chart', el('span', { class: 'vh', text: ` for ${m.name}` })));
  }

  /* Per programme: how many of its targets are green, amber or red, in words. */
  function onTrack(p) {
    const n = { green: 0, amber: 0, red: 0 };
    let unrated = 0, none = 0;
    for (const m of p.metrics) {
      if (!m.target) none++;
      else if (n[m.target.rag] !== undefined) n[m.target.rag]++;
      else unrated++;
    }
    const rated = n.green + n.amber + n.red;
    const parts = [rated ? `${n.green} of ${rated} rated on track (green)` : 'none rated against a target'];
    if (n.amber) parts.push(`${n.amber} slightly behind (amber)`);
    if (n.red) parts.push(`${n.red} behind (red)`);
    if (unrated) parts.push(`${unrated} not rated yet`);
    if (none) parts.push(`${none} without a target`);
    return el('p', { class: 'on-track', 'data-green': n.green, 'data-rated': rated, text: `On track: ${parts.join('; ')}.` });
  }

  /* One line for the page: the latest period any figure on the board is for. */
  function asAtText(board) {
    let best = null;
    for (const p of board.programmes || []) for (const m of p.metrics || []) {
      const f = m.freshness && m.freshness.last_period;
      if (f && (best === null || periodIndex(f) > periodIndex(best))) best = f;
    }
    return best ? `Data as at ${fmtPeriod(best)}: the latest period with a figure on this board.` : 'Data as at: no figures yet.';
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

  function pickTarget(series, m) {
    const targets = series.targets || [];
    if (m.target && m.target.id !== undefined) {
      const same = targets.find((t) => t.id === m.target.id);
      if (same) return same;
    }
    return targets[0] || null;
  }

  /* Interval whiskers: a vertical line from lower to upper at each figure that has both. */
  const WHISKERS = {
    id: 'whiskers',
    afterDatasetsDraw(chart) {
      const { ctx, scales } = chart;
      chart.data.datasets.forEach((ds, i) => {
        if (!ds.whiskers || !chart.isDatasetVisible(i)) return;
        ctx.save();
        ctx.strokeStyle = '#1a1a1a';
        ctx.lineWidth = 1.5;
        ds.data.forEach((d, k) => {
          const w = ds.whiskers[k];
          if (!w) return;
          const x = scales.x.getPixelForValue(d.x);
          const lo = scales.y.getPixelForValue(w[0]);
          const hi = scales.y.getPixelForValue(w[1]);
          ctx.beginPath();
          ctx.moveTo(x, lo); ctx.lineTo(x, hi);
          ctx.moveTo(x - 4, lo); ctx.lineTo(x + 4, lo);
          ctx.moveTo(x - 4, hi); ctx.lineTo(x + 4, hi);
          ctx.stroke();
        });
        ctx.restore();
      });
    },
  };

  /* The mean and the process limits, drawn over the span the chart was judged on. */
  function limitDatasets(spc) {
    const from = periodIndex(spc.from), to = periodIndex(spc.to);
    const flat = (label, y, dash) => ({
      label, data: [{ x: from, y }, { x: to, y }], borderColor: COLOURS.limit, backgroundColor: COLOURS.limit,
      borderDash: dash, borderWidth: 1.5, pointRadius: 0, spcLine: true,
    });
    return [
      flat('Mean', spc.mean, []),
      flat('Process limits', spc.upper_process_limit, [4, 4]),
      { ...flat('Lower process limit', spc.lower_process_limit, [4, 4]), hideInLegend: true },
    ];
  }

  /* Under the chart, in words: the judgement the icons on the tile give. */
  function spcLine(spc, info) {
    if (!spc) return el('p', { class: 'spc-line', 'data-spc': 'none', text: 'Process chart: fewer than 12 whole figures, so no judgement of variation yet.' });
    const v = VARIATION[spc.variation] || VARIATION.common_cause;
    const one = { ...info, decimals: Math.max(1, info.decimals || 0) };
    const what = spc.basis === 'change' ? 'the change from one period to the next' : 'the figures';
    const bits = [`Process chart of ${what}, ${fmtPeriod(spc.from)} to ${fmtPeriod(spc.to)} (${spc.points} points): mean ${fmtValue(spc.mean, one)}, process limits ${fmtValue(spc.lower_process_limit, one)} to ${fmtValue(spc.upper_process_limit, one)}`,
      `latest point: ${v.word.toLowerCase()}`];
    if (spc.signals.length) bits.push(`${plural(spc.signals.length, 'special-cause point')} marked \u25C6`);
    if (spc.assurance) bits.push(ASSURANCE[spc.assurance].word.toLowerCase());
    if (spc.required_per_period !== null) bits.push(`${fmtValue(spc.required_per_period, one)} a period still needed`);
    if (spc.projected_period) bits.push(`at the mean change the target is reached in ${fmtPeriod(spc.projected_period)}`);
    return el('p', { class: 'spc-line', 'data-spc': spc.variation, text: `${bits.join('; ')}.` });
  }

  /* A running total is judged by its change from one period to the next: that chart. */
  function changeChart(id, m, info, points, spc, signalBy) {
    const step = { monthly: 1, quarterly: 3, annual: 12 }[info.frequency] || 1;
    const whole = points.filter((p) => p.complete !== false && !p.suppressed);
    const changes = [];
    for (let i = 1; i < whole.length; i++) {
      const at = periodIndex(whole[i].period);
      if (at - periodIndex(whole[i - 1].period) !== step || at < periodIndex(spc.from)) continue;
      changes.push({ x: at, y: whole[i].value - whole[i - 1].value, period: whole[i].period });
    }
    const colour = (d) => {
      const g = signalBy.get(d.period);
      if (!g) return COLOURS.actual;
      return g.type === 'special_cause_improvement' ? COLOURS.improvement : g.type === 'special_cause_concern' ? COLOURS.concern : COLOURS.neutral;
    };
    const unit = FREQ_UNIT[info.frequency] || 'period';
    const canvas = el('canvas', { role: 'img', 'aria-label': `${m.name}: the change each ${unit}, ${plural(changes.length, 'change')}, with the mean and process limits.` });
    makeChart(`${id}-change`, canvas, {
      type: 'line',
      data: {
        datasets: [{
          label: `Change each ${unit}`, data: changes, borderColor: COLOURS.actual,
          backgroundColor: changes.map(colour), pointBorderColor: changes.map(colour), borderWidth: 2,
          pointRadius: changes.map((d) => (signalBy.has(d.period) ? 6 : 3)),
          pointStyle: changes.map((d) => (signalBy.has(d.period) ? 'rectRot' : 'circle')),
        }, ...limitDatasets(spc)],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8, filter: (it, data) => !data.datasets[it.datasetIndex].hideInLegend } } },
        scales: {
          x: { type: 'linear', ticks: { maxTicksLimit: 8, maxRotation: 0, callback: (v) => fmtMonthIndex(v) } },
          y: { ticks: { callback: (v) => fmtCompact(v, info) } },
        },
      },
    });
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
    if (series && series.trend) bits.push(`trend: ${series.trend.label.replace('_', ' ')}${series.trend.direction && series.trend.direction !== 'no_change' ? `, ${series.trend.direction.replace('_', ' ')}` : ''}`);
    if (series && (series.points || []).some((p) => p.complete === false)) bits.push('\u25CB hollow: a partial total');
    if (series && (series.comparison || []).length) bits.push(series.comparison.map((c) => `${c.verdict.replace('_', ' ')} against ${c.name}`).join(', '));
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

    /* A real time axis: x is the month index, so seven years take seven years' width. */
    const xy = (list) => list.map(([period, y]) => ({ x: periodIndex(period), y, period }));
    const whole = points.filter((p) => p.complete !== false && !p.suppressed);
    const partial = points.filter((p) => p.complete === false && !p.suppressed);
    const colourOf = (p) => {
      const g = spc && spc.basis === 'value' ? signalBy.get(p.period) : null;
      if (!g) return COLOURS.actual;
      return g.type === 'special_cause_improvement' ? COLOURS.improvement : g.type === 'special_cause_concern' ? COLOURS.concern : COLOURS.neutral;
    };
    const marked = (p) => !!(spc && spc.basis === 'value' && signalBy.has(p.period));
    const datasets = [{
      label: `${areaName(state.area)}${series.cumulative ? ' (running total)' : ''}`,
      data: xy(whole.map((p) => [p.period, p.value])),
      borderColor: COLOURS.actual,
      backgroundColor: whole.map(colourOf),
      pointBorderColor: whole.map(colourOf),
      borderWidth: 2.5,
      pointRadius: whole.map((p) => (marked(p) || whole.length <= 3 ? 6 : 3.5)),
      /* A special-cause point is a diamond as well as coloured: shape carries it too. */
      pointStyle: whole.map((p) => (marked(p) ? 'rectRot' : p.derived ? 'triangle' : 'circle')),
      whiskers: whole.map((p) => (p.lower !== null && p.lower !== undefined && p.upper !== null && p.upper !== undefined ? [p.lower, p.upper] : null)),
    }];
    if (partial.length) {
      /* Partial totals: hollow, never joined to the whole figures. */
      datasets.push({
        label: 'Partial total (members missing)',
        data: xy(partial.map((p) => [p.period, p.value])),
        borderColor: COLOURS.actual,
        backgroundColor: '#ffffff',
        pointBackgroundColor: '#ffffff',
        borderWidth: 2,
        pointRadius: 5,
        pointStyle: 'circle',
        showLine: false,
      });
    }
    if (traj.length) {
      datasets.push({
        label: 'Target trajectory',
        data: xy(traj.map((t) => [t.period, t.value])),
        borderColor: COLOURS.target,
        backgroundColor: COLOURS.target,
        borderDash: [7, 4],
        borderWidth: 2,
        pointRadius: 0,
      });
    }
    if (parent && parentBy.size) {
      datasets.push({
        label: parent.name,
        data: xy(parent.points.map((p) => [p.period, p.value])),
        borderColor: COLOURS.parent,
        backgroundColor: COLOURS.parent,
        borderDash: [2, 3],
        borderWidth: 2,
        pointRadius: 2,
      });
    }
    if (spc && spc.basis === 'value') datasets.push(...limitDatasets(spc));
    const xs = labels.map(periodIndex);
    makeChart(id, canvas, {
      type: 'line',
      data: { datasets },
      plugins: [WHISKERS],
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8, filter: (it, data) => !data.datasets[it.datasetIndex].hideInLegend } },
          tooltip: {
            filter: (item) => !item.dataset.spcLine,
            callbacks: {
              title: (items) => fmtMonthIndex(items[0].parsed.x),
              label: (ctx) => {
                const raw = ctx.raw || {};
                const p = byPeriod.get(raw.period);
                const isFigure = ctx.datasetIndex <= (partial.length ? 1 : 0);
                const note = isFigure && p && p.derived ? ` (derived from ${plural((p.members || []).length, 'area')}${p.missing && p.missing.length ? `, ${fmtNumber(p.missing.length)} missing` : ''})` : '';
                const g = isFigure ? signalBy.get(raw.period) : null;
                return `${ctx.dataset.label}: ${fmtValue(raw.y, info)}${note}${g ? `; special cause, ${RULE_WORD[g.rule]}` : ''}`;
              },
            },
          },
        },
        scales: {
          x: { type: 'linear', min: Math.min(...xs) - 1, max: Math.max(...xs) + 1,
            ticks: { maxTicksLimit: 8, maxRotation: 0, callback: (v) => fmtMonthIndex(v) } },
          y: { beginAtZero: true, ticks: { callback: (v) => fmtCompact(v, info) } },
        },
      },
    });
    if (spc && spc.basis === 'change') card.append(changeChart(id, m, info, points, spc, signalBy));

    const head = ['Period', 'Value', 'Status', 'Derived', 'Target trajectory', '95% interval', 'Process chart'];
    if (parent && parentBy.size) head.push(parent.name);
    const rows = labels.filter((l) => byPeriod.has(l)).map((l) => {
      const p = byPeriod.get(l);
      const g = signalBy.get(l);
      const r = [fmtPeriod(l), fmtValue(p.value, info), p.status || '', p.derived ? `yes, from ${plural((p.members || []).length, 'area')}${p.complete === false ? ' (partial)' : ''}` : 'no',
        trajBy.has(l) ? fmtValue(trajBy.get(l), info) : '\u2013',
        p.lower !== null && p.lower !== undefined && p.upper !== null ? `${fmtValue(p.lower, info)} to ${fmtValue(p.upper, info)}${p.ci_method === 'wilson' ? ' (Wilson)' : ''}` : '\u2013',
        g ? `${(VARIATION[g.type] || {}).word || g.type}: ${RULE_WORD[g.rule] || g.rule}` : spc ? 'common cause' : '\u2013'];
      if (parent && parentBy.size) r.push(parentBy.has(l) ? fmtValue(parentBy.get(l), info) : '\u2013');
      return r;
    });
    const csvRows = labels.map((l) => {
      const p = byPeriod.get(l);
      return [m.metric, state.area, l, p ? p.value : '', p ? p.derived : '', p ? p.status : '',
        p && p.members ? p.members : '', p && p.missing ? p.missing : '',
        trajBy.has(l) ? trajBy.get(l) : '', parentBy.has(l) ? parentBy.get(l) : ''];
    });
    const href = traj.length === 0 ? null : csvBlobUrl(['metric', 'area', 'period', 'value', 'derived', 'status', 'members', 'missing', 'target_trajectory', 'parent_value'], csvRows);
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
      makeChart('compare', canvas, {
        type: 'bar',
        data: {
          labels: items.map(label),
          datasets: [{
            label: `${info.name}, ${fmtPeriod(period)}`,
            data: items.map((it) => it.value),
            backgroundColor: items.map((it) => (it.area === state.area ? COLOURS.chosen : COLOURS.bar)),
          }],
        },
        options: {
          indexAxis: 'y',
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (ctx) => fmtValue(ctx.raw, info) } },
          },
          scales: { x: { beginAtZero: true, ticks: { callback: (v) => fmtCompact(v, info) } } },
        },
      });
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
        makeChart(id, canvas, {
          type: 'bar',
          data: {
            labels: shown.map((r) => catName.get(r.cat) || r.cat),
            datasets: [{ label: info.name, data: shown.map((r) => r.value), backgroundColor: COLOURS.bar }],
          },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => fmtValue(ctx.raw, info) } } },
            scales: { y: { beginAtZero: true, ticks: { callback: (v) => fmtCompact(v, info) } } },
          },
        });
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
})();
