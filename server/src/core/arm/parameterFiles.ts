/**
 * Parameter files and how they pair with templates. A template can be deployed with any of its
 * parameter files, so each file's values are more values the template's parameters can take, each
 * file a deployment of its own. A parameter file pairs with a template by name, beside it
 * (`azuredeploy.parameters.json`, `azuredeploy.parameters.prod.json`,
 * `azuredeploy.parameters-dev.json`, `centos.7.5.azuredeploy.parameters.json`, the portal's
 * `parameters.json` beside `template.json`), or by a map: the `parameterFiles` of
 * `azure-image-lint.json` or ARM Tools' `azureResourceManagerTools.parameterFiles` setting, which
 * win over names. Pairing works both ways: a parameter file being edited finds its template.
 * Also here: telling a template from a parameter file cheaply, from `$schema` and the file name.
 */
import { bareParameterFileNamePattern, isParameterFileName, parameterFileNamePattern } from '../documentKind';
import type { FileHost, Problem } from '../model';
import { baseNameOf, folderOf, joinPath, normalizePath } from '../paths';
import { findProperty, parseJsonDocument } from './jsonDocument';
import type { ParameterFileValue } from './templateScope';

// Where the names are told apart: the module that decides a document's kind, which imports nothing.
export { isParameterFileName };

export type JsonDocumentKind = 'template' | 'parameters' | 'other';

/**
 * Template path to the parameter files deployed with it: one path or several. A relative
 * parameter file path is relative to the template's folder.
 */
export type ParameterFileMap = Readonly<Record<string, string | readonly string[]>>;

/** The templates a bare `parameters.json` may belong to, most likely first. */
const bareParameterFileTemplates = ['template.json', 'azuredeploy.json', 'main.json'];

/**
 * The names the template of a parameter file may have, most likely first: for
 * `centos.7.5.azuredeploy.parameters.json`, `centos.7.5.azuredeploy.json`, then without the
 * prefixes (`7.5.azuredeploy.json` ... `azuredeploy.json`), then without suffixes, for an
 * environment written before `.parameters` (`main.dev.parameters.json` is `main.json`'s).
 */
export function templateNamesOf(parameterFileName: string): string[] {
  if (bareParameterFileNamePattern.test(parameterFileName)) return bareParameterFileTemplates;
  const match = parameterFileNamePattern.exec(parameterFileName);
  if (!match) return [];
  const segments = match[1].split('.');
  const stems: string[] = [];
  for (let first = 0; first < segments.length; first++) stems.push(segments.slice(first).join('.'));
  for (let end = segments.length - 1; end > 0; end--) stems.push(segments.slice(0, end).join('.'));
  return [...new Set(stems)].filter((stem) => stem !== '').flatMap((stem) => [`${stem}.json`, `${stem}.jsonc`]);
}

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
  if (isParameterFileName(baseNameOf(file)) && /"parameters"\s*:/.test(text)) return 'parameters';
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

/** The pairs of a map, each parameter file resolved against its template's folder. */
function mappedPairs(map: ParameterFileMap | undefined): { template: string; parameterFile: string }[] {
  const pairs: { template: string; parameterFile: string }[] = [];
  for (const [template, mapped] of Object.entries(map ?? {})) {
    for (const parameterFile of typeof mapped === 'string' ? [mapped] : mapped) {
      if (typeof parameterFile === 'string' && parameterFile !== '')
        pairs.push({ template, parameterFile: resolveMappedPath(template, parameterFile) });
    }
  }
  return pairs;
}

/** Parameter files a template may be deployed with: the mapped ones, and its own by name beside it. */
export function findParameterFilesOf(
  templateFile: string,
  host: FileHost,
  parameterFileMap: ParameterFileMap | undefined,
): string[] {
  const files: string[] = [];
  const pairs = mappedPairs(parameterFileMap);
  for (const { template, parameterFile } of pairs) if (samePath(template, templateFile, host)) files.push(parameterFile);
  const folder = folderOf(templateFile);
  const templateName = baseNameOf(templateFile).toLowerCase();
  for (const name of host.listFolder?.(folder) ?? []) {
    if (!isParameterFileName(name)) continue;
    const parameterFile = folder === '' ? name : `${folder}/${name}`;
    // A mapped parameter file belongs to the templates its map names, whatever its name says.
    if (pairs.some((pair) => samePath(pair.parameterFile, parameterFile, host))) continue;
    const template = templateByName(parameterFile, host, templateFile);
    if (template !== undefined && baseNameOf(template).toLowerCase() === templateName) files.push(parameterFile);
  }
  const seen = new Set<string>();
  return files.filter((file) => {
    const key = normalizePath(file).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The templates a parameter file may belong to, to be tried in order (the first one that is a
 * template is the one): the mapped ones when a map names it, otherwise those its name points to
 * that are beside it.
 */
export function findTemplateFilesOf(
  parameterFile: string,
  host: FileHost,
  parameterFileMap: ParameterFileMap | undefined,
): string[] {
  const mapped = mappedPairs(parameterFileMap)
    .filter((pair) => samePath(pair.parameterFile, parameterFile, host))
    .map((pair) => pair.template);
  if (mapped.length > 0) return mapped;
  const folder = folderOf(parameterFile);
  const names = templateNamesOf(baseNameOf(parameterFile));
  const listing = host.listFolder?.(folder);
  const present = listing
    ? names.flatMap((name) => listing.find((listed) => listed.toLowerCase() === name.toLowerCase()) ?? [])
    : names;
  return present.map((name) => (folder === '' ? name : `${folder}/${name}`));
}

/** The template a parameter file pairs with (mapped or by name), or undefined when there is none. */
export function pairedTemplateOf(
  parameterFile: string,
  host: FileHost,
  parameterFileMap: ParameterFileMap | undefined,
): string | undefined {
  for (const candidate of findTemplateFilesOf(parameterFile, host, parameterFileMap)) {
    const text = host.readFile(candidate);
    if (text !== undefined && classifyJsonDocument(candidate, text) === 'template') return candidate;
  }
  return undefined;
}

/**
 * The template a parameter file beside it belongs to by name: the first of the names it points to
 * that is a template. `known` is a template the caller has read already (it is not read again).
 */
function templateByName(parameterFile: string, host: FileHost, known?: string): string | undefined {
  for (const candidate of findTemplateFilesOf(parameterFile, host, undefined)) {
    if (known !== undefined && samePath(candidate, known, host)) return candidate;
    const text = host.readFile(candidate);
    if (text !== undefined && classifyJsonDocument(candidate, text) === 'template') return candidate;
  }
  return undefined;
}

/**
 * The Bicep template beside a JSON parameter file that its name points to (`main.parameters.json`
 * beside `main.bicep`), or undefined. Such a pairing is known, but its values are not read yet.
 */
export function bicepTemplateOf(parameterFile: string, host: FileHost): string | undefined {
  const folder = folderOf(parameterFile);
  const listing = host.listFolder?.(folder);
  if (!listing) return undefined;
  for (const name of templateNamesOf(baseNameOf(parameterFile))) {
    if (!name.endsWith('.json')) continue;
    const bicepName = `${name.slice(0, -'.json'.length)}.bicep`.toLowerCase();
    const listed = listing.find((entry) => entry.toLowerCase() === bicepName);
    if (listed !== undefined) return folder === '' ? listed : `${folder}/${listed}`;
  }
  return undefined;
}

/**
 * Why a parameter file pairs with no template, for a problem: what its name points to, and how
 * to pair it otherwise. Names the files, never their content.
 */
export function unpairedParameterFileMessage(parameterFile: string, host: FileHost): string {
  const names = templateNamesOf(baseNameOf(parameterFile));
  const refused = findTemplateFilesOf(parameterFile, host, undefined)
    .map((candidate) => ({ candidate, reason: host.refusalOf?.(candidate) }))
    .find((entry) => entry.reason !== undefined);
  const looked =
    refused !== undefined
      ? `${baseNameOf(refused.candidate)} is not read: ${refused.reason}`
      : names.length > 0
        ? `no template named ${names
            .filter((name) => name.endsWith('.json'))
            .slice(0, 3)
            .join(', ')} is beside it`
        : 'its name does not say which template it is for';
  return (
    `This parameter file is paired with no template, so its values are not checked: ${looked}. ` +
    "Name it after its template (<template>.parameters.json) or map it with 'parameterFiles' in azure-image-lint.json."
  );
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

/**
 * Whether two names are one file: compared as the host makes them absolute (a file named on the
 * command line relative to the current folder, a map's absolute path), ignoring case and slashes.
 */
function samePath(left: string, right: string, host: FileHost): boolean {
  const normalize = (file: string) => normalizePath((host.absolutePath?.(file) ?? file).replace(/\\/g, '/')).toLowerCase();
  return normalize(left) === normalize(right);
}
