/**
 * The one edit vocabulary (`core/textShift.ts`): a `TextShift` says how an edit moved a text, and
 * a `TextMover` moves what was written in it. The properties that matter: what the mover moves
 * still points at the same characters after any chain of edits that leave them alone; an edit
 * inside a range resizes it; offsets and line/character positions (what the server moves an
 * editor's diagnostics with) move alike; a copy moves only the stretch it copies.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex } from '../../../server/out/core/text';
import { shiftBetween, shiftOfChange, TextMover, type TextShift } from '../../../server/out/core/textShift';
import type { Value } from '../../../server/out/core/values';
import { random } from '../harness/random';

const pieces = ['a', 'bc', ' ', '"x"', '\n', '{', '}', 'long word'];

function randomText(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += pieces[Math.floor(next() * pieces.length)];
  return text;
}

/** A random edit of `text`: an insertion, a deletion or a replacement, with line breaks. */
function randomChange(text: string, next: () => number): { start: number; end: number; text: string } {
  const start = Math.floor(next() * (text.length + 1));
  const kind = next();
  const end = kind < 0.4 ? start : Math.min(text.length, start + 1 + Math.floor(next() * 6));
  const inserted = kind >= 0.4 && kind < 0.7 ? '' : randomText(next, 1 + Math.floor(next() * 4));
  return { start, end, text: inserted };
}

function apply(text: string, change: { start: number; end: number; text: string }): string {
  return text.slice(0, change.start) + change.text + text.slice(change.end);
}

describe('one edit vocabulary', () => {
  it('keeps every offset an edit leaves alone on its character, through chains of edits', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const original = randomText(next, 200);
      let text = original;
      const shifts: TextShift[] = [];
      // The offsets of the original no edit has touched yet, with where each is now.
      let untouched = [...original].map((_character, offset) => ({ offset, now: offset }));
      for (let step = 0; step < 12; step++) {
        const change = randomChange(text, next);
        const shift = shiftOfChange(change);
        shifts.push(shift);
        const single = TextMover.across([shift]);
        untouched = untouched.filter(({ now }) => now < change.start || now >= change.end);
        text = apply(text, change);
        for (const entry of untouched) entry.now = single.offset(entry.now);
        for (const { offset, now } of untouched) assert.equal(text[now], original[offset], `seed ${seed}, step ${step}`);
      }
      const mover = TextMover.across(shifts);
      assert.ok(untouched.length > 50, `seed ${seed}: ${untouched.length} offsets left alone`);
      for (const { offset, now } of untouched) assert.equal(mover.offset(offset), now, `seed ${seed}`);
    }
  });

  it('moves starts after inserted text and keeps ends before it; an edit inside a range resizes it', () => {
    const insert = TextMover.across([shiftOfChange({ start: 10, end: 10, text: 'abc' })]);
    assert.deepEqual(insert.range({ start: 10, end: 20 }), { start: 13, end: 23 }, 'a range the text is inserted before');
    assert.deepEqual(insert.range({ start: 2, end: 10 }), { start: 2, end: 10 }, 'a range the text is inserted after');
    assert.deepEqual(insert.range({ start: 5, end: 15 }), { start: 5, end: 18 }, 'a range the text is inserted into');
    assert.deepEqual(insert.range({ start: 10, end: 10 }), { start: 13, end: 13 }, 'an empty range where it is inserted');
    const replace = TextMover.across([shiftOfChange({ start: 10, end: 14, text: 'x' })]);
    assert.deepEqual(replace.range({ start: 11, end: 13 }), { start: 10, end: 11 }, 'a range inside the replaced text');
    assert.deepEqual(replace.range({ start: 14, end: 20 }), { start: 11, end: 17 }, 'a range right after it');
    const untouched = { start: 0, end: 5 };
    assert.equal(replace.range(untouched), untouched, 'the same object when nothing moves');
  });

  it('moves line/character positions exactly as it moves offsets', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(1000 + seed);
      const text = randomText(next, 120);
      const change = randomChange(text, next);
      const before = new LineIndex(text);
      const after = new LineIndex(apply(text, change));
      const shift = shiftOfChange(change, { start: before.positionAt(change.start), end: before.positionAt(change.end) });
      const mover = TextMover.across([shift]);
      for (let start = 0; start <= text.length; start += 3) {
        for (let end = start; end <= text.length && end < start + 30; end += 2) {
          const moved = mover.range({ start, end });
          const expected = { start: after.positionAt(moved.start), end: after.positionAt(moved.end) };
          const range = { start: before.positionAt(start), end: before.positionAt(end) };
          assert.deepEqual(mover.lineRange(range), expected, `seed ${seed}: [${start}, ${end}) across ${JSON.stringify(change)}`);
        }
      }
    }
  });

  it('finds the one stretch two texts differ in', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(2000 + seed);
      const text = randomText(next, 80);
      const edited = apply(text, randomChange(text, next));
      const { start, oldEnd, delta } = shiftBetween(text, edited);
      assert.ok(start <= oldEnd && oldEnd + delta >= start, `seed ${seed}`);
      assert.equal(text.slice(0, start) + edited.slice(start, oldEnd + delta) + text.slice(oldEnd), edited, `seed ${seed}`);
      assert.equal(text.slice(0, start), edited.slice(0, start));
      assert.equal(text.slice(oldEnd), edited.slice(oldEnd + delta));
    }
    assert.deepEqual(shiftBetween('same', 'same'), { start: 4, oldEnd: 4, delta: 0 });
  });

  it('moves only the copied stretch of a copy, with the definitions of values and locations of other files left alone', () => {
    const copy = TextMover.copying('/t.json', 100, 200, 1000);
    assert.equal(copy.offset(99), 99);
    assert.equal(copy.offset(100), 1100);
    assert.equal(copy.offset(199), 1199);
    assert.equal(copy.offset(200), 200);
    const literal = (start: number, file = '/t.json'): Value => ({
      kind: 'string',
      value: 'x',
      definition: {
        kind: 'literal',
        syntax: 'json',
        description: 'a literal',
        location: { file, range: { start, end: start + 3 } },
      },
    });
    const outside = literal(50);
    const elsewhere = literal(150, '/other.json');
    const moved = copy.values([literal(150), outside, elsewhere]);
    assert.deepEqual(moved[0].kind === 'string' && moved[0].definition?.location.range, { start: 1150, end: 1153 });
    assert.equal(moved[1], outside);
    assert.equal(moved[2], elsewhere);
    assert.ok(copy.equals(TextMover.copying('/t.json', 100, 200, 1000)));
    assert.ok(!copy.equals(TextMover.copying('/t.json', 100, 200, 999)));
  });
});
