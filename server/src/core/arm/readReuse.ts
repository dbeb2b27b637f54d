/**
 * The one hook through which a document session (`core/incremental/`) makes the next read of the
 * same ARM template cheaper. The reader computes everything from scratch and knows nothing else of
 * the session: a read without this hook reads every image, and a read with it gives exactly the
 * same result (`test/src/incremental/documentSession.test.ts`).
 *
 * A read calls, in order: `startRead` (the previous text's containers, which `parseJsonDocument`
 * reuses after typing inside one string), `imageRecall` (unless its caller passes parameter
 * values), `sitesAfterEdit` (when it took an image recall) and `endRead`, unless it ends early.
 */
import type { ImageSite } from '../model';
import type { ImageBudget } from '../readBudget';
import type { JsonDocument, PreviousParse } from './jsonDocument';
import type { SiteRecipe } from './templateImageSites';
import type { ImageRecall, TemplateScope } from './templateScope';

export interface ArmReadReuse {
  /** A read starts: the containers of the text read last, if the session kept them. */
  startRead(): PreviousParse | undefined;
  /** What the read's scopes take remembered images through, each deployment by its signature. */
  imageRecall(): DeploymentImageRecall;
  /**
   * The sites of the read when the session can give them without walking the template (after
   * typing inside one image: that image alone is read again, in `scopes`), moved when first asked
   * for; undefined to read every site.
   */
  sitesAfterEdit(read: ReadInProgress): (() => ImageSite[]) | undefined;
  /** The read ended well: what it read, for the next (`sites` and `recipes` when it read every site). */
  endRead(read: ReadInProgress & ReadEnd): void;
}

/**
 * What a read that ended knows of itself: its text, its sites and their recipes when it read every
 * site, and whether it followed linked templates (such a read is not read again in part).
 */
export interface ReadEnd {
  text: string;
  sites?: readonly ImageSite[];
  recipes?: readonly (SiteRecipe | undefined)[];
  followedLinks?: boolean;
}

export interface DeploymentImageRecall extends ImageRecall {
  /** A short key for a deployment's signature: the prefix of every image key read in its scopes. */
  deploymentKey(signature: string): string;
}

/** A read of a template, as far as the hook needs to know it. */
export interface ReadInProgress {
  file: string;
  document: JsonDocument;
  /** One top-level scope per deployment, in order, and what makes each deployment differ. */
  scopes: readonly TemplateScope[];
  signatures: readonly string[];
  /** The read's image budget (`readBudget.ts`). */
  images: ImageBudget;
}
