/**
 * The line index built from the previous text's index (`LineIndex.afterEdit`, used by the server
 * for the diagnostics of a document it analyses per keystroke) must place every offset exactly
 * as an index counted afresh, whatever the edit: inside a line, over line breaks of every kind,
 * between the '\r' and '\n' of a pair, at either end of the text.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex } from '../../../server/out/core/text';
import { LineIndexMemo } from '../../../server/out/core/incremental/lineIndexMemo';
import { random } from '../harness/random';

function assertSameIndex(actual: LineIndex, text: string, label: string): void {
  const fresh = new LineIndex(text);
  assert.equal(actual.lineCount, fresh.lineCount, `${label}: line count`);
  for (let offset = 0; offset <= text.length; offset++) {
    assert.deepEqual(actual.positionAt(offset), fresh.positionAt(offset), `${label}: offset ${offset}`);
  }
  for (let line = 0; line < fresh.lineCount; line++) {
    assert.equal(actual.offsetAt({ line, character: 0 }), fresh.offsetAt({ line, character: 0 }), `${label}: line ${line}`);
  }
}

const pieces = ['a', 'bc', ' ', '"x"', '\n', '\r\n', '\r', '{', '}'];

function randomText(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += pieces[Math.floor(next() * pieces.length)];
  return text;
}

describe('LineIndex.afterEdit', () => {
  it('places every offset as a fresh index after random chains of edits', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      let text = randomText(next, 20 + Math.floor(next() * 200));
      const memo = new LineIndexMemo(0);
      assertSameIndex(memo.of(text), text, `seed ${seed} start`);
      let typedTo = 0;
      for (let step = 0; step < 30; step++) {
        // Half the time where the edit before ended (typing on, on the same line mostly).
        const start = next() < 0.5 ? Math.min(typedTo, text.length) : Math.floor(next() * (text.length + 1));
        const end = Math.min(text.length, start + Math.floor(next() * 4));
        // Mostly characters without breaks (the shifted case), sometimes breaks of each kind.
        const insert = next() < 0.7 ? randomText(next, Math.floor(next() * 3)).replace(/[\r\n]/g, 'z') : randomText(next, 3);
        text = text.slice(0, start) + insert + text.slice(end);
        typedTo = start + insert.length;
        assertSameIndex(memo.of(text), text, `seed ${seed} step ${step} (${JSON.stringify({ start, end, insert })})`);
      }
    }
  });

  it('moves the lines after a run of keystrokes on one line, then on another, as a fresh index places them', () => {
    const text = Array.from({ length: 40 }, (_unused, line) => `  "line${line}": "value",`).join('\n');
    const memo = new LineIndexMemo(0);
    let current = text;
    memo.of(current);
    for (const line of [5, 5, 30, 2, 39, 0]) {
      const at = current.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0) + 4;
      for (const [step, typed] of ['x', 'yz', '', 'w'].entries()) {
        current = current.slice(0, at) + typed + current.slice(at + (step === 2 ? 2 : 0));
        assertSameIndex(memo.of(current), current, `line ${line}, keystroke ${step}`);
      }
    }
  });

  it('counts again when characters go between the two of a "\\r\\n" pair, or a "\\r" loses its "\\n"', () => {
    const text = 'ab\r\ncd\r\nef';
    const index = new LineIndex(text);
    assertSameIndex(LineIndex.afterEdit(index, 'ab\rX\ncd\r\nef'), 'ab\rX\ncd\r\nef', 'split pair');
    assertSameIndex(LineIndex.afterEdit(index, 'ab\rcd\r\nef'), 'ab\rcd\r\nef', 'removed \\n');
    const lone = new LineIndex('ab\rX\ncd');
    assertSameIndex(LineIndex.afterEdit(lone, 'ab\r\ncd'), 'ab\r\ncd', 'joined pair');
  });

  it('moves the lines after an edit in a long text, and counts again after a long edit', () => {
    const line = '  "property": "value",\n';
    const text = '{\n' + line.repeat(5000) + '}\n';
    const index = new LineIndex(text);
    const at = text.indexOf('value', text.length / 2);
    const typed = text.slice(0, at) + 'more ' + text.slice(at);
    const moved = LineIndex.afterEdit(index, typed);
    assertSameIndex(moved, typed, 'typed in the middle');
    assert.equal(LineIndex.afterEdit(moved, typed), moved, 'the same text keeps its index');
    const replaced = text.slice(0, 10) + 'x'.repeat(5000) + text.slice(10 + 4000);
    assertSameIndex(LineIndex.afterEdit(index, replaced), replaced, 'a long edit');
  });

  it('keeps the index of a long text only (a kept index keeps its text alive)', () => {
    const memo = new LineIndexMemo();
    const short = '{\n  "a": 1\n}\n';
    assert.notEqual(memo.of(short), memo.of(short), 'a short text is indexed each time');
    const long = '{\n' + '  "property": "value",\n'.repeat(3000) + '}\n';
    assert.ok(long.length >= 65_536);
    assert.equal(memo.of(long), memo.of(long), 'a long text keeps its index');
  });
});
