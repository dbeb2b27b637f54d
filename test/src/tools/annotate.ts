/**
 * Development aid for fixture cases: prints each file of a case folder with the findings the
 * pipeline reports written as inline expectations, existing expectations removed. Review the
 * output line by line before saving it over a fixture: it shows what the code does, not what it
 * should do. Usage: node test/out/tools/annotate.js test/fixtures/rules/<case> [--write]
 */
import * as fs from 'node:fs';
import { LineIndex } from '../../../server/out/core/text';
import { caseFiles, scanCase } from '../harness/fixtures';

const levelWords: Record<string, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };
const expectationLine = /^\s*\/\/\s*\^+\s+(error|warning|info|hint)\s+[a-z-]+:\s/;

function annotate(folder: string, write: boolean): void {
  const result = scanCase(folder);
  for (const file of caseFiles(folder)) {
    const original = fs.readFileSync(file, 'utf8');
    const eol = original.includes('\r\n') ? '\r\n' : '\n';
    const kept = original.split(/\r?\n/).filter((line) => !expectationLine.test(line));
    const text = kept.join(eol);
    // Offsets in findings refer to the file as read, so map them through the original text.
    const index = new LineIndex(original);
    const originalLines = original.split(/\r?\n/);
    const keptIndexOf = new Map<number, number>();
    let keptLine = 0;
    originalLines.forEach((line, lineNumber) => {
      if (!expectationLine.test(line)) keptIndexOf.set(lineNumber, keptLine++);
    });
    const notes = new Map<number, string[]>();
    for (const finding of result.findings.filter((f) => f.location.file === file)) {
      const start = index.positionAt(finding.location.range.start);
      const end = index.positionAt(finding.location.range.end);
      const width = end.line === start.line ? Math.max(1, end.character - start.character) : 1;
      const column = Math.max(2, start.character);
      const line = `${' '.repeat(column - 2)}//${'^'.repeat(width).padStart(width)} ${levelWords[finding.severity]} ${finding.code}: ${finding.message}`;
      const target = keptIndexOf.get(start.line) ?? start.line;
      notes.set(target, [...(notes.get(target) ?? []), line]);
    }
    const output: string[] = [];
    text.split(/\r?\n/).forEach((line, lineNumber) => {
      output.push(line);
      output.push(...(notes.get(lineNumber) ?? []));
    });
    const annotated = output.join(eol);
    if (write) fs.writeFileSync(file, annotated);
    else process.stdout.write(`==== ${file}\n${annotated}\n`);
  }
  for (const problem of result.problems) process.stdout.write(`problem: ${problem.file}: ${problem.message}\n`);
}

annotate(process.argv[2], process.argv.includes('--write'));
