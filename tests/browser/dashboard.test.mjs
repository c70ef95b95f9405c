// The board page in Debian's Chromium against the real server and database that run.sh
// started: the published MHFA figure and its 500,000 target on the tiles, a redraw when
// another area is picked, CSV downloads beside the charts, keyboard use, contrast,
// phone width, and not one request that leaves the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE;
const ADMIN = process.env.ADMIN_KEY;
const OUT = process.env.BROWSER_OUT;
const WMCA = 'E47000007';
const BIRMINGHAM = 'E08000025';
const MHFA = 'mhfa.people_trained';
const MHTR = 'thrive.mhtr_orders';
const JOBS = 'thrive.ips_job_starts';
const ACTIVE = 'on_the_move.active_adults_pct';
const COVENTRY = 'E08000026';
const SANDWELL = 'E08000028';
const SOLIHULL = 'E08000029';

async function postFigures(observations) {
  const r = await fetch(`${BASE}/v1/submissions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ observations }),
  });
  assert.equal(r.status, 201, await r.text());
}

// Root, no network: no sandbox (root cannot have one), and nothing that phones home.
// playwright-core gives every launch a fresh temporary --user-data-dir of its own.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let browser;

before(async () => {
  assert.ok(BASE && OUT, 'run through tests/browser/run.sh (BASE and BROWSER_OUT)');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
});

// A page that records console errors, page errors, failed requests and any request
// that is not to the server under test (those are refused, and the test fails).
async function openPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'en-GB' });
  const seen = { errors: [], outside: [], failed: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${BASE}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    seen.outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('requestfailed', (r) => seen.failed.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) seen.failed.push(`${r.url()} ${r.status()}`); });
  return { context, page, seen };
}

// Waits until the board has drawn for area; fails at once with the page's own message
// when it shows an error instead.
async function waitForBoard(page, area) {
  await page.waitForSelector(`body[data-ready][data-area="${area}"], #error:not([hidden])`, { timeout: 20000 });
  const error = page.locator('#error');
  if (await error.isVisible()) assert.fail(`the page says: ${await error.textContent()}`);
}

async function loadBoard(page, area) {
  await page.goto(area ? `${BASE}/?area=${area}` : `${BASE}/`);
  await waitForBoard(page, area || WMCA);
}

function assertClean(seen) {
  assert.deepEqual(seen.outside, [], 'requests that left the server');
  assert.deepEqual(seen.errors, [], 'console errors');
  assert.deepEqual(seen.failed, [], 'failed requests');
}

const tile = (page, code) => page.locator(`li[id="tile-${code}"]`);
const trendCard = (page, code) => page.locator(`figure[id="trend-${code}"]`);

// Clicks a download link; returns the saved file's lines (saved under tests/out/browser).
async function download(page, link, filename) {
  assert.equal(await link.getAttribute('download'), filename);
  const [d] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(d.suggestedFilename(), filename);
  const file = join(OUT, filename);
  await d.saveAs(file);
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
}

// Snapshots of every chart canvas on the page, keyed by the id of its card.
function canvasImages(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('figure canvas')]
    .map((c) => [c.closest('figure').id, c.toDataURL()])));
}

describe('the board page', () => {
  test('the MHFA tile shows the published figure, the 500,000 target and a worded RAG', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    await page.screenshot({ path: join(OUT, 'dashboard.png'), fullPage: true });
    const t = tile(page, MHFA);
    assert.equal(await t.locator('h4').textContent(), 'People trained in MHFA');
    assert.equal(await t.locator('.value data').textContent(), '12,013');
    assert.equal(await t.locator('.value data').getAttribute('value'), '12013');
    assert.match(await t.locator('.asof').textContent(), /^Dec 2018 /);
    assert.equal(await t.locator('dd[data-field="target"]').textContent(), '500,000 by Dec 2026');
    assert.equal(await t.locator('dd[data-field="total-to-date"]').textContent(), '12,013');
    assert.match(await t.locator('dd[data-field="progress"]').textContent(), /^2\.4% of target$/);
    // 500000 x 23/119 at 2018-12: far behind, so red, said in a word and an icon.
    assert.equal(await t.locator('.badge').getAttribute('data-rag'), 'red');
    assert.equal(await t.locator('.badge').textContent(), '\u2715Red: behind');
    assert.equal(await page.locator('#area').inputValue(), WMCA);
    assert.equal(await page.locator('#area-name').textContent(), 'West Midlands Combined Authority');
    // The trend chart carries the trajectory beside the figures.
    const card = trendCard(page, MHFA);
    assert.equal(await card.locator('canvas').getAttribute('aria-label'),
      'People trained in MHFA for West Midlands Combined Authority: one figure, for Dec 2018, latest 12,013; ' +
      'the target trajectory is 96,639 at Dec 2018.');
    assert.equal(await card.locator('.caption').textContent(), 'total to date as reported; target 500,000 by Dec 2026');
    assertClean(seen);
    await context.close();
  });

  test('picking another area reloads the tiles and redraws the charts', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    const before = await canvasImages(page);
    assert.ok(Object.keys(before).length > 0, 'charts drawn for WMCA');
    await page.selectOption('#area', BIRMINGHAM);
    await waitForBoard(page, BIRMINGHAM);
    await page.screenshot({ path: join(OUT, 'dashboard-birmingham.png'), fullPage: true });
    assert.equal(await page.locator('#area-name').textContent(), 'Birmingham');
    // Birmingham's own MHTR figure from the October 2018 paper; no MHFA figure of its own.
    assert.equal(await tile(page, MHTR).locator('.value data').textContent(), '28');
    assert.equal(await tile(page, MHTR).locator('.asof').textContent(), 'Oct 2018 \u00b7 final');
    assert.equal(await tile(page, MHFA).locator('.asof').textContent(), 'No figure for Birmingham yet');
    assert.match(await trendCard(page, MHTR).locator('canvas').getAttribute('aria-label'), /^Mental Health Treatment Requirement orders for Birmingham: one figure, for Oct 2018, latest 28\.$/);
    assert.match(new URL(page.url()).search, /area=E08000025/);
    // Every trend card now answers for Birmingham.
    const areas = await page.locator('#trends figure').evaluateAll((fs) => fs.map((f) => f.dataset.area));
    assert.ok(areas.length > 0);
    assert.deepEqual([...new Set(areas)], [BIRMINGHAM]);
    // And what is drawn changed: no canvas is the picture it was for WMCA.
    const now = await canvasImages(page);
    const redrawn = Object.keys(now).filter((id) => before[id] && before[id] !== now[id]);
    const same = Object.keys(now).filter((id) => before[id] && before[id] === now[id]);
    assert.deepEqual(same, [], 'charts left as they were for WMCA');
    assert.ok(redrawn.length + Object.keys(now).filter((id) => !before[id]).length > 0, 'a chart drawn for Birmingham');
    // Birmingham has no MHFA figure of its own: the comparison says so rather than marking it.
    assert.deepEqual(await page.locator('#compare tr.selected').count(), 0);
    assert.equal(await page.locator('#compare .caption').textContent(), 'Every area with a figure for Dec 2018; Birmingham has none.');
    assertClean(seen);
    await context.close();
  });

  test('the CSV beside the MHFA chart downloads the published figure from the API', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    const link = trendCard(page, MHFA).locator('a.csv');
    assert.equal(await link.getAttribute('href'), `/v1/metrics/${MHFA}/series?area=${WMCA}&cumulative=false&format=csv`);
    // The page names the file as the server's Content-Disposition does (issue 13).
    const lines = await download(page, link, `${MHFA}_${WMCA}_series.csv`);
    assert.deepEqual(lines, [
      // Each row names its metric, area and breakdown, so the file stands alone (issue 13).
      'metric,area,breakdown,cumulative,period,value,derived,complete,status,lower,upper,members,missing,suppressed',
      `${MHFA},${WMCA},,false,2018-12,12013,false,true,final,,,,,`,
    ]);
    assertClean(seen);
    await context.close();
  });

  test('the CSV with the target line holds the charted trajectory beside the figure', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    const lines = await download(page, trendCard(page, MHFA).locator('a.csv-target'), `${MHFA}-${WMCA}-with-target.csv`);
    assert.equal(lines[0], 'metric,area,period,value,derived,status,members,missing,target_trajectory,parent_value');
    // The trajectory runs from 0 at 2017-01 (23 months to 2018-12, of 119 to 2026-12).
    assert.equal(lines.length, 1 + 24);
    assert.equal(lines[1], 'mhfa.people_trained,E47000007,2017-01,,,,,,0,');
    assert.equal(lines[24], 'mhfa.people_trained,E47000007,2018-12,12013,false,final,,,96638.7,');
    assertClean(seen);
    await context.close();
  });

  test('the area comparison CSV comes from the API with its fixed columns', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    // By default the comparison is the first headline metric at its latest period.
    assert.equal(await page.locator('#compare-metric').inputValue(), MHFA);
    assert.equal(await page.locator('#compare-period').inputValue(), '2018-12');
    assert.deepEqual(await page.locator('#compare tr.selected th').allTextContents(), ['West Midlands Combined Authority (chosen area)']);
    assert.equal(await page.locator('#compare .caption').textContent(), 'Every area with a figure for Dec 2018; West Midlands Combined Authority is marked \u25B6.');
    const link = page.locator('#compare a.csv');
    assert.equal(await link.getAttribute('href'), `/v1/metrics/${MHFA}/areas?period=2018-12&format=csv`);
    const lines = await download(page, link, `${MHFA}_2018-12_areas.csv`);
    assert.deepEqual(lines, [
      // Each row names the metric and period and says whether the total is whole (issue 13).
      'metric,period,breakdown,area,name,type,value,derived,complete,status,lower,upper,suppressed',
      `${MHFA},2018-12,,E47000007,West Midlands Combined Authority,combined_authority,12013,false,true,final,,,`,
    ]);
    assertClean(seen);
    await context.close();
  });

  test('the controls are labelled and work from the keyboard', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('select, input')]
      .filter((c) => !c.labels || c.labels.length === 0 || !c.labels[0].textContent.trim()).map((c) => c.id));
    assert.deepEqual(unlabelled, []);
    // First Tab lands on the skip link, which moves focus to the figures.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'area');
    // Arrow keys on the focused picker choose the next area, and the board follows.
    const next = await page.evaluate(() => {
      const s = document.getElementById('area');
      return s.options[s.selectedIndex + 1].value;
    });
    await page.keyboard.press('ArrowDown');
    await waitForBoard(page, next);
    // The trend toggle is a real checkbox: Space flips it and the charts follow.
    await page.focus('#whole-window');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#whole-window').isChecked(), true);
    assertClean(seen);
    await context.close();
  });

  test('text and RAG badges keep at least 4.5:1 contrast', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    const low = await page.evaluate(() => {
      const rgb = (s) => s.match(/[\d.]+/g).map(Number);
      const lum = ([r, g, b]) => {
        const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (node) => {
        for (let n = node; n; n = n.parentElement) {
          const c = rgb(getComputedStyle(n).backgroundColor);
          if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const bad = [];
      const sel = 'h1, h2, h3, h4, p, dt, dd, .badge, a, label, summary, th, td, select';
      for (const e of document.querySelectorAll(sel)) {
        if (!e.offsetParent && getComputedStyle(e).position !== 'fixed') continue;
        if (e.classList.contains('skip')) continue;
        const a = lum(rgb(getComputedStyle(e).color).slice(0, 3));
        const b = lum(background(e));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) bad.push(`${e.tagName}.${e.className}: ${ratio.toFixed(2)}`);
      }
      return bad;
    });
    assert.deepEqual(low, []);
    const words = await page.locator('.tile .badge').allTextContents();
    assert.ok(words.length > 0);
    for (const w of words) assert.match(w, /(Green|Amber|Red): |No target|Not rated yet/);
    assertClean(seen);
    await context.close();
  });

  test('at phone width the page fits the screen in one column', async () => {
    const { context, page, seen } = await openPage({ width: 390, height: 844 });
    await loadBoard(page);
    await page.screenshot({ path: join(OUT, 'dashboard-phone.png'), fullPage: true });
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: window.innerWidth,
      tiles: [...document.querySelectorAll('.tile')].map((t) => Math.round(t.getBoundingClientRect().left)),
    }));
    assert.ok(widths.page <= widths.view, `page ${widths.page}px wide in a ${widths.view}px screen`);
    assert.equal(new Set(widths.tiles).size, 1, 'tiles stacked in one column');
    assertClean(seen);
    await context.close();
  });

  test('judgements on the seeded board: data as at, on track, a partial total apart, no process chart yet', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page);
    assert.equal(await page.locator('#as-at').textContent(), 'Data as at Jan 2019: the latest period with a figure on this board.');
    assert.equal(await page.locator('#prog-mhfa + .on-track').textContent(),
      'On track: 0 of 1 rated on track (green); 1 behind (red); 1 without a target.');
    // Only Birmingham has reported MHTR orders: the WMCA tile has no whole figure and
    // shows Birmingham's 28 apart, saying who is missing.
    assert.equal(await tile(page, MHTR).locator('.value data').textContent(), '\u2013');
    assert.equal(await tile(page, MHTR).locator('.partial').textContent(),
      'Partial total: 28 for Oct 2018 from 1 of 7 areas; missing Coventry, Dudley, Sandwell, Solihull, Walsall, Wolverhampton');
    assert.equal(await tile(page, MHFA).locator('.spc-none').textContent(), 'Not enough whole figures for a process chart (12 needed)');
    assert.equal(await trendCard(page, MHFA).locator('.spc-line').getAttribute('data-spc'), 'none');
    assertClean(seen);
    await context.close();
  });

  test('Sandwell\'s published Active Lives figure is set beside the region and England, not compared without an interval', async () => {
    const { context, page, seen } = await openPage();
    await loadBoard(page, SANDWELL);
    const t = tile(page, ACTIVE);
    assert.equal(await t.locator('.value data').textContent(), '51.4%');
    assert.deepEqual(await t.locator('.verdicts li').allTextContents(), [
      'Not compared with West Midlands (59.6% in Nov 2023): no confidence interval',
      'Not compared with England (63.4% in Nov 2023): no confidence interval',
    ]);
    assertClean(seen);
    await context.close();
  });

  test('posted figures: a running total judged by its monthly change, with the icons in words', async () => {
    // Coventry's job starts rise 10 and 12 by turns for a year, then by 40.
    const obs = [];
    let total = 0;
    for (let i = 0; i < 14; i++) {
      obs.push({ metric: JOBS, area: COVENTRY, period: `${2019 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, value: total });
      total += i === 12 ? 40 : i % 2 ? 12 : 10;
    }
    obs[13].value = obs[12].value + 40;
    await postFigures(obs);
    const { context, page, seen } = await openPage();
    await loadBoard(page, COVENTRY);
    const t = tile(page, JOBS);
    const variation = t.locator('.mdc[data-variation]');
    assert.equal(await variation.getAttribute('data-variation'), 'special_cause_improvement');
    assert.equal(await variation.textContent(), 'HSpecial cause: improvement');
    assert.equal(await t.locator('.mdc[data-assurance]').textContent(), '\u2013Assurance: no target to judge');
    const line = await trendCard(page, JOBS).locator('.spc-line').textContent();
    assert.match(line, /^Process chart of the change from one period to the next, Feb 2019 to Feb 2020 \(13 points\): mean 13\.2, /);
    assert.match(line, /latest point: special cause: improvement; 13 special-cause points marked/);
    assert.equal(await trendCard(page, JOBS).locator('.chart-box-small canvas').count(), 1, 'the chart of monthly changes');
    await trendCard(page, JOBS).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, 'dashboard-coventry-spc.png'), fullPage: true });
    await t.screenshot({ path: join(OUT, 'tile-coventry-job-starts.png') });
    await trendCard(page, JOBS).screenshot({ path: join(OUT, 'trend-coventry-job-starts.png') });
    assertClean(seen);
    await context.close();
  });

  test('posted figures with their intervals: worse than the region and England, or similar', async () => {
    await postFigures([
      { metric: ACTIVE, area: BIRMINGHAM, period: '2023-11', value: 52, lower: 49.5, upper: 54.5 },
      { metric: ACTIVE, area: SOLIHULL, period: '2023-11', value: 61, lower: 58.4, upper: 63.6 },
    ]);
    const { context, page, seen } = await openPage();
    await loadBoard(page, BIRMINGHAM);
    assert.deepEqual(await tile(page, ACTIVE).locator('.verdicts li').allTextContents(), [
      'Worse than West Midlands (59.6% in Nov 2023)',
      'Worse than England (63.4% in Nov 2023)',
    ]);
    assert.deepEqual(await tile(page, ACTIVE).locator('.verdicts li').evaluateAll((ls) => ls.map((l) => l.dataset.verdict)), ['worse', 'worse']);
    await page.screenshot({ path: join(OUT, 'dashboard-birmingham-verdicts.png'), fullPage: true });
    await tile(page, ACTIVE).screenshot({ path: join(OUT, 'tile-birmingham-active.png') });
    await trendCard(page, ACTIVE).screenshot({ path: join(OUT, 'trend-birmingham-active.png') });
    await page.selectOption('#area', SOLIHULL);
    await waitForBoard(page, SOLIHULL);
    assert.deepEqual(await tile(page, ACTIVE).locator('.verdicts li').allTextContents(), [
      'Similar to West Midlands (59.6% in Nov 2023)',
      'Similar to England (63.4% in Nov 2023)',
    ]);
    // The interval is in the chart's table, beside the figure.
    const rows = await trendCard(page, ACTIVE).locator('tbody tr').allTextContents();
    assert.ok(rows.some((r) => r.includes('58.4% to 63.6%')), rows.join(' | '));
    assertClean(seen);
    await context.close();
  });
});

