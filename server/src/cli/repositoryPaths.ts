/**
 * Names of files relative to the repository's root, for what must not depend on the folder the
 * command runs in: SARIF locations (relative URIs under `%SRCROOT%`), baseline entries and, with
 * `--root`, the paths of the text and JSON reports. The root is `--root`, else the nearest folder
 * at or above the current one with a `.git` entry, else the current folder. The path module is a
 * parameter so that Windows paths (drive letters, UNC shares) are tested on any system.
 */
import * as path from 'node:path';

/** Where a file is, as a SARIF `artifactLocation`. */
export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** The base id of the repository's root in SARIF (`originalUriBaseIds`). */
export const sourceRootBaseId = '%SRCROOT%';

export class RepositoryPaths {
  /** The root, absolute. */
  readonly root: string;

  constructor(
    root: string,
    private readonly cwd: string,
    private readonly pathApi: path.PlatformPath = path,
  ) {
    this.root = pathApi.resolve(cwd, root);
  }

  /** The file (as named in findings) relative to the root, with `/`, or undefined outside it. */
  relative(file: string): string | undefined {
    const relative = this.pathApi.relative(this.root, this.pathApi.resolve(this.cwd, file));
    if (relative === '' || relative === '..' || relative.startsWith(`..${this.pathApi.sep}`) || this.pathApi.isAbsolute(relative))
      return undefined;
    return relative.split(this.pathApi.sep).join('/');
  }

  /** The name a baseline records: relative to the root with `/`, or absolute with `/` outside it. */
  key(file: string): string {
    return this.relative(file) ?? this.pathApi.resolve(this.cwd, file).split(this.pathApi.sep).join('/');
  }

  /** The name the text and JSON reports print with `--root`: relative to the root, in the system's form. */
  display(file: string): string {
    return this.pathApi.relative(this.root, this.pathApi.resolve(this.cwd, file)) || '.';
  }

  /** A relative URI under `%SRCROOT%` for a file inside the root; an absolute `file:` URI otherwise. */
  artifactLocation(file: string): ArtifactLocation {
    const relative = this.relative(file);
    if (relative !== undefined) return { uri: encodePath(relative), uriBaseId: sourceRootBaseId };
    return { uri: fileUri(this.pathApi.resolve(this.cwd, file), this.pathApi) };
  }

  /** The root as an absolute `file:` URI ending with `/`, as `originalUriBaseIds` requires. */
  rootUri(): string {
    const uri = fileUri(this.root, this.pathApi);
    return uri.endsWith('/') ? uri : `${uri}/`;
  }
}

/**
 * An absolute path as a `file:` URI: `/home/a b` is `file:///home/a%20b`, `D:\repo` is
 * `file:///D:/repo` (the drive's colon kept), `\\server\share\x` is `file://server/share/x`.
 */
export function fileUri(absolute: string, pathApi: path.PlatformPath = path): string {
  const slashed = pathApi.sep === '\\' ? absolute.replace(/\\/g, '/') : absolute;
  if (slashed.startsWith('//')) {
    const [host, ...rest] = slashed.slice(2).split('/');
    return `file://${encodeURIComponent(host)}/${encodePath(rest.join('/'))}`;
  }
  const drive = /^([A-Za-z]:)(\/.*)?$/.exec(slashed);
  if (drive) return `file:///${drive[1]}${encodePath(drive[2] ?? '/')}`;
  return `file://${encodePath(slashed)}`;
}

/** Percent-encodes each segment of a `/`-separated path, keeping the separators. */
function encodePath(slashed: string): string {
  return slashed.split('/').map(encodeURIComponent).join('/');
}
