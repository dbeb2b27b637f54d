/**
 * The inputs the tests of answers by offset (the index of image values, the spans answers hold
 * over) run on: every fixture template, corpus templates with images, and the offsets around every
 * value of a synthetic fleet, where sites share their candidates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectDocumentKind } from '../../../server/out/core/analyze';
import { corpusFiles, virtualMachineFleetTemplate } from '../bench/synthesize';
import { caseFiles, caseFolders, corpusRoot, fixturesRoot } from './fixtures';

export interface ValueInput {
  file: string;
  text: string;
  /** The offsets to check; every offset when not given. */
  offsets?: number[];
}

/** Every ARM and Bicep template and parameter file of the rule and server fixtures. */
export function fixtureTemplates(): ValueInput[] {
  const inputs: ValueInput[] = [];
  for (const root of ['rules', 'server'].map((name) => path.join(fixturesRoot, name))) {
    for (const file of [root, ...caseFolders(root)].flatMap((folder) => caseFiles(folder))) {
      const text = fs.readFileSync(file, 'utf8');
      if (['arm-template', 'arm-parameters', 'bicep', 'bicepparam'].includes(detectDocumentKind(file, text)))
        inputs.push({ file, text });
    }
  }
  return inputs;
}

/** The first `count` corpus templates under 60 KB that name an image. */
export function corpusTemplatesWithImages(count = 12): ValueInput[] {
  return corpusFiles(corpusRoot, (_file, text) => /imageReference|imageName/i.test(text) && text.length < 60_000).slice(0, count);
}

/** A 300 KB fleet at `file`, with offsets around each image property and parameter default. */
export function fleetAroundValues(file: string): Required<ValueInput> {
  const text = virtualMachineFleetTemplate(300_000);
  const offsets: number[] = [];
  for (const match of text.matchAll(/"(sku|offer|publisher|version|defaultValue|imageReference)"/g)) {
    for (let delta = -2; delta < 40; delta += 3) offsets.push(match.index + delta);
  }
  return { file, text, offsets };
}
