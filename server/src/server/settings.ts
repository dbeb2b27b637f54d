/**
 * The `azureImageLint.*` settings as the server reads them, and how they become the base layer of
 * the configuration: the nearest `azure-image-lint.json` is layered over them (it wins for the
 * files below it). Settings arrive untyped from the client; everything is checked and defaulted.
 */
import { fileURLToPath } from 'node:url';
import { isCalendarDate } from '../core/catalog/lifecycle';
import { type LintConfig, parseConfigObject } from '../core/config/config';
import type { Problem } from '../core/model';
import { defaultMaximumFileSize } from '../node/nodeFileHost';

export interface ServerSettings {
  enable: boolean;
  rules: Record<string, string>;
  asOf: string;
  supportEndingDays?: number;
  catalogFile: string;
  allowed: string[];
  denied: string[];
  maxFileSize: number;
  /**
   * ARM Tools' `azureResourceManagerTools.parameterFiles` setting, which the client forwards:
   * template path to the parameter file deployed with it.
   */
  armParameterFiles: Record<string, string>;
}

export const defaultSettings: ServerSettings = {
  enable: true,
  rules: {},
  asOf: '',
  catalogFile: '',
  allowed: [],
  denied: [],
  maxFileSize: defaultMaximumFileSize,
  armParameterFiles: {},
};

/**
 * Reads the `azureImageLint` section as the client sends it (nested or with dotted keys), and
 * ARM Tools' `parameterFiles` setting when given.
 */
export function readSettings(section: unknown, armParameterFiles?: unknown): ServerSettings {
  if (!section || typeof section !== 'object')
    return { ...defaultSettings, armParameterFiles: readParameterFileMap(armParameterFiles) };
  const raw = section as Record<string, unknown>;
  const supportEnding = raw.supportEnding as Record<string, unknown> | undefined;
  const days = supportEnding && typeof supportEnding === 'object' ? supportEnding.days : raw['supportEnding.days'];
  const rules: Record<string, string> = {};
  if (raw.rules && typeof raw.rules === 'object') {
    for (const [code, level] of Object.entries(raw.rules as Record<string, unknown>)) {
      if (typeof level === 'string') rules[code] = level;
    }
  }
  return {
    enable: raw.enable !== false,
    rules,
    asOf: typeof raw.asOf === 'string' ? raw.asOf.trim() : '',
    supportEndingDays: typeof days === 'number' && Number.isFinite(days) ? days : undefined,
    catalogFile: typeof raw.catalogFile === 'string' ? raw.catalogFile.trim() : '',
    allowed: stringList(raw.allowed),
    denied: stringList(raw.denied),
    maxFileSize:
      typeof raw.maxFileSize === 'number' && Number.isFinite(raw.maxFileSize) && raw.maxFileSize >= 0
        ? raw.maxFileSize
        : defaultMaximumFileSize,
    armParameterFiles: readParameterFileMap(armParameterFiles),
  };
}

/**
 * ARM Tools' map from template to parameter file, as VS Code stores it: absolute paths or
 * `file:` URIs. Entries that are not two strings are left out.
 */
function readParameterFileMap(value: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return map;
  for (const [template, parameterFile] of Object.entries(value as Record<string, unknown>)) {
    if (typeof parameterFile === 'string' && parameterFile !== '' && template !== '')
      map[pathOfSetting(template)] = pathOfSetting(parameterFile);
  }
  return map;
}

/** A path as the file host names files: a `file:` URI becomes its path, backslashes slashes. */
function pathOfSetting(value: string): string {
  if (/^file:/i.test(value)) {
    try {
      return fileURLToPath(value).replace(/\\/g, '/');
    } catch {
      return value;
    }
  }
  return value.replace(/\\/g, '/');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The configuration layer the settings make. `catalogFolder` is where a relative `catalogFile`
 * resolves (the workspace folder). Invalid settings are problems to log, never a failure.
 */
export function configFromSettings(
  settings: ServerSettings,
  catalogFolder: string | undefined,
): { config: LintConfig; problems: Problem[] } {
  const rules: Record<string, unknown> = { ...settings.rules };
  if (settings.supportEndingDays !== undefined) {
    const level = rules['support-ending'];
    rules['support-ending'] = {
      ...(typeof level === 'string' ? { level } : {}),
      days: Math.round(settings.supportEndingDays),
    };
  }
  const object: Record<string, unknown> = { rules };
  if (settings.asOf !== '') object.asOf = settings.asOf;
  if (settings.allowed.length) object.allowed = settings.allowed;
  if (settings.denied.length) object.denied = settings.denied;
  if (settings.catalogFile !== '') object.catalog = settings.catalogFile;
  const parsed = parseConfigObject(object, 'settings');
  if (parsed.config.catalog !== undefined && catalogFolder !== undefined) parsed.config.baseFolder = catalogFolder;
  if (settings.asOf !== '' && !isCalendarDate(settings.asOf)) parsed.config.asOf = undefined;
  return parsed;
}
