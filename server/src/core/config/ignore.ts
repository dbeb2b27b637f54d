/**
 * The `ignore` list of azure-image-lint.json: which findings are not reported. An entry names
 * files by a glob relative to the configuration file's folder, a rule code, and optionally an
 * image pattern. Globs: `*` matches any characters but `/`, `**` any number of folders, and a
 * glob without `/` matches a file name in any folder below (`./name` only the one beside the
 * configuration). Matching is linear in the glob and
 * the path for each segment (no regular expression built from the configuration), so that a
 * hostile pattern cannot make it slow.
 */
import type { Finding } from '../model';
import { matchesImagePattern, wildcardMatch } from '../rules/not-allowed';
import type { IgnoreEntry } from './config';

/** True when an entry of `entries` ignores the finding. */
export function isIgnored(finding: Pick<Finding, 'code' | 'location' | 'image'>, entries: readonly IgnoreEntry[]): boolean {
  for (const entry of entries) {
    if (entry.rule !== finding.code) continue;
    if (entry.image !== undefined && !matchesImagePattern(entry.image, finding.image)) continue;
    const relative = relativePath(entry.folder, finding.location.file);
    if (relative === undefined) continue;
    // Windows file names (a drive letter) are the same in any case.
    const windows = /^[a-zA-Z]:[\\/]/.test(finding.location.file);
    if (windows ? matchesFileGlob(entry.files.toLowerCase(), relative.toLowerCase()) : matchesFileGlob(entry.files, relative))
      return true;
  }
  return false;
}

/**
 * The '/'-separated path of `file` below `folder`; undefined when it is not below it. Without a
 * folder, the file's own path. Windows paths (a drive letter) compare case-insensitively.
 */
export function relativePath(folder: string | undefined, file: string): string | undefined {
  const normalizedFile = file.replace(/\\/g, '/');
  if (folder === undefined) return normalizedFile.replace(/^\/+/, '');
  const normalizedFolder = folder.replace(/\\/g, '/').replace(/\/+$/, '');
  const windows = /^[a-zA-Z]:\//.test(normalizedFolder);
  const prefix = `${normalizedFolder}/`;
  const head = normalizedFile.slice(0, prefix.length);
  const same = windows ? head.toLowerCase() === prefix.toLowerCase() : head === prefix;
  return same ? normalizedFile.slice(prefix.length) : undefined;
}

/** True when a '/'-separated relative path matches the glob. */
export function matchesFileGlob(glob: string, path: string): boolean {
  const slashes = glob.replace(/\\/g, '/');
  const trimmed = slashes.replace(/^\.\//, '').replace(/^\/+/, '');
  // A glob of a name alone matches that name in any folder, as in .gitignore; `./name` only the
  // one beside the configuration.
  const pattern = slashes.includes('/') ? trimmed.split('/') : ['**', trimmed];
  const segments = path.split('/');
  // matched[p][s]: whether pattern segments from p match path segments from s; filled from the end.
  const width = segments.length + 1;
  const matched = new Uint8Array((pattern.length + 1) * width);
  matched[pattern.length * width + segments.length] = 1;
  for (let p = pattern.length - 1; p >= 0; p--) {
    for (let s = segments.length; s >= 0; s--) {
      let result: boolean;
      if (pattern[p] === '**') {
        // Zero folders, or one more.
        result = matched[(p + 1) * width + s] === 1 || (s < segments.length && matched[p * width + s + 1] === 1);
      } else {
        result = s < segments.length && wildcardMatch(pattern[p], segments[s]) && matched[(p + 1) * width + s + 1] === 1;
      }
      matched[p * width + s] = result ? 1 : 0;
    }
  }
  return matched[0] === 1;
}
