/**
 * Parameter files and how they pair with templates. A template can be deployed with any of the
 * parameter files beside it (`azuredeploy.parameters.json`, `azuredeploy.parameters.prod.json`)
 * or the one the ARM Tools setting maps to it, so each file's values are more values the template's
 * parameters can take. Pairing works both ways: a parameter file being edited finds its template.
 * Also here: telling a template from a parameter file cheaply, from `$schema` and the file name.
 */
import type { FileHost, Problem } from '../model';
import { baseNameOf, folderOf, joinPath, normalizePath } from '../paths';
import { findProperty, parseJsonDocument } from './jsonDocument';
import type { ParameterFileValue } from './templateScope';

export type JsonDocumentKind = 'template' | 'parameters' | 'other';

/** `name.parameters.json`, `name.parameters.prod.json` (and `.jsonc`): group 1 is `name`. */
const parameterFileNamePattern = /^(.+?)\.parameters(?:\.[^./]+)?\.jsonc?$/i;

/**
 * Tells a deployment template from a parameter file from other JSON, looking only at `$schema`
 * and the file name (no parse), so that it is cheap enough to run on every JSON file.
 */
export function classifyJsonDocument(file: string, text: string): JsonDocumentKind {
  const schema = schemaOf(text);
  if (schema !== undefined) {
    if (/deploymentTemplate\.json/i.test(schema)) return 'template';
    if (/deploymentParameters\.json/i.test(schema)) return 'parameters';
  }
  if (parameterFileNamePattern.test(baseNameOf(file)) && /"parameters"\s*:/.test(text)) return 'parameters';
  if (schema !== undefined && /"resources"\s*:/.test(text)) return 'template';
  return 'other';
}

/** The value of the first `"$schema"` property in the text, found without parsing. */
function schemaOf(text: string): string | undefined {
  const at = text.indexOf('"$schema"');
  if (at < 0) return undefined;
  const match = /^"\$schema"\s*:\s*"([^"]*)"/.exec(text.slice(at, at + 1000));
  return match ? match[1] : undefined;
}

/** Parameter files a template may be deployed with: its siblings by name, and the mapped one. */
export function findParameterFilesOf(
  templateFile: string,
  host: FileHost,
  parameterFileMap: Readonly<Record<string, string>> | undefined,
): string[] {
  const files: string[] = [];
  const folder = folderOf(templateFile);
  const templateBase = baseNameOf(templateFile)
    .replace(/\.jsonc?$/i, '')
    .toLowerCase();
  for (const name of host.listFolder?.(folder) ?? []) {
    const match = parameterFileNamePattern.exec(name);
    if (match && match[1].toLowerCase() === templateBase) files.push(folder === '' ? name : `${folder}/${name}`);
  }
  for (const [template, parameterFile] of Object.entries(parameterFileMap ?? {})) {
    if (samePath(template, templateFile)) files.push(resolveMappedPath(templateFile, parameterFile));
  }
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = normalizePath(file).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Candidate templates of a parameter file, most likely first (mapped, then by name). */
export function findTemplateFilesOf(
  parameterFile: string,
  parameterFileMap: Readonly<Record<string, string>> | undefined,
): string[] {
  const files: string[] = [];
  for (const [template, mapped] of Object.entries(parameterFileMap ?? {})) {
    if (samePath(resolveMappedPath(template, mapped), parameterFile)) files.push(template);
  }
  const match = parameterFileNamePattern.exec(baseNameOf(parameterFile));
  if (match) {
    const folder = folderOf(parameterFile);
    for (const extension of ['.json', '.jsonc']) {
      const name = match[1] + extension;
      files.push(folder === '' ? name : `${folder}/${name}`);
    }
  }
  return files;
}

/** The `parameters.<name>.value` nodes of a parameter file, by lower-case parameter name. */
export function readParameterFileValues(
  file: string,
  text: string,
): { values: Map<string, ParameterFileValue[]>; problem?: Problem } {
  const values = new Map<string, ParameterFileValue[]>();
  const document = parseJsonDocument(text);
  if (!document.root) {
    const error = document.error;
    return { values, problem: { file, message: `Cannot read the parameter file: ${error?.message}`, range: error?.range } };
  }
  if (document.root.type !== 'object') return { values };
  const parameters = findProperty(document.root, 'parameters');
  if (parameters?.type !== 'object') return { values };
  for (const parameter of parameters.properties) {
    // A Key Vault `reference` has no value we can read.
    if (parameter.value.type !== 'object') continue;
    const value = findProperty(parameter.value, 'value');
    // An empty string is a placeholder left to fill in, not a value anyone deploys.
    if (!value || (value.type === 'string' && value.value === '')) continue;
    const key = parameter.name.toLowerCase();
    const list = values.get(key) ?? [];
    list.push({ file, node: value });
    values.set(key, list);
  }
  return { values };
}

/** A mapped path is absolute, a URI, or relative to the template's folder. */
function resolveMappedPath(templateFile: string, mapped: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(mapped) || mapped.startsWith('/')) return mapped;
  return joinPath(folderOf(templateFile), mapped);
}

function samePath(left: string, right: string): boolean {
  const normalize = (file: string) => normalizePath(file.replace(/\\/g, '/')).toLowerCase();
  return normalize(left) === normalize(right);
}
