/**
 * Where the rule pages installed with the tool are: docs/rules/ at the root of the package (the
 * checkout, the npm package or the extension), found by walking up from this module, which sits
 * at different depths in a checkout (server/out/node/) and in the bundles (server/dist/,
 * server/out/ of the extension). Links to the pages are `file:` URIs of that folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ruleDocumentationUrl } from '../core/rules';

let installedBase: { base: string | undefined } | undefined;

/** The `file:` URI of the installed docs/rules/ folder, ending in '/'; undefined when it is missing. */
export function installedRulesDocumentationBase(): string | undefined {
  installedBase ??= { base: findRulesFolder(__dirname) };
  return installedBase.base;
}

/** The link to a rule's page (`ruleDocumentationUrl` with the installed pages). */
export function ruleDocumentationLink(code: string): string | undefined {
  return ruleDocumentationUrl(code, installedRulesDocumentationBase());
}

function findRulesFolder(start: string): string | undefined {
  let folder = start;
  for (let level = 0; level < 5; level++) {
    const candidate = path.join(folder, 'docs', 'rules');
    if (fs.existsSync(path.join(folder, 'package.json')) && fs.existsSync(candidate)) {
      return pathToFileURL(candidate).href.replace(/\/?$/, '/');
    }
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return undefined;
}
