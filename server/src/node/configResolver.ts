/**
 * Finds and loads the configuration that applies to a file: the nearest `azure-image-lint.json`
 * in its folder or a parent folder (like `bicepconfig.json`), or an explicit file, layered over
 * defaults (and, in the editor, over the user's settings); then the catalog file it names, merged
 * over the bundled catalog. Bad files give problems naming the file, never an exception: analysis
 * goes on with the bundled defaults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledCatalog } from '../core/catalog/bundledCatalog';
import type { Catalog } from '../core/catalog/catalogTypes';
import type * as CatalogLoader from '../core/catalog/loadCatalog';
import { configFileName, type LintConfig, mergeConfigs, parseConfigText } from '../core/config/config';
import type { Problem } from '../core/model';
import { FileAccessPolicy } from './fileAccess';
import { readTextFile, type ReadOutcome } from './nodeFileHost';

/** Catalog files larger than this are refused (20 MB). */
const maximumCatalogSize = 20 * 1024 * 1024;

export interface LoadedConfig {
  config: LintConfig;
  problems: Problem[];
  /** The configuration file used, if any. */
  file?: string;
}

export class ConfigResolver {
  private readonly configsByFolder = new Map<string, string | undefined>();
  private readonly loadedConfigs = new Map<string, LoadedConfig>();
  private readonly catalogs = new Map<string, { catalog: Catalog; problems: Problem[] }>();

  /**
   * @param explicitConfig a file that applies to everything (`--config`), bypassing discovery.
   * @param base configuration under every file's own (editor settings), if any.
   * @param readText reads configuration and catalog files (the server reads unsaved buffers first).
   * @param access where catalog files may be read from (by default, inside the current folder).
   */
  constructor(
    private readonly explicitConfig?: string,
    private readonly base?: LintConfig,
    private readonly readText: (file: string, maximumSize: number) => ReadOutcome = readTextFile,
    private readonly access: FileAccessPolicy = FileAccessPolicy.within(),
  ) {}

  /** The configuration file that applies to a file, or undefined. */
  configFileFor(file: string): string | undefined {
    if (this.explicitConfig !== undefined) return this.explicitConfig;
    const found = this.findUp(path.dirname(path.resolve(file)));
    // Names stay in the form the user gave: relative input, relative configuration path.
    return found !== undefined && !path.isAbsolute(file) ? path.relative(process.cwd(), found) || found : found;
  }

  /** The nearest configuration file in a folder or its parents; a loop, not a recursion. */
  private findUp(start: string): string | undefined {
    const visited: string[] = [];
    let found: string | undefined;
    for (let folder = start; ;) {
      if (this.configsByFolder.has(folder)) {
        found = this.configsByFolder.get(folder);
        break;
      }
      visited.push(folder);
      const candidate = path.join(folder, configFileName);
      if (fs.existsSync(candidate)) {
        found = candidate;
        break;
      }
      const parent = path.dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
    for (const folder of visited) this.configsByFolder.set(folder, found);
    return found;
  }

  /** Loads (once) a configuration file. */
  load(configFile: string): LoadedConfig {
    const cached = this.loadedConfigs.get(configFile);
    if (cached) return cached;
    const outcome = this.readText(configFile, 1_000_000);
    let loaded: LoadedConfig;
    if ('error' in outcome) {
      loaded = { config: { rules: {} }, problems: [{ file: configFile, message: outcome.error }], file: configFile };
    } else {
      try {
        const parsed = parseConfigText(outcome.text, configFile);
        parsed.config.baseFolder = path.dirname(configFile);
        parsed.config.source = path.basename(configFile);
        loaded = { config: parsed.config, problems: parsed.problems, file: configFile };
      } catch (error) {
        // Never expected; if it happens, the files below this configuration get the defaults and
        // a problem, and every other file is analysed as usual.
        const reason = error instanceof Error ? error.message : String(error);
        loaded = {
          config: { rules: {} },
          problems: [{ file: configFile, message: `${configFile}: the configuration could not be read (${reason}).` }],
          file: configFile,
        };
      }
    }
    this.loadedConfigs.set(configFile, loaded);
    return loaded;
  }

  /** The effective configuration for a file. */
  configFor(file: string): LoadedConfig {
    const configFile = this.configFileFor(file);
    if (!configFile) return { config: mergeConfigs(this.base), problems: [] };
    const loaded = this.load(configFile);
    return { config: mergeConfigs(this.base, loaded.config), problems: loaded.problems, file: configFile };
  }

  /** The catalog a configuration asks for: the bundled one, with its catalog file merged over it. */
  catalogFor(config: LintConfig): { catalog: Catalog; problems: Problem[] } {
    if (!config.catalog) return { catalog: bundledCatalog, problems: [] };
    const file = path.isAbsolute(config.catalog) ? config.catalog : path.join(config.baseFolder ?? '.', config.catalog);
    const cached = this.catalogs.get(file);
    if (cached) return cached;
    let result: { catalog: Catalog; problems: Problem[] };
    // A configuration outside the workspace is not part of what a pull request can change.
    const checked = config.baseFolder === undefined || this.access.isInsideRoots(config.baseFolder);
    const where = checked ? this.access.resolve(file) : { path: file };
    const outcome = 'refusal' in where ? { error: where.refusal } : this.readText(file, maximumCatalogSize);
    if ('error' in outcome) {
      result = { catalog: bundledCatalog, problems: [{ file, message: `${outcome.error} The bundled catalog is used.` }] };
    } else {
      let json: unknown;
      try {
        json = JSON.parse(outcome.text.replace(/^\uFEFF/, ''));
      } catch (error) {
        json = undefined;
        result = {
          catalog: bundledCatalog,
          problems: [
            {
              file,
              message: `${file}: invalid JSON (${describeJsonError(error)}); the bundled catalog is used.`,
            },
          ],
        };
        this.catalogs.set(file, result);
        return result;
      }
      result = mergeUserCatalog(json, file);
    }
    this.catalogs.set(file, result);
    return result;
  }

  /** Forgets everything loaded (a configuration or catalog file changed). */
  reset(): void {
    this.configsByFolder.clear();
    this.loadedConfigs.clear();
    this.catalogs.clear();
  }
}

/**
 * A user's catalog file is either a partial overlay (`"overlay": true`: only ids required for what
 * the bundled catalog has) or a complete catalog; both are merged over the bundled catalog.
 */
function mergeUserCatalog(json: unknown, file: string): { catalog: Catalog; problems: Problem[] } {
  // The loader is loaded only here: most runs use the bundled catalog alone and never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { applyCatalogOverlay, mergeCatalogs, parseCatalog } = require('../core/catalog/loadCatalog') as typeof CatalogLoader;
  const isOverlay = typeof json === 'object' && json !== null && (json as { overlay?: unknown }).overlay === true;
  const merged = isOverlay
    ? applyCatalogOverlay(bundledCatalog, json, file)
    : (() => {
        const parsed = parseCatalog(json, file);
        return parsed.catalog
          ? { catalog: mergeCatalogs(bundledCatalog, parsed.catalog), problems: parsed.problems }
          : { catalog: bundledCatalog, problems: parsed.problems };
      })();
  // The loader's messages start with a JSON path; name the file too, as every message must.
  for (const problem of merged.problems) {
    if (!problem.message.startsWith(file)) problem.message = `${file}: ${problem.message}`;
  }
  if (merged.problems.length > 0 && merged.catalog === bundledCatalog) {
    merged.problems.push({ file, message: `${file}: the catalog file was not used; the bundled catalog is used.` });
  }
  return merged;
}

/**
 * Why `JSON.parse` failed, without the text it quotes ("Unexpected token 'r', "root:$6$..." is not
 * valid JSON"): the file may not be a catalog at all, and its content must not reach the output.
 */
export function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /at position (\d+)/.exec(message);
  if (position) return `at character ${Number(position[1]) + 1}`;
  if (/end of (JSON )?input/i.test(message)) return 'the text ends too early';
  if (/unexpected/i.test(message)) return 'an unexpected character';
  return 'not JSON text';
}
