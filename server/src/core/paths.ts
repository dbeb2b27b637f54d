/**
 * Path arithmetic on '/'-separated file names, so that the core can follow a module path or find
 * a parameter file without importing Node's `path`. Hosts give the core '/'-separated names (or
 * URIs, whose paths are '/'-separated too).
 */

/** The folder part of a file name: everything before the last '/' ('' for a bare name). */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** The last segment of a file name. */
export function baseNameOf(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** Joins a folder and a relative path, resolving '.' and '..' segments. Absolute paths stay. */
export function joinPath(folder: string, relative: string): string {
  const normalizedRelative = relative.replace(/\\/g, '/');
  if (normalizedRelative.startsWith('/')) return normalizePath(normalizedRelative);
  if (folder === '') return normalizePath(normalizedRelative);
  return normalizePath(`${folder}/${normalizedRelative}`);
}

/**
 * The path of `file` relative to `folder`, both named from the same place (both absolute, or both
 * relative to one folder): `relativePath('a/b', 'a/c/d.json')` is `../c/d.json`.
 */
export function relativePath(folder: string, file: string): string {
  const from = normalizePath(folder)
    .split('/')
    .filter((segment) => segment !== '');
  const to = normalizePath(file)
    .split('/')
    .filter((segment) => segment !== '');
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

/** Resolves '.' and '..' segments and doubled slashes, keeping a leading '/' or URI scheme. */
export function normalizePath(file: string): string {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/.exec(file);
  const prefix = scheme ? scheme[0] : '';
  const rest = file.slice(prefix.length);
  const absolute = rest.startsWith('/');
  const segments: string[] = [];
  for (const segment of rest.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && segments.length > 0 && segments[segments.length - 1] !== '..') segments.pop();
    else if (segment === '..' && absolute) continue;
    else segments.push(segment);
  }
  const joined = segments.join('/');
  return prefix + (absolute ? '/' : '') + joined;
}
