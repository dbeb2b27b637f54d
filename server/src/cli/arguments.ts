/**
 * Command-line arguments of `azure-image-lint`. The options, their meaning and the exit statuses
 * are a contract other tools rely on: extend them compatibly, never change them.
 */
import { isCalendarDate } from '../core/catalog/lifecycle';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CliArguments {
  paths: string[];
  format: OutputFormat;
  asOf?: string;
  config?: string;
  explain?: string;
  inventory: boolean;
  help: boolean;
  version: boolean;
}

export const usage = `Usage: azure-image-lint [options] <file-or-folder>...

Checks the Linux VM images of ARM templates, ARM parameter files, Bicep and .bicepparam files:
images not endorsed on Azure, out of vendor support, support ending soon, kernel not tuned for
Azure, unknown SKUs, preview images, and images your policy does not allow.

Options:
  --format text|json|sarif  output format (default: text)
  --inventory               with --format text: print every image the files can deploy
  --as-of YYYY-MM-DD        the date lifecycle rules compare against (default: today)
  --config FILE             use this azure-image-lint.json for every file
  --explain CODE            explain a rule and exit
  --help                    show this help
  --version                 show the version

Exit status: 0 no finding at error level, 1 a finding at error level,
             2 bad usage, an unreadable path or a bad configuration.`;

export type ParseOutcome = { arguments: CliArguments } | { error: string };

export function parseArguments(argv: readonly string[]): ParseOutcome {
  const result: CliArguments = { paths: [], format: 'text', inventory: false, help: false, version: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const [name, inlineValue] = argument.startsWith('--') && argument.includes('=') ? splitOnce(argument) : [argument, undefined];
    const takeValue = (): string | undefined => {
      if (inlineValue !== undefined) return inlineValue;
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) return undefined;
      index++;
      return value;
    };
    switch (name) {
      case '--format': {
        const value = takeValue();
        if (value !== 'text' && value !== 'json' && value !== 'sarif') return { error: `--format takes text, json or sarif.` };
        result.format = value;
        break;
      }
      case '--as-of': {
        const value = takeValue();
        if (value === undefined || !isCalendarDate(value)) return { error: `--as-of takes a date written YYYY-MM-DD.` };
        result.asOf = value;
        break;
      }
      case '--config': {
        const value = takeValue();
        if (value === undefined) return { error: `--config takes the path of an azure-image-lint.json file.` };
        result.config = value;
        break;
      }
      case '--explain': {
        const value = takeValue();
        if (value === undefined) return { error: `--explain takes a rule code.` };
        result.explain = value;
        break;
      }
      case '--inventory':
        result.inventory = true;
        break;
      case '--help':
      case '-h':
        result.help = true;
        break;
      case '--version':
        result.version = true;
        break;
      default:
        if (argument.startsWith('-') && argument !== '-') return { error: `unknown option '${argument}'.` };
        result.paths.push(argument);
    }
  }
  return { arguments: result };
}

function splitOnce(argument: string): [string, string] {
  const equals = argument.indexOf('=');
  return [argument.slice(0, equals), argument.slice(equals + 1)];
}
