/**
 * The sites of a template kept from one read to the next while the user types inside images
 * (`readAfterImageEdit.ts`). A keystroke in one image changes that image's site and moves every
 * definition after it. Copying every other site to move its definitions was most of what such a
 * keystroke cost in a large template, and nothing looks at those sites until something asks for
 * them (a full read does not: it reads everything again).
 *
 * So each site is kept as it was read, with its epoch: how many of the table's edits it has seen.
 * A site is moved through the edits it has not seen when it is asked for, and kept moved. What
 * finds the site an edit is in needs where each image and resource is now: those are numbers,
 * kept current at every edit.
 */
import type { ImageSite } from '../model';
import { siteMovedAgain } from '../sharedCandidates';
import type { SiteRecipe } from '../arm/templateImageSites';
import { TextMover, type TextShift } from '../textShift';

/** Past this many edits, every site is moved before the next edit is added. */
const maximumSteps = 256;

export class KeptSites {
  private constructor(
    /** The template the sites were read from: only its positions move. */
    readonly file: string,
    /** Each site as of its epoch. */
    private readonly sites: ImageSite[],
    private readonly epochs: number[],
    /** The edits since the table was made. */
    private readonly shifts: readonly TextShift[],
    /** Where each site's image starts and ends now (-1: in another file). */
    private readonly useStarts: number[],
    private readonly useEnds: number[],
    /** How to read each site again, and where its resource starts now. */
    private readonly recipes: (SiteRecipe | undefined)[],
    private readonly resourceStarts: number[],
  ) {}

  /** The sites of a read of the whole template, with the recipes it made (one per site). */
  static of(file: string, sites: readonly ImageSite[], recipes: readonly (SiteRecipe | undefined)[]): KeptSites {
    const inFile = (site: ImageSite) => site.use.file === file;
    return new KeptSites(
      file,
      [...sites],
      sites.map(() => 0),
      [],
      sites.map((site) => (inFile(site) ? site.use.range.start : -1)),
      sites.map((site) => (inFile(site) ? site.use.range.end : -1)),
      sites.map((_site, index) => recipes[index]),
      sites.map((_site, index) => recipes[index]?.resourceStart ?? -1),
    );
  }

  get length(): number {
    return this.sites.length;
  }

  /** The index of the one site whose image is `[start, end)` of the file now; -1 for none or several. */
  siteWithImage(start: number, end: number): number {
    let found = -1;
    for (let index = 0; index < this.useStarts.length; index++) {
      if (this.useStarts[index] !== start || this.useEnds[index] !== end) continue;
      if (found >= 0) return -1;
      found = index;
    }
    return found;
  }

  /** How to read a site again, with where its resource starts now. */
  recipe(index: number): SiteRecipe | undefined {
    const recipe = this.recipes[index];
    return recipe && { ...recipe, resourceStart: this.resourceStarts[index] };
  }

  /** A site as the text now has it. */
  site(index: number): ImageSite {
    const epoch = this.epochs[index];
    let site = this.sites[index];
    if (epoch < this.shifts.length) {
      const mover = TextMover.across(this.shifts.slice(epoch), this.file);
      const use =
        this.useStarts[index] >= 0 && this.useStarts[index] !== site.use.range.start
          ? { file: site.use.file, range: { start: this.useStarts[index], end: this.useEnds[index] } }
          : site.use;
      // The candidates are not copied: many sites share one list (`sharedCandidates.ts`).
      site = siteMovedAgain(site, use, mover);
      this.sites[index] = site;
      this.epochs[index] = this.shifts.length;
    }
    return site;
  }

  /** Every site as the text now has it. */
  all(): ImageSite[] {
    return this.sites.map((_site, index) => this.site(index));
  }

  /**
   * The table after `shift`, an edit inside the image of site `index`, which now reads `reread`
   * (none: the site is gone) as `recipe` says.
   */
  withSiteReadAgain(index: number, reread: ImageSite | undefined, recipe: SiteRecipe | undefined, shift: TextShift): KeptSites {
    if (this.shifts.length >= maximumSteps) this.all();
    const restart = this.shifts.length >= maximumSteps;
    const shifts = restart ? [] : [...this.shifts];
    if (shift.delta !== 0) shifts.push(shift);
    const mover = TextMover.across([shift]);
    // -1 (in another file) stays.
    const moved = (position: number) => mover.offset(position);
    const table = new KeptSites(
      this.file,
      [...this.sites],
      restart ? this.sites.map(() => 0) : [...this.epochs],
      shifts,
      this.useStarts.map(moved),
      this.useEnds.map((position) => mover.end(position)),
      [...this.recipes],
      this.resourceStarts.map(moved),
    );
    if (!reread) {
      for (const list of [table.sites, table.epochs, table.useStarts, table.useEnds, table.recipes, table.resourceStarts])
        list.splice(index, 1);
      return table;
    }
    const inFile = reread.use.file === this.file;
    table.sites[index] = reread;
    table.epochs[index] = shifts.length;
    table.useStarts[index] = inFile ? reread.use.range.start : -1;
    table.useEnds[index] = inFile ? reread.use.range.end : -1;
    table.recipes[index] = recipe;
    table.resourceStarts[index] = recipe?.resourceStart ?? -1;
    return table;
  }
}
