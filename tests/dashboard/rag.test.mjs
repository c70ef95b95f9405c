// RAG and trend words (dashboard/rag.js): each judgement has an icon and a word, not a
// colour alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RAG, ragBadgeParts, ragClass, trendWords } from '../../dashboard/rag.js';

test('each RAG has an icon, a word and what it means', () => {
  assert.deepEqual(ragBadgeParts('green', true), { rag: 'green', icon: '\u2713', text: 'Green: on track' });
  assert.deepEqual(ragBadgeParts('amber', true), { rag: 'amber', icon: '!', text: 'Amber: slightly behind' });
  assert.deepEqual(ragBadgeParts('red', true), { rag: 'red', icon: '\u2715', text: 'Red: behind' });
  assert.deepEqual(Object.keys(RAG), ['green', 'amber', 'red']);
});

test('no target is said apart from a target not rated yet', () => {
  assert.deepEqual(ragBadgeParts(null, false), { rag: null, icon: '\u2013', text: 'No target' });
  assert.deepEqual(ragBadgeParts('green', false), { rag: null, icon: '\u2013', text: 'No target' });
  assert.deepEqual(ragBadgeParts(null, true), { rag: null, icon: '?', text: 'Not rated yet' });
  assert.deepEqual(ragBadgeParts('purple', true), { rag: null, icon: '?', text: 'Not rated yet' });
  assert.deepEqual(ragBadgeParts('toString', true), { rag: null, icon: '?', text: 'Not rated yet' },
    'an inherited property is not a RAG');
});

test('a tile is classed by its RAG, or none', () => {
  assert.equal(ragClass('green'), 'green');
  assert.equal(ragClass('red'), 'red');
  assert.equal(ragClass(null), 'none');
  assert.equal(ragClass(undefined), 'none');
  assert.equal(ragClass('constructor'), 'none');
});

test('a trend is its label and, where the metric has a polarity, its direction', () => {
  assert.equal(trendWords({ label: 'increasing', direction: 'getting_better' }), 'increasing, getting better');
  assert.equal(trendWords({ label: 'decreasing', direction: 'getting_worse' }), 'decreasing, getting worse');
  assert.equal(trendWords({ label: 'no_change', direction: null }), 'no change');
  assert.equal(trendWords(null), null);
});

test('a trend with no change in direction says the label alone', () => {
  assert.equal(trendWords({ label: 'no_change', direction: 'no_change' }), 'no change');
  assert.equal(trendWords({ label: 'increasing', direction: 'no_change' }), 'increasing');
  assert.equal(trendWords({ label: 'increasing', direction: '' }), 'increasing');
});
