/**
 * Lifecycle arithmetic over catalog dates: which support an image includes, when it ends, and
 * where a date stands relative to the analysis date. Catalog dates may give only a month
 * (`YYYY-MM`); such a date means the last day of that month, the latest day the source allows.
 */
import type { CatalogEntry } from './matchImage';

/** The support an image carries and its end, as of nothing in particular. */
export interface IncludedSupport {
  /** `standard`, or the extended programme's name when the image includes it. */
  kind: 'standard' | 'extended';
  name: string;
  /** The end date as written in the catalog (`YYYY-MM-DD` or `YYYY-MM`). */
  ends: string;
}

/** Paid (or otherwise separate) extended support that could still be bought after `ends`. */
export interface PurchasableSupport {
  name: string;
  ends: string;
}

/** Dates already converted: the rules ask for the same few catalog dates for every candidate. */
const dayNumbers = new Map<string, number | undefined>();

/** Parses a catalog date into a UTC day number; `YYYY-MM` gives the month's last day. */
export function dayNumber(date: string): number | undefined {
  if (dayNumbers.has(date)) return dayNumbers.get(date);
  const day = computeDayNumber(date);
  if (dayNumbers.size < 10_000) dayNumbers.set(date, day);
  return day;
}

function computeDayNumber(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(date);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = match[3] === undefined ? lastDay : Number(match[3]);
  if (day < 1 || day > lastDay) return undefined;
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** True for a `YYYY-MM-DD` date that exists. */
export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && dayNumber(date) !== undefined;
}

/** Today's date as `YYYY-MM-DD` in UTC; adapters call it, the core takes `asOf` as input. */
export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The support an image includes: the version's extended support when the image includes it (or
 * every image does, as with Debian LTS), its standard support otherwise. Undefined for versions
 * with no end date (rolling releases such as Flatcar channels).
 */
export function includedSupport(entry: CatalogEntry): IncludedSupport | undefined {
  const { version, image } = entry;
  const extended = version.extendedSupport;
  if (extended && (image.includesExtendedSupport || extended.includedInAll)) {
    return { kind: 'extended', name: extended.name, ends: extended.ends };
  }
  if (version.standardSupportEnds) {
    return { kind: 'standard', name: 'standard support', ends: version.standardSupportEnds.date };
  }
  return undefined;
}

/** Extended support the image does not include but that can be bought (still running as of). */
export function purchasableSupport(entry: CatalogEntry, asOf: string): PurchasableSupport | undefined {
  const extended = entry.version.extendedSupport;
  if (!extended || entry.image.includesExtendedSupport || extended.includedInAll) return undefined;
  const end = dayNumber(extended.ends);
  const today = dayNumber(asOf);
  if (end === undefined || today === undefined || end < today) return undefined;
  return { name: extended.name, ends: extended.ends };
}

/** Days from `asOf` to the end date (negative once it has passed; 0 on the last day). */
export function daysUntil(asOf: string, end: string): number | undefined {
  const endDay = dayNumber(end);
  const today = dayNumber(asOf);
  if (endDay === undefined || today === undefined) return undefined;
  return endDay - today;
}

export type SupportStatus = 'supported' | 'ended' | 'no-end-date';

/** Whether the included support has ended as of a date. Support runs through its last day. */
export function supportStatus(entry: CatalogEntry, asOf: string): SupportStatus {
  const support = includedSupport(entry);
  if (!support) return 'no-end-date';
  const days = daysUntil(asOf, support.ends);
  if (days === undefined) return 'no-end-date';
  return days < 0 ? 'ended' : 'supported';
}
