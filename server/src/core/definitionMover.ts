/**
 * Both readers read an image written the same way on many resources once, and give every other
 * copy the result with the definitions of the original's literals moved to the copy's own text.
 * A `DefinitionMover` does that move: the definitions that lie in `[start, end)` of `file` move by
 * `shift`, for values and for whole site shapes.
 */
import type { SiteShape } from './imageLocations';
import { type ImageCandidate, imageFields, type SourceLocation } from './model';
import type { Value } from './values';

/**
 * Copies values, moving the definitions that lie in `[start, end)` of `file` by `shift`: the
 * same literals in another copy of the same text. Values with nothing to move are shared.
 */
export class DefinitionMover {
  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly end: number,
    private readonly shift: number,
  ) {}

  /** The values moved (a value with nothing to move is the same object). */
  moveAll(values: readonly Value[]): Value[] {
    return values.map((value) => this.move(value));
  }

  /** A site's shape with its candidates' definitions moved, as if built from moved values. */
  moveShape(shape: SiteShape): SiteShape {
    return { ...shape, candidates: this.moveCandidates(shape.candidates) };
  }

  /** Candidates with their definitions moved (a candidate with nothing to move is the same object). */
  moveCandidates(candidates: readonly ImageCandidate[]): ImageCandidate[] {
    return candidates.map((candidate) => {
      let copy: ImageCandidate | undefined;
      for (const field of imageFields) {
        const value = candidate[field];
        const definition = value?.definition;
        if (!value || !definition || !this.holds(definition.location)) continue;
        copy ??= { ...candidate };
        copy[field] = { ...value, definition: { ...definition, location: this.moved(definition.location) } };
      }
      return copy ?? candidate;
    });
  }

  private holds(location: SourceLocation): boolean {
    return location.file === this.file && location.range.start >= this.start && location.range.start < this.end;
  }

  private moved(location: SourceLocation): SourceLocation {
    return { file: location.file, range: { start: location.range.start + this.shift, end: location.range.end + this.shift } };
  }

  move(value: Value): Value {
    switch (value.kind) {
      case 'string': {
        const definition = value.definition;
        if (!definition) return value;
        const { file, range } = definition.location;
        if (file !== this.file || range.start < this.start || range.start >= this.end) return value;
        const location = { file, range: { start: range.start + this.shift, end: range.end + this.shift } };
        return { kind: 'string', value: value.value, definition: { ...definition, location } };
      }
      case 'object': {
        let properties: Map<string, Value> | undefined;
        for (const [name, item] of value.properties) {
          const moved = this.move(item);
          if (moved !== item && !properties) {
            properties = new Map();
            for (const [earlierName, earlier] of value.properties) {
              if (earlierName === name) break;
              properties.set(earlierName, earlier);
            }
          }
          properties?.set(name, moved);
        }
        return properties ? { kind: 'object', properties } : value;
      }
      case 'array': {
        const items = value.items.map((item) => this.move(item));
        return items.some((item, index) => item !== value.items[index]) ? { kind: 'array', items } : value;
      }
      default:
        return value;
    }
  }
}
