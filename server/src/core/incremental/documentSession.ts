/**
 * One open document's edit-time reuse: everything that exists only to make the next analysis of
 * the same document cheaper after an edit, kept in one object per document. An editor analyses a
 * template again on every keystroke, and a keystroke changes little; the session remembers:
 * - the last text read with where its containers are, reused when the new text differs inside
 *   one string (`parseJsonDocument`), and the sites that read found, so that after typing inside
 *   one image only that image is read again (`readAfterImageEdit.ts`, `keptSites.ts`);
 * - every image's alternatives with what they were computed from (`imageReadMemo.ts`);
 * - the findings of the last analysis, so that the rules then run over that one image
 *   (`findingsAfterEdit.ts`), and what the rules said of each image (`CheckedImages`);
 * - the line index of the last text (`lineIndexMemo.ts`), for the positions of its diagnostics.
 * Whether an edit can change an analysis at all, and the mover that then takes its findings
 * across the edit (`moverAcrossEdit`, `editReuse.ts`), is asked of the trace the analysis returns
 * (`AnalysisResult.entryTrace`): the server asks on the thread its diagnostics are on, wherever the
 * session is. Every piece moves what it keeps with the one `TextMover` (`core/textShift.ts`).
 *
 * Public surface: `new DocumentSession()`, `analyze` (what `analyzeDocument` gives, the same with
 * or without a session), `lineIndexOf`, and the counters tests and benchmarks read. The readers and
 * the pipeline know it only through the hooks it implements (`AnalysisReuse`, and `ArmReadReuse`
 * as `arm`). A session belongs to one document: it must not be shared between documents, and
 * dropping it drops all it holds.
 */
import {
  analyzeDocument,
  CheckedImages,
  type AnalysisInProgress,
  type AnalysisResult,
  type AnalysisReuse,
  type AnalysisSettings,
  type SourcedFindings,
} from '../analyze';
import type { FileHost } from '../model';
import { mayHoldSuppressionAfterEdit } from '../suppressions';
import type { LineIndex } from '../text';
import { findingsAfterSiteRead, type RememberedFindings } from './findingsAfterEdit';
import { ImageReadMemo } from './imageReadMemo';
import { LineIndexMemo } from './lineIndexMemo';
import type { PreviousRead } from './readAfterImageEdit';

export class DocumentSession implements AnalysisReuse {
  /** What the ARM reader remembers between reads (`imageReadMemo.ts`): the reader's hook. */
  readonly arm = new ImageReadMemo();
  /** What the rules said of the document's images, unless the settings share one. */
  readonly checkedImages = new CheckedImages();
  /** How many analyses ran the rules over one site alone (tests and benchmarks read it). */
  findingsReused = 0;
  /** The findings of the analysis that made the last read kept (`findingsAfterSiteRead`). */
  private previousFindings: RememberedFindings | undefined;
  /** The read kept when the analysis in progress started. */
  private readBefore: PreviousRead | undefined;
  private readonly lines: LineIndexMemo;

  /** `minimumIndexedLength`: the shortest text whose line index is kept (see `LineIndexMemo`). */
  constructor(minimumIndexedLength?: number) {
    this.lines = new LineIndexMemo(minimumIndexedLength);
  }

  /** Analyses the document's text: what `analyzeDocument` gives without a session. */
  analyze(file: string, text: string, host: FileHost, settings: AnalysisSettings): AnalysisResult {
    return analyzeDocument(file, text, host, { ...settings, reuse: this });
  }

  /** Where the lines of `text` start: built from the last text's index after an edit on one line. */
  lineIndexOf(text: string): LineIndex {
    return this.lines.of(text);
  }

  /** @internal `AnalysisReuse` */
  startAnalysis(): void {
    this.readBefore = this.arm.previousRead;
    this.arm.siteRead = undefined;
  }

  /** @internal `AnalysisReuse` */
  entryMayHoldSuppression(text: string): boolean | undefined {
    const siteRead = this.arm.siteRead;
    const remembered = this.rememberedFor();
    return siteRead && remembered?.entryMayHoldSuppression === false
      ? mayHoldSuppressionAfterEdit(text, siteRead.shift.start, siteRead.shift.oldEnd + siteRead.shift.delta)
      : undefined;
  }

  /** @internal `AnalysisReuse` */
  findingsAfterRead(analysis: AnalysisInProgress): SourcedFindings | undefined {
    const siteRead = this.arm.siteRead;
    const remembered = this.rememberedFor();
    if (!siteRead || !remembered || remembered.checked !== analysis.checked) return undefined;
    const { file, settings, checked, readText, mayHold } = analysis;
    const found = findingsAfterSiteRead(remembered, siteRead, file, settings, checked, readText, mayHold);
    if (found) this.findingsReused++;
    return found;
  }

  /** @internal `AnalysisReuse` */
  endAnalysis(analysis: AnalysisInProgress, found: SourcedFindings): void {
    // Only a read this analysis made is paired with its findings (some reads keep none). The
    // list is copied: the caller owns the one it gets.
    const kept = this.arm.previousRead;
    this.previousFindings =
      kept && kept !== this.readBefore
        ? {
            read: kept,
            checked: analysis.checked,
            findings: [...found.findings],
            sources: found.sources,
            watched: found.watched ?? new Map(),
            problems: found.problems,
            entryMayHoldSuppression: analysis.mayHold(analysis.file, analysis.text),
          }
        : undefined;
  }

  /** The findings remembered from the read the last read of one site started from, if any. */
  private rememberedFor(): RememberedFindings | undefined {
    const siteRead = this.arm.siteRead;
    return siteRead && this.previousFindings?.read === siteRead.previous ? this.previousFindings : undefined;
  }
}
