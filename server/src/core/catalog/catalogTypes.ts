/**
 * The shape of the image catalog: facts about Marketplace images, each with the sources it comes
 * from. The JSON schema in `catalog.schema.json` describes the same shape for editors and for the
 * schema test; these types are what the code reads after `loadCatalog` has checked a document.
 */

/** A source every fact names by id. `date` is when the source says what it says (or was read). */
export interface CatalogSource {
  title: string;
  url?: string;
  /** Repository, commit and path where the text was read, when it is not the live page. */
  reference?: string;
  date: string;
  /** How the date was chosen, or why the source needs care (a fork, an unmerged branch...). */
  note?: string;
}

/** A fact that needs a source: a date, a flag or a name, and where it was read. */
export interface Sourced {
  sources: string[];
  /** False when the fact is inferred or sources disagree (`[U]` in the research notes). */
  verified?: boolean;
  note?: string;
}

/** A date written `YYYY-MM-DD`, or `YYYY-MM` when only the month is known (then: its last day). */
export interface DatedFact extends Sourced {
  date: string;
  /**
   * Why the catalog deliberately differs from the imported lifecycle data (endoflife.date):
   * `npm run catalog:import-lifecycle` leaves such a fact alone, and the test that compares the
   * catalog with that data accepts the difference.
   */
  importOverride?: string;
}

export type Architecture = 'x64' | 'Arm64';
export type Generation = 'V1' | 'V2';
/** free: no software charge; payg: software billed per hour; byos: bring your own subscription. */
export type Licensing = 'free' | 'payg' | 'byos';

export interface KernelFact extends Sourced {
  /** True for an Azure-tuned kernel (linux-azure, kernel-azure, the Debian cloud kernel...). */
  tuned: boolean;
  /** The kernel flavour, e.g. `linux-azure` or `stock EL kernel`. */
  name: string;
}

export interface ExtendedSupport extends Sourced {
  /** The programme, e.g. `Ubuntu Pro (ESM)`, `SUSE LTSS`, `RHEL ELS`, `Debian LTS`. */
  name: string;
  ends: string;
  /** True when every image of this version includes it (Debian LTS); images can also opt in. */
  includedInAll?: boolean;
  /** Why `ends` deliberately differs from the imported lifecycle data; see `DatedFact`. */
  importOverride?: string;
}

/** What the catalog says of an image, whether it lists the image or a naming rule makes it. */
export interface ImageFacts {
  architecture: Architecture;
  generation: Generation;
  licensing: Licensing;
  /** What kind of image this is inside its version: server, minimal, pro, lvm, raw, sap, ha, hpc... */
  variant: string;
  /** The offer includes the version's extended support (Ubuntu Pro, SLES for SAP with LTSS...). */
  includesExtendedSupport?: boolean;
  /** Overrides the distribution's kernel for this image. */
  kernel?: KernelFact;
  /** The offer or SKU is a preview. */
  preview?: boolean;
}

/** A group of SKUs of one offer that share every attribute. */
export interface CatalogImage extends ImageFacts, Sourced {
  /** Defaults to the distribution's first publisher. */
  publisher?: string;
  offer: string;
  /** Exact SKU names (matched case-insensitively). */
  skus?: string[];
  /** A regular expression over the whole SKU name, matched case-insensitively. */
  skuPattern?: string;
}

export interface DistributionVersion {
  /** Stable id, e.g. `ubuntu-18.04`; successors refer to it. */
  id: string;
  /** Other ids a naming rule's `version` template may produce for it (`ubuntu-focal`). */
  aliases?: string[];
  /** Display name, e.g. `Ubuntu 18.04 LTS`. */
  name: string;
  released?: DatedFact;
  /** End of standard (general, full, premier) support; absent for rolling releases. */
  standardSupportEnds?: DatedFact;
  extendedSupport?: ExtendedSupport;
  /** Ids of the versions a fix should move to, most preferred first. */
  successors?: string[];
  kernel?: KernelFact;
  images: CatalogImage[];
}

/**
 * Facts a naming rule attaches to a token of a name (a choice word, or an optional group of literal
 * text, lower-cased): `-gen1` makes an image Gen1, `arm64` makes it Arm64, `byos` changes its
 * licensing. `variant` adds a word to the image's variant (`minimal`, `sap`, `ha`...), and `values`
 * sets placeholders of the rule's `version` template (a codename gives a release number).
 */
export interface NamingToken {
  architecture?: Architecture;
  generation?: Generation;
  licensing?: Licensing;
  variant?: string;
  includesExtendedSupport?: boolean;
  kernel?: KernelFact;
  preview?: boolean;
  values?: Record<string, string>;
}

/**
 * How a vendor names the images of a family of offers: an offer template, SKU templates (see
 * `namingTemplate.ts` for the syntax), the version id the captures make, and the image's facts,
 * changed by the tokens the name holds. A SKU that fits is recognised as an image of that version
 * even when the catalog does not list it by name.
 */
export interface NamingRule extends ImageFacts, Sourced {
  /** Stable id, unique in the catalog. */
  id: string;
  /** Defaults to the distribution's first publisher. */
  publisher?: string;
  offer: string;
  skus: string[];
  /** The version id the captures and token values make, e.g. `ubuntu-{major}.{minor}`. */
  version: string;
  /** How to write the release the name says, when more precise than the version (`{major}.{minor}`). */
  release?: string;
  /** Facts by token: what a word of the name changes (the rule's own facts are the defaults). */
  tokens?: Record<string, NamingToken>;
}

export interface Distribution {
  /** Stable id, e.g. `ubuntu`, `centos`, `rocky-ciq`. */
  id: string;
  name: string;
  vendor: string;
  /** The publishers whose images belong to this distribution. */
  publishers: string[];
  /** Whether Microsoft endorses this distribution (publisher and product) on Azure. */
  endorsed: Sourced & { value: boolean };
  kernel: KernelFact;
  versions: DistributionVersion[];
  /** How the distribution's vendor names offers and SKUs; SKUs that fit need not be listed. */
  namingRules?: NamingRule[];
}

/** Publishers the catalog knows that are not Linux: never flagged by a Linux rule. */
export interface OtherPublisher extends Sourced {
  publisher: string;
  name: string;
}

export interface Catalog {
  asOf: string;
  sources: Record<string, CatalogSource>;
  distributions: Distribution[];
  otherPublishers: OtherPublisher[];
}

/**
 * A catalog file merged over another (a user's catalog over the bundled one). Same shape as a
 * catalog, but only ids are required: a distribution or version whose id exists is merged field by
 * field, a new one must be complete. Images, sources and other publishers are complete entries.
 * `overlay: true` tells editors (through the JSON schema) to validate the file as an overlay.
 */
export interface CatalogOverlay {
  overlay?: true;
  asOf?: string;
  sources?: Record<string, CatalogSource>;
  distributions?: DistributionOverlay[];
  otherPublishers?: OtherPublisher[];
}

export interface DistributionOverlay extends Partial<Omit<Distribution, 'versions'>> {
  id: string;
  versions?: DistributionVersionOverlay[];
  /** Merged by id: a rule with an id the base has replaces it, a new one is added. */
  namingRules?: NamingRule[];
}

export interface DistributionVersionOverlay extends Partial<DistributionVersion> {
  id: string;
}
