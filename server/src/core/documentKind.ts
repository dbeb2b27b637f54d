/**
 * What a document is, from its name and, for JSON, the head of its text: an ARM template, an ARM
 * parameter file, Bicep, a Bicep parameters file, or anything else (never analysed). It imports
 * nothing, so that the VS Code client can ask it cheaply before starting the language server, and
 * the server can skip a JSON file that is no template before any other work.
 */

export type DocumentKind = 'arm-template' | 'arm-parameters' | 'bicep' | 'bicepparam' | 'other';

const jsonExtension = /\.jsonc?$/i;

/**
 * `name.parameters.json`, `name.parameters.prod.json`, `name.parameters-prod.json` (and `.jsonc`):
 * group 1 is what comes before `.parameters`, the template's name with any prefix or suffix.
 */
export const parameterFileNamePattern = /^(.+?)\.parameters(?:[.\-_][^/]*)?\.jsonc?$/i;
/** `parameters.json`, `parameters.prod.json`: what the Azure portal exports beside `template.json`. */
export const bareParameterFileNamePattern = /^parameters(?:[.\-_][^/]*)?\.jsonc?$/i;

/** Whether a file name is one parameter files are given (the file may still be anything). */
export function isParameterFileName(name: string): boolean {
  return parameterFileNamePattern.test(name) || bareParameterFileNamePattern.test(name);
}

/** How much of a JSON file's text is searched for its `$schema`. */
export const schemaSniffLength = 4096;

/** Decides what a document is from its name and, for JSON, its `$schema`. */
export function detectDocumentKind(file: string, text: string): DocumentKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.bicepparam')) return 'bicepparam';
  if (lower.endsWith('.bicep')) return 'bicep';
  if (!jsonExtension.test(lower)) return 'other';
  const head = text.slice(0, schemaSniffLength);
  if (/deploymentParameters\.json/i.test(head)) return 'arm-parameters';
  if (/deploymentTemplate\.json/i.test(head)) return 'arm-template';
  // The name alone, whichever separator the path uses (the client gives Windows paths).
  const name = lower.slice(Math.max(lower.lastIndexOf('/'), lower.lastIndexOf('\\')) + 1);
  if (isParameterFileName(name) && /"parameters"\s*:/.test(head)) return 'arm-parameters';
  return 'other';
}
