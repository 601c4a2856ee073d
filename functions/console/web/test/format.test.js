// Unit tests of the console's formatting (node's own test runner; run by the Maven build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grouped, instant, csv, minute } from '../format.js';

test('grouped regroups the digits of a decimal string and changes none of them', () => {
  assert.equal(grouped('12345678.900000'), '12,345,678.900000');
  assert.equal(grouped('-1234.5'), '-1,234.5');
  assert.equal(grouped('999'), '999');
  assert.equal(grouped('0.000001'), '0.000001');
  // a value too precise for a double keeps every digit
  assert.equal(grouped('9007199254740993.123456789'), '9,007,199,254,740,993.123456789');
  assert.equal(grouped(null), '—');
  assert.equal(grouped('EXACT'), 'EXACT');
});

test('instant shows RFC 3339 UTC times, seconds only when they are not zero', () => {
  assert.equal(instant('2026-12-03T17:05:00Z'), '2026-12-03 17:05 UTC');
  assert.equal(instant('2026-12-03T17:05:09Z'), '2026-12-03 17:05:09 UTC');
  assert.equal(instant(null), '—');
});

test('csv quotes fields holding commas, quotes or line breaks', () => {
  assert.equal(csv([['a', 'b,c', 'say "x"'], ['1', null, 'two\nlines']]), 'a,"b,c","say ""x"""\r\n1,,"two\nlines"\r\n');
});

test('minute truncates to the minute', () => {
  assert.equal(minute(new Date('2026-12-03T17:05:59.999Z')), '2026-12-03T17:05:00Z');
});
