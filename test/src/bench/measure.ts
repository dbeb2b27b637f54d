/**
 * Timing helpers for the benchmarks: run a function several times and keep the median and the
 * spread (smallest and largest run), so that one slow run on a busy machine shows as spread rather
 * than moving the figure. Nothing here asserts: the benchmarks report, they never fail.
 */
export interface Timing {
  median: number;
  min: number;
  max: number;
}

/** Milliseconds per run of `run`, after `warmups` untimed runs. */
export function time(run: () => unknown, runs: number, warmups = 1): Timing {
  for (let index = 0; index < warmups; index++) run();
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** The nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], rank: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1));
  return sorted[index];
}

export function formatMilliseconds(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `median (min-max) ms`. */
export function formatTiming(timing: Timing): string {
  return `${formatMilliseconds(timing.median)} ms (${formatMilliseconds(timing.min)}-${formatMilliseconds(timing.max)})`;
}

export function megabytes(characters: number): number {
  return characters / 1_000_000;
}
