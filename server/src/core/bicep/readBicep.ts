/**
 * Reads the image sites of a Bicep file or a Bicep parameters file. (Being written: this first
 * version finds nothing, so that the rest of the analysis builds.)
 */
import type { FileHost, ReaderResult } from '../model';

export function readBicepFile(_file: string, _text: string, _host: FileHost): ReaderResult {
  return { sites: [], problems: [], dependencies: [] };
}

export function readBicepParamFile(_file: string, _text: string, _host: FileHost): ReaderResult {
  return { sites: [], problems: [], dependencies: [] };
}
