/**
 * Moving an analysis across an edit instead of analysing again (`core/incremental/editReuse.ts`
 * decides and gives the mover, `server/documentAnalysis.ts` moves the diagnostics with it). The property that matters: whenever an edit is let through, the moved
 * analysis equals a fresh analysis of the edited text, diagnostic for diagnostic (ranges, related
 * locations, fix offsets, versions). It is checked on random edits of every ARM fixture, corpus
 * templates and the benchmarks' synthetic templates, one edit at a time and in chains where each
 * edit is checked against the trace the previous ones left. The purpose-written cases pin down
 * which edits are let through and which are not.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { emptyConfig } from '../../../server/out/core/config/config';
import { FileAccessPolicy } from '../../../server/out/node/fileAccess';
import { NodeFileHost } from '../../../server/out/node/nodeFileHost';
import { formatDay } from '../../../server/out/core/catalog/lifecycle';
import { DocumentSession } from '../../../server/out/core/incremental/documentSession';
import { analysisAcrossEdit, diagnoseDocument, type DocumentAnalysis } from '../../../server/out/server/documentAnalysis';
import { shiftOfChange, type TextShift } from '../../../server/out/core/textShift';
import { defaultSettings } from '../../../server/out/server/settings';
import { compiledBicepTemplate, virtualMachineFleetTemplate } from '../bench/synthesize';
import { corpusRoot, fixturesRoot } from '../harness/fixtures';
import { random } from '../harness/random';

const corpus = corpusRoot;
/** The rules' date; the day the analyses are made is the real one (the server stamps it). */
const asOf = '2026-11-22';
const today = formatDay(new Date());
const tomorrow = formatDay(new Date(Date.now() + 86_400_000));

function analyse(file: string, text: string, version: number, session?: DocumentSession): DocumentAnalysis {
  const host = new NodeFileHost(defaultSettings.maxFileSize, () => undefined, FileAccessPolicy.within([path.parse(file).root]));
  return diagnoseDocument(
    pathToFileURL(file).href,
    version,
    text,
    {
      settings: defaultSettings,
      config: emptyConfig(),
      catalog: bundledCatalog,
      asOf,
      host,
      configurationProblems: [],
      configurationFiles: [],
      session,
    },
    { versionOf: () => undefined, uriOf: (name) => pathToFileURL(name).href },
  );
}

/** What a client sees of an analysis: every contribution, without the reuse trace. */
function visible(analysis: DocumentAnalysis): unknown {
  return {
    version: analysis.version,
    contributions: [...analysis.contributions.entries()].sort(([a], [b]) => a.localeCompare(b)),
    dependencies: [...analysis.dependencies].sort(),
  };
}

function editOf(text: string, start: number, end: number, insert: string): { edit: TextShift; newText: string } {
  const document = TextDocument.create('file:///x.json', 'json', 1, text);
  const edit = shiftOfChange({ start, end, text: insert }, { start: document.positionAt(start), end: document.positionAt(end) });
  return { edit, newText: text.slice(0, start) + insert + text.slice(end) };
}

const insertions = ['x', ' ', '\n', '  ', '\n    ', '"', '}', ',', '{}', '[1]', 'ubuntu', '\\', '/', '// c\n', '0'];

/** A random edit: mostly small insertions and deletions, as typing makes them. */
function randomEdit(text: string, next: () => number): { start: number; end: number; insert: string } {
  const start = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.6) return { start, end: start, insert: insertions[Math.floor(next() * insertions.length)] };
  if (kind < 0.85) return { start, end: Math.min(text.length, start + 1 + Math.floor(next() * 3)), insert: '' };
  return { start, end: Math.min(text.length, start + 1 + Math.floor(next() * 3)), insert: 'ab' };
}

interface Totals {
  edits: number;
  reused: number;
}

/** Checks `count` random edits of `text`, each against a fresh analysis, and `chain` edits in a row. */
function checkRandomEdits(file: string, text: string, seed: number, count: number, chain: number, totals: Totals): void {
  const next = random(seed);
  for (let index = 0; index < count; index++) {
    const { start, end, insert } = randomEdit(text, next);
    const { edit, newText } = editOf(text, start, end, insert);
    const moved = analysisAcrossEdit(analyse(file, text, 1), text, edit, newText, 2, today);
    totals.edits++;
    if (!moved) continue;
    totals.reused++;
    assert.deepEqual(
      visible(moved),
      visible(analyse(file, newText, 2)),
      `${file}: edit ${JSON.stringify({ start, end, insert })} (seed ${seed})`,
    );
  }
  // A chain: each edit is checked against the trace the edits before it left. As in the server,
  // the chain's analyses remember images from one to the next (their traces then mark what the
  // remembered images read as wholly read); the fresh analyses compared with remember nothing.
  const session = new DocumentSession();
  let current = text;
  let analysis = analyse(file, current, 1, session);
  for (let index = 0; index < chain; index++) {
    const { start, end, insert } = randomEdit(current, next);
    const { edit, newText } = editOf(current, start, end, insert);
    const moved = analysisAcrossEdit(analysis, current, edit, newText, analysis.version + 1, today);
    totals.edits++;
    if (moved) {
      totals.reused++;
      assert.deepEqual(
        visible(moved),
        visible(analyse(file, newText, analysis.version + 1)),
        `${file}: chained edit ${index} ${JSON.stringify({ start, end, insert })} (seed ${seed})`,
      );
      analysis = moved;
    } else {
      analysis = analyse(file, newText, analysis.version + 1, session);
    }
    current = newText;
  }
}

function armFixtures(): string[] {
  const files: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.json$/.test(entry.name) && !/\.fixed\.json$/.test(entry.name) && !/parameters/.test(entry.name))
        files.push(full);
    }
  };
  visit(path.join(fixturesRoot, 'rules'));
  return files;
}

function corpusTemplates(limit: number): string[] {
  const files: string[] = [];
  const visit = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (files.length >= limit) return;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name === 'azuredeploy.json' && /imageReference/.test(fs.readFileSync(full, 'utf8'))) files.push(full);
    }
  };
  visit(corpus);
  return files;
}

describe('moving an analysis across an edit', () => {
  it('equals a fresh analysis whenever an edit is let through: fixtures, corpus and synthetic templates', () => {
    const totals: Totals = { edits: 0, reused: 0 };
    let seed = 1;
    for (const file of armFixtures()) checkRandomEdits(file, fs.readFileSync(file, 'utf8'), seed++, 40, 20, totals);
    for (const file of corpusTemplates(25)) checkRandomEdits(file, fs.readFileSync(file, 'utf8'), seed++, 30, 15, totals);
    checkRandomEdits('/bench/fleet/azuredeploy.json', virtualMachineFleetTemplate(70_000), seed++, 40, 30, totals);
    checkRandomEdits('/bench/compiled/main.json', compiledBicepTemplate(70_000), seed++, 40, 30, totals);
    // Not vacuous: a good share of random edits is let through, and not all of them.
    assert.ok(totals.reused > totals.edits / 10, `${totals.reused} of ${totals.edits} edits reused`);
    assert.ok(totals.reused < totals.edits, `${totals.reused} of ${totals.edits} edits reused`);
  });

  const fleet = virtualMachineFleetTemplate(20_000);
  const file = '/bench/fleet/azuredeploy.json';

  function tryEdit(text: string, start: number, end: number, insert: string): DocumentAnalysis | undefined {
    const { edit, newText } = editOf(text, start, end, insert);
    return analysisAcrossEdit(analyse(file, text, 1), text, edit, newText, 2, today);
  }

  it('lets through typing in a property nobody reads, and gives what a fresh analysis gives', () => {
    const at = fleet.indexOf('"adminUsername"');
    assert.ok(at > 0);
    const inValue = fleet.indexOf('"', fleet.indexOf(':', at) + 1) + 1;
    const moved = tryEdit(fleet, inValue, inValue, 'typed\nmore');
    assert.ok(moved, 'typing in an osProfile value is let through');
    const newText = fleet.slice(0, inValue) + 'typed\nmore' + fleet.slice(inValue);
    assert.deepEqual(visible(moved), visible(analyse(file, newText, 2)));
    assert.ok([...moved.contributions.values()][0].diagnostics.length > 0, 'the fleet has findings');
  });

  it('lets through a line break between entries, and moves every finding after it down a line', () => {
    const moved = tryEdit(fleet, 1, 1, '\n');
    assert.ok(moved);
    const before = [...analyse(file, fleet, 1).contributions.values()][0].diagnostics;
    const after = [...moved.contributions.values()][0].diagnostics;
    assert.deepEqual(
      after.map((diagnostic) => diagnostic.range.start.line),
      before.map((diagnostic) => diagnostic.range.start.line + 1),
    );
    assert.equal(moved.version, 2);
  });

  it('analyses again after a change to a value that was read, a name, broken syntax or a new suppression comment', () => {
    const sku = fleet.indexOf('"sku"');
    const skuValue = fleet.indexOf('"', fleet.indexOf(':', sku) + 1) + 1;
    assert.equal(tryEdit(fleet, skuValue, skuValue, 'x'), undefined, 'an image value');
    assert.equal(tryEdit(fleet, sku + 1, sku + 1, 'x'), undefined, 'a property name that was read');
    const admin = fleet.indexOf('"adminUsername"');
    const adminValue = fleet.indexOf('"', fleet.indexOf(':', admin) + 1) + 1;
    assert.equal(tryEdit(fleet, adminValue, adminValue, '"'), undefined, 'a quote that breaks the syntax');
    assert.equal(
      tryEdit(fleet, 1, 1, '\n// azure-image-lint-disable-next-line\n'),
      undefined,
      'a suppression comment between entries',
    );
    assert.equal(tryEdit(fleet, 1, 1, 'x'), undefined, 'a character between entries');
  });

  it('analyses again on another day, and for a text that grew over the size limit', () => {
    const { edit, newText } = editOf(fleet, 1, 1, '\n');
    const previous = analyse(file, fleet, 1);
    assert.equal(analysisAcrossEdit(previous, fleet, edit, newText, 2, tomorrow), undefined);
    const limited = { ...previous, editTrace: { ...previous.editTrace!, maximumSize: fleet.length } };
    assert.equal(analysisAcrossEdit(limited, fleet, edit, newText, 2, today), undefined);
  });

  it('keeps no trace for a template with a suppression comment, a parameter file or a Bicep file', () => {
    const suppressed = path.join(fixturesRoot, 'rules', 'suppressions');
    for (const name of fs.readdirSync(suppressed).filter((entry) => /\.json$/.test(entry) && !/fixed/.test(entry))) {
      const full = path.join(suppressed, name);
      assert.equal(analyse(full, fs.readFileSync(full, 'utf8'), 1).editTrace, undefined, name);
    }
    const parameters = path.join(fixturesRoot, 'rules', 'parameter-file');
    for (const name of fs.readdirSync(parameters).filter((entry) => /parameters\.json$/.test(entry))) {
      const full = path.join(parameters, name);
      assert.equal(analyse(full, fs.readFileSync(full, 'utf8'), 1).editTrace, undefined, name);
    }
    assert.equal(analyse('/x/main.bicep', "param sku string = '18.04-LTS'\n", 1).editTrace, undefined);
  });
});
