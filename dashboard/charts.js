/* The Chart.js configurations the page draws: a trend chart on a real time axis with the
   target trajectory, the parent area, interval whiskers and the process limits; a running
   total's chart of changes; bars by area and by breakdown category. Builds plain config
   objects (no DOM): app.js hands them to Chart.js with a canvas. */
import { fmtCompact, fmtNumber, fmtValue, plural } from './format.js';
import { fmtMonthIndex, periodIndex } from './periods.js';
import { ruleWord, signalClass } from './judgements.js';

export const COLOURS = { actual: '#1d5fa8', target: '#a14a00', parent: '#4b5563', bar: '#1d5fa8', chosen: '#a14a00',
  improvement: '#1d5fa8', concern: '#a14a00', neutral: '#5b3f8f', common: '#4b5563', limit: '#6b7280' };

/* A point's colour: its special cause's, else the figures' own. */
export function signalColour(signal) {
  const k = signalClass(signal);
  return k ? COLOURS[k] : COLOURS.actual;
}

/* Interval whiskers: a vertical line from lower to upper at each figure that has both. */
export const WHISKERS = {
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

/* The legend leaves out the lower limit: "Process limits" names both lines.
   Fresh objects for each chart: Chart.js keeps the options it is given. */
const legend = () => ({ position: 'bottom', labels: { usePointStyle: true, boxHeight: 8, filter: (it, data) => !data.datasets[it.datasetIndex].hideInLegend } });
const timeTicks = () => ({ maxTicksLimit: 8, maxRotation: 0, callback: (v) => fmtMonthIndex(v) });

/* The mean and the process limits, drawn over the span the chart was judged on. */
export function limitDatasets(spc) {
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

/* A running total is judged by its change from one period to the next: that chart, from
   judgements.stepChanges. */
export function changeChartConfig(changes, unit, spc, signalBy, info) {
  const colour = (d) => signalColour(signalBy.get(d.period));
  return {
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
      plugins: { legend: legend() },
      scales: {
        x: { type: 'linear', ticks: timeTicks() },
        y: { ticks: { callback: (v) => fmtCompact(v, info) } },
      },
    },
  };
}

/* A trend chart's lines. x is the month index, so seven years take seven years' width.
   t: {label, whole, partial, traj, parent, spc, signalBy} (parent null or with points). */
export function trendDatasets(t) {
  const xy = (list) => list.map(([period, y]) => ({ x: periodIndex(period), y, period }));
  const { whole, partial, traj, parent, spc, signalBy } = t;
  const colourOf = (p) => signalColour(spc && spc.basis === 'value' ? signalBy.get(p.period) : null);
  const marked = (p) => !!(spc && spc.basis === 'value' && signalBy.has(p.period));
  const datasets = [{
    label: t.label,
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
      data: xy(traj.map((p) => [p.period, p.value])),
      borderColor: COLOURS.target,
      backgroundColor: COLOURS.target,
      borderDash: [7, 4],
      borderWidth: 2,
      pointRadius: 0,
    });
  }
  if (parent) {
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
  return datasets;
}

/* The trend chart: xs are the month indexes of every period shown (figures and
   trajectory); the tooltip names a derived figure's members and a point's special cause. */
export function trendChartConfig(datasets, xs, c) {
  const { byPeriod, signalBy, hasPartial, info } = c;
  return {
    type: 'line',
    data: { datasets },
    plugins: [WHISKERS],
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: {
        legend: legend(),
        tooltip: {
          filter: (item) => !item.dataset.spcLine,
          callbacks: {
            title: (items) => fmtMonthIndex(items[0].parsed.x),
            label: (ctx) => {
              const raw = ctx.raw || {};
              const p = byPeriod.get(raw.period);
              const isFigure = ctx.datasetIndex <= (hasPartial ? 1 : 0);
              const note = isFigure && p && p.derived ? ` (derived from ${plural((p.members || []).length, 'area')}${p.missing && p.missing.length ? `, ${fmtNumber(p.missing.length)} missing` : ''})` : '';
              const g = isFigure ? signalBy.get(raw.period) : null;
              return `${ctx.dataset.label}: ${fmtValue(raw.y, info)}${note}${g ? `; special cause, ${ruleWord(g.rule)}` : ''}`;
            },
          },
        },
      },
      scales: {
        x: { type: 'linear', min: Math.min(...xs) - 1, max: Math.max(...xs) + 1, ticks: timeTicks() },
        y: { beginAtZero: true, ticks: { callback: (v) => fmtCompact(v, info) } },
      },
    },
  };
}

/* Every area's figure for one period, the chosen area in its own colour. */
export function areaBarsConfig(items, labels, label, chosen, info) {
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [{
        label,
        data: items.map((it) => it.value),
        backgroundColor: items.map((it) => (it.area === chosen ? COLOURS.chosen : COLOURS.bar)),
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
  };
}

/* One breakdown's categories as bars. */
export function breakdownBarsConfig(labels, values, info) {
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [{ label: info.name, data: values, backgroundColor: COLOURS.bar }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (ctx) => fmtValue(ctx.raw, info) } } },
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => fmtCompact(v, info) } } },
    },
  };
}
