/**
 * Which catalog version takes its dates from which endoflife.date release cycle, and what each
 * product's fields mean in the catalog's model. The one place to change when the catalog gains a
 * version, or when `catalog-sources/endoflife/` moves to a newer commit.
 */

/** The fields of an endoflife.date release entry that hold dates. */
export type DataField = 'releaseDate' | 'eoas' | 'eol' | 'eoes';

/** What a product's fields mean for the catalog (`released` always comes from `releaseDate`). */
export interface ProductFields {
  /** The field that ends what the catalog calls standard support (general, full, premier). */
  standardSupportEnds: DataField;
  /** The field that ends the version's `extendedSupport`, for products that have one. */
  extendedSupportEnds?: DataField;
  /** Why these fields: the product's own names for its phases. */
  why: string;
}

/** The catalog source the imported facts cite, and the vendored commit it must name. */
export const importSource = {
  id: 'S22',
  title: 'endoflife.date product data',
  url: 'https://endoflife.date',
  repository: 'endoflife-date/endoflife.date',
  commit: 'a70eca337600e7d721dc48112c271f98661d208b',
  date: '2026-08-22',
  /** Sources the import replaces on the facts it writes: older revisions of the same files. */
  replaces: ['S49'],
} as const;

export const productFields: Readonly<Record<string, ProductFields>> = {
  ubuntu: {
    standardSupportEnds: 'eol',
    extendedSupportEnds: 'eoes',
    why: '"Maintenance & Security Support" (eol) is standard support; "Expanded Security Maintenance" (eoes) is Ubuntu Pro (ESM). Interim releases have no eoes.',
  },
  debian: {
    standardSupportEnds: 'eol',
    extendedSupportEnds: 'eoes',
    why: '"Debian Security Support" (eol) is standard support; "Debian LTS" (eoes) is the extended support every image includes.',
  },
  rhel: {
    standardSupportEnds: 'eol',
    extendedSupportEnds: 'eoes',
    why: '"Maintenance Support" (eol) ends standard support (full support, eoas, ends earlier); "Extended Life Cycle Support" (eoes) is the paid ELS add-on.',
  },
  sles: {
    standardSupportEnds: 'eol',
    extendedSupportEnds: 'eoes',
    why: '"General Support" (eol) is standard support; "Long Term Service Pack Support" (eoes) is LTSS.',
  },
  'oracle-linux': {
    standardSupportEnds: 'eol',
    extendedSupportEnds: 'eoes',
    why: '"Basic/Premier Support" (eol) is standard support; "Extended Support" (eoes) is the paid extension.',
  },
  almalinux: {
    standardSupportEnds: 'eoas',
    extendedSupportEnds: 'eol',
    why: 'Active support (eoas) is standard support; the free security support that follows until eol is the extended support every image includes.',
  },
  'rocky-linux': {
    standardSupportEnds: 'eoas',
    extendedSupportEnds: 'eol',
    why: 'Active support (eoas) is standard support; the free security support that follows until eol is the extended support every image includes.',
  },
  centos: {
    standardSupportEnds: 'eol',
    why: 'Full updates (eoas) ended first; maintenance updates ran until the end of life (eol). CentOS Linux has no extended support.',
  },
  opensuse: {
    standardSupportEnds: 'eol',
    why: 'A Leap release has one end of life (eol) and no extended support.',
  },
};

/** Catalog version id → endoflife.date release cycle, by product file. */
export const mappedCycles: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ubuntu: {
    'ubuntu-14.04': '14.04',
    'ubuntu-16.04': '16.04',
    'ubuntu-18.04': '18.04',
    'ubuntu-20.04': '20.04',
    'ubuntu-22.04': '22.04',
    'ubuntu-24.04': '24.04',
    'ubuntu-26.04': '26.04',
    'ubuntu-21.10': '21.10',
    'ubuntu-22.10': '22.10',
    'ubuntu-23.04': '23.04',
    'ubuntu-23.10': '23.10',
    'ubuntu-24.10': '24.10',
    'ubuntu-25.04': '25.04',
    'ubuntu-25.10': '25.10',
    'ubuntu-12.04': '12.04',
    'ubuntu-18.10': '18.10',
    'ubuntu-19.04': '19.04',
    'ubuntu-19.10': '19.10',
    'ubuntu-20.10': '20.10',
    'ubuntu-21.04': '21.04',
  },
  debian: {
    'debian-8': '8',
    'debian-9': '9',
    'debian-10': '10',
    'debian-11': '11',
    'debian-12': '12',
    'debian-13': '13',
  },
  centos: { 'centos-6': '6', 'centos-7': '7', 'centos-8': '8' },
  almalinux: { 'almalinux-8': '8', 'almalinux-9': '9', 'almalinux-10': '10' },
  'rocky-linux': { 'rocky-resf-8': '8', 'rocky-resf-9': '9', 'rocky-resf-10': '10' },
  rhel: { 'rhel-6': '6', 'rhel-7': '7', 'rhel-8': '8', 'rhel-9': '9', 'rhel-10': '10' },
  'oracle-linux': { 'oracle-6': '6', 'oracle-7': '7', 'oracle-8': '8', 'oracle-9': '9', 'oracle-10': '10' },
  sles: {
    'sles-11-sp4': '11.4',
    'sles-12-sp1': '12.1',
    'sles-12-sp2': '12.2',
    'sles-12-sp3': '12.3',
    'sles-12-sp4': '12.4',
    'sles-12-sp5': '12.5',
    'sles-15': '15.0',
    'sles-15-sp1': '15.1',
    'sles-15-sp2': '15.2',
    'sles-15-sp3': '15.3',
    'sles-15-sp4': '15.4',
    'sles-15-sp5': '15.5',
    'sles-15-sp6': '15.6',
    'sles-15-sp7': '15.7',
    'sles-16.0': '16.0',
  },
  opensuse: {
    'opensuse-13.2': '13.2',
    'opensuse-leap-42.3': '42.3',
    'opensuse-leap-15.3': '15.3',
    'opensuse-leap-15.4': '15.4',
    'opensuse-leap-15.5': '15.5',
    'opensuse-leap-15.6': '15.6',
    'opensuse-leap-15.0': '15.0',
    'opensuse-leap-15.1': '15.1',
    'opensuse-leap-15.2': '15.2',
    'opensuse-leap-16.0': '16.0',
  },
};

/**
 * Catalog distributions whose versions the vendored data covers, with the product file: each of
 * their versions is in `mappedCycles` or in `unmappedVersions` with a reason.
 */
export const coveredDistributions: Readonly<Record<string, string>> = {
  ubuntu: 'ubuntu',
  debian: 'debian',
  centos: 'centos',
  almalinux: 'almalinux',
  'rocky-resf': 'rocky-linux',
  rhel: 'rhel',
  'oracle-linux': 'oracle-linux',
  sles: 'sles',
  'opensuse-leap': 'opensuse',
};

/** Versions of covered distributions whose dates are not imported, and why. */
export const unmappedVersions: Readonly<Record<string, string>> = {};

/** Catalog distributions whose dates are not imported at all, and why. */
export const unmappedDistributions: Readonly<Record<string, string>> = {
  'rocky-ciq':
    "CIQ's images come with CIQ's support terms, which may differ from Rocky Linux's; the catalog gives Rocky Linux's own dates with a note, kept by hand.",
  flatcar: 'Rolling channels without end dates; not in the vendored data.',
  kali: 'A rolling distribution without end dates; not in the vendored data.',
  coreos: 'Ended on 2020-05-26 (S5); not in the vendored data.',
  'azure-linux':
    'Not in the vendored data: endoflife.date has its Azure Linux page only on an unmerged branch (S47), kept by hand with its own source.',
};
