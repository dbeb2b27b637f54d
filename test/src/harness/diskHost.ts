/**
 * A host over the file system for the core's readers in tests: a file that cannot be read is
 * absent, a folder that cannot be listed is empty, as the CLI's host answers.
 */
import * as fs from 'node:fs';
import type { FileHost } from '../../../server/out/core/model';

export const diskHost: FileHost = {
  readFile: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  listFolder: (folder) => {
    try {
      return fs.readdirSync(folder);
    } catch {
      return [];
    }
  },
};
