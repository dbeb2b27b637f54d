/**
 * SARIF 2.1.0 output that GitHub code scanning and Azure DevOps Advanced Security take as it is:
 * one run with the tool's full identity and its rules (help in Markdown, built from the same
 * metadata as the docs pages), an `automationDetails.id`, locations as URIs relative to the
 * repository's root (`%SRCROOT%` in `originalUriBaseIds`), one result per finding with a
 * fingerprint that survives lines moving, related locations linked from the message (GitHub shows
 * only those), and fixes as artifact changes. Files that could not be analysed are tool execution
 * notifications, and problems with paths or configuration files are tool configuration
 * notifications; `executionSuccessful` is false when the command exits with status 2.
 * Regions are 1-based, columns counted in UTF-16 code units (declared by `columnKind`).
 * Rules carry their whole page as help and no `helpUri`: the pages are installed with the tool,
 * and a link to a file on the machine that made the log would be broken wherever it is read.
 */
import type { Finding, OffsetRange, Problem, Severity } from '../core/model';
import { allRules } from '../core/rules';
import type { Rule } from '../core/rules/rule';
import type { BaselineEntry } from './baseline';
import type { PositionConverter } from './formats';
import { type RepositoryPaths, sourceRootBaseId } from './repositoryPaths';

const sarifLevels: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** The category GitHub files the results under (`category/run-id`, with no run id). */
export const automationId = 'azure-image-lint/';

export const informationUri = 'https://github.com/azure-image-lint/azure-image-lint';

/** The descriptors of the notifications, in `driver.notifications`. */
const notificationDescriptors = [
  { id: 'file-not-analysed', shortDescription: { text: 'A file could not be analysed, wholly or in part.' } },
  {
    id: 'configuration-problem',
    shortDescription: { text: 'A path, configuration, catalog or baseline file could not be used.' },
  },
];

export interface SarifReport {
  findings: readonly Finding[];
  /** The identity of each finding, in the same order (`baseline.ts`). */
  identities: readonly BaselineEntry[];
  /** Files that could not be analysed, wholly or in part. */
  problems: readonly Problem[];
  /** Unreadable paths, bad configuration, catalog or baseline files (exit status 2). */
  configurationProblems: readonly Problem[];
  /** Whether the problems fail the run (`--fail-on-problems`): they are errors then. */
  problemsFail: boolean;
  toolVersion: string;
  positions: PositionConverter;
  paths: RepositoryPaths;
}

export function formatSarif(report: SarifReport): string {
  const { positions, paths } = report;
  const ruleIndex = new Map(allRules.map((rule, index) => [rule.code, index]));
  const region = (file: string, range: OffsetRange) => {
    const { start, end } = positions.range(file, range);
    return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  };
  const physicalLocation = (file: string, range: OffsetRange | undefined) =>
    range
      ? { artifactLocation: paths.artifactLocation(file), region: region(file, range) }
      : { artifactLocation: paths.artifactLocation(file) };
  const notification = (problem: Problem, level: 'error' | 'warning', descriptor: number) => ({
    level,
    message: { text: problem.message },
    locations: [{ physicalLocation: physicalLocation(problem.file, problem.range) }],
    descriptor: { id: notificationDescriptors[descriptor].id, index: descriptor },
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'azure-image-lint',
            fullName: 'Azure Image Lint',
            version: report.toolVersion,
            semanticVersion: report.toolVersion,
            informationUri,
            rules: allRules.map((rule) => ({
              id: rule.code,
              name: rule.code,
              shortDescription: { text: rule.title },
              fullDescription: { text: firstParagraph(rule.description) },
              help: { text: ruleHelpText(rule), markdown: ruleHelpMarkdown(rule) },
              defaultConfiguration: { level: rule.defaultLevel === 'off' ? 'none' : sarifLevels[rule.defaultLevel] },
            })),
            notifications: notificationDescriptors,
          },
        },
        automationDetails: { id: automationId },
        originalUriBaseIds: {
          [sourceRootBaseId]: { uri: paths.rootUri(), description: { text: 'The root of the repository.' } },
        },
        invocations: [
          {
            executionSuccessful: report.configurationProblems.length === 0,
            toolExecutionNotifications: report.problems.map((problem) =>
              notification(problem, report.problemsFail ? 'error' : 'warning', 0),
            ),
            toolConfigurationNotifications: report.configurationProblems.map((problem) => notification(problem, 'error', 1)),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((finding, index) => ({
          ruleId: finding.code,
          ruleIndex: ruleIndex.get(finding.code) ?? -1,
          level: sarifLevels[finding.severity],
          message: { text: messageWithLinks(finding) },
          locations: [{ physicalLocation: physicalLocation(finding.location.file, finding.location.range) }],
          partialFingerprints: {
            primaryLocationLineHash: report.identities[index].fingerprint,
            'azureImageLintFingerprint/v1': report.identities[index].fingerprint,
          },
          relatedLocations: finding.related.map((item, relatedIndex) => ({
            id: relatedIndex + 1,
            message: { text: item.message },
            physicalLocation: physicalLocation(item.location.file, item.location.range),
          })),
          fixes: finding.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
              artifactLocation: paths.artifactLocation(file),
              replacements: edits.map((edit) => ({
                deletedRegion: region(file, edit.range),
                insertedContent: { text: edit.newText },
              })),
            })),
          })),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * The finding's message with a link to each related location: GitHub shows a related location
 * only when the message embeds it (`[text](id)`). Brackets of the message itself are escaped so
 * that they do not read as links.
 */
function messageWithLinks(finding: Finding): string {
  const count = finding.related.length;
  if (count === 0) return finding.message;
  let message = finding.message.replace(/[[\]]/g, (bracket) => `\\${bracket}`);
  // The images that use the value, then the condition the image is deployed under, by their ids.
  const uses: number[] = [];
  let condition: { id: number; when: string } | undefined;
  finding.related.forEach((item, index) => {
    if (item.deployedWhen !== undefined) condition ??= { id: index + 1, when: item.deployedWhen };
    else uses.push(index + 1);
  });
  if (uses.length === 1) message += ` See [the image that uses this value](${uses[0]}).`;
  else if (uses.length > 1) message += ` See the images that use this value: ${uses.map((id) => `[${id}](${id})`).join(', ')}.`;
  if (condition) {
    const when = condition.when.replace(/[[\]]/g, (bracket) => `\\${bracket}`);
    message += ` It is only deployed when ${when}: see [the condition](${condition.id}).`;
  }
  return message;
}

/** The first paragraph of a rule's description on one line (GitHub shows at most 1024 characters). */
function firstParagraph(description: string): string {
  const paragraph = description
    .split(/\n\s*\n/)[0]
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return paragraph.length <= 1024 ? paragraph : `${paragraph.slice(0, 1023)}…`;
}

function levelWord(rule: Rule): string {
  return rule.defaultLevel === 'information' ? 'info' : rule.defaultLevel;
}

function ruleHelpText(rule: Rule): string {
  return `${rule.title}. Default level: ${levelWord(rule)}.\n\n${rule.description}`;
}

/** The rule's help in Markdown: what its docs page says, from the same metadata. */
export function ruleHelpMarkdown(rule: Rule): string {
  const lines = [`**${rule.title}.** Default level: \`${levelWord(rule)}\`.`, '', rule.description, ''];
  const options = Object.entries(rule.options);
  if (options.length) {
    lines.push('| option | default | meaning |', '| --- | --- | --- |');
    for (const [name, option] of options) lines.push(`| \`${name}\` | ${option.default} | ${option.description} |`);
    lines.push('');
  }
  lines.push(
    `Set its level in \`azure-image-lint.json\` (\`"rules": { "${rule.code}": "off" }\`); suppress one finding with`,
    `\`#disable-next-line ${rule.code}\` (Bicep) or \`// azure-image-lint-disable-next-line ${rule.code}\` (ARM JSON).`,
  );
  return lines.join('\n');
}

function groupByFile<T extends { file: string }>(edits: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const edit of edits) groups.set(edit.file, [...(groups.get(edit.file) ?? []), edit]);
  return [...groups];
}
