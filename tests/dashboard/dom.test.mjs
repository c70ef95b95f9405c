// getJSON (dashboard/dom.js) keeps the newest Data-Version it has seen and sends it back
// as Min-Data-Version, so a read through another API process never shows older data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJSON } from '../../dashboard/dom.js';

function answer(status, version, body) {
  const headers = new Headers({ 'Content-Type': 'application/json' });
  if (version !== undefined) headers.set('Data-Version', String(version));
  return new Response(JSON.stringify(body), { status, headers });
}

test('Min-Data-Version follows the newest Data-Version seen, never going back', async () => {
  const sent = [];
  const versions = [7, 5, undefined, 9, 'x'];
  let i = 0;
  globalThis.fetch = async (path, opts) => {
    sent.push(opts.headers['Min-Data-Version']);
    const v = versions[i++];
    return answer(200, v, { path });
  };
  for (let k = 0; k < versions.length + 1; k++) assert.deepEqual(await getJSON(`/v1/x${k}`), { path: `/v1/x${k}` });
  assert.deepEqual(sent, [undefined, '7', '7', '7', '9', '9']);
});

test('an error answer still throws its detail, and its version still counts', async () => {
  const sent = [];
  globalThis.fetch = async (path, opts) => {
    sent.push(opts.headers['Min-Data-Version']);
    return answer(404, 40, { detail: 'no metric x' });
  };
  await assert.rejects(getJSON('/v1/metrics/x'), (e) => e.message === 'no metric x' && e.status === 404);
  await getJSON('/v1/metrics/y').catch(() => {});
  assert.equal(sent[1], '40');
});
