/**
 * The budget of one read of a document: how many image values (the alternatives an image object
 * evaluates to, each one candidate) its images may compute. Every evaluation is bounded on its
 * own (`maximumAlternatives`, the evaluators' step and depth limits), but a 10 MB template can
 * hold 40,000 images, each with hundreds of candidates: bounded one by one, not together. Past the
 * budget an image is not evaluated: its site is unresolved in every field, and the read reports
 * a problem that says how many images it did not read, so that nothing is cut silently.
 *
 * An image read once and shared by its copies (`templateImageSites.ts`, `readBicep.ts`) costs its
 * alternatives once: what the budget bounds is what the read holds in memory, not how often a
 * shared list is used.
 */
import type { Problem } from './model';

/** The most image values one read computes (a few hundred bytes each, with their candidate). */
export const maximumImageValuesPerRead = 100_000;

export class ImageBudget {
  /** Image values computed (or recalled from a memo) so far. */
  used = 0;
  /** Images left unread because the budget was spent. */
  skipped = 0;

  constructor(readonly limit = maximumImageValuesPerRead) {}

  /** True when no further image may be evaluated. */
  get spent(): boolean {
    return this.used >= this.limit;
  }

  charge(count: number): void {
    this.used += count;
  }
}

/** The problem a read reports when it left images unread, at the entry file; undefined otherwise. */
export function imageBudgetProblem(budget: ImageBudget, file: string): Problem | undefined {
  if (budget.skipped === 0) return undefined;
  return {
    file,
    message:
      `This file can deploy more images than one analysis reads (${budget.limit.toLocaleString('en-US')} image values): ` +
      `${budget.skipped.toLocaleString('en-US')} image(s) were not read, and their publisher, offer, SKU and version are unresolved.`,
  };
}
