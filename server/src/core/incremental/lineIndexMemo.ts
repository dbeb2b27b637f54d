/**
 * The line index of an open document's last text, kept by its session (`documentSession.ts`).
 */
import { LineIndex } from '../text';

/**
 * Line indexes of successive texts of one document (kept by its session): each
 * is built from the one before (`LineIndex.afterEdit`). Only a long text's index is kept: a
 * short one is indexed in no time, and keeping it keeps its text alive (the server's memory with
 * 200 open templates grew by 17 MB when every index was kept).
 */
export class LineIndexMemo {
  private last: LineIndex | undefined;

  constructor(private readonly minimumLength = 65_536) {}

  of(text: string): LineIndex {
    const index = this.last ? LineIndex.afterEdit(this.last, text) : new LineIndex(text);
    this.last = text.length >= this.minimumLength ? index : undefined;
    return index;
  }
}
