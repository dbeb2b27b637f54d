/**
 * Command-line arguments of `azure-image-lint`. The options, their meaning and the exit statuses
 * are a contract other tools rely on: extend them compatibly, never change them.
 */
import { isCalendarDate } from '../core/catalog/lifecycle';

export type OutputFormat = 'text' | 'json' | 'sarif';

/** The lowest level of finding that fails the run (exit status 1); `none` never fails on findings. */
export type FailLevel = 'error' | 'warning' | 'info' | 'none';

export interface CliArguments {
  paths: string[];
  format: OutputFormat;
  asOf?: string;
  config?: string;
  explain?: string;
  inventory: boolean;
  help: boolean;
  version: boolean;
  /** Where to write the report instead of standard output (UTF-8, no BOM). */
  output?: string;
  failLevel: FailLevel;
  /** Fail when more warning-level findings than this are reported. */
  maxWarnings?: number;
  /** Report error-level findings only. */
  quiet: boolean;
  /** gitignore-style patterns, relative to the current folder, of what folder walks skip. */
  exclude: string[];
  /** Whether folder walks skip what `.gitignore` files ignore (`--no-ignore` turns it off). */
  ignore: boolean;
  baseline?: string;
  writeBaseline?: string;
  /** The folder paths are relative to in SARIF and the baseline (default: the repository's root). */
  root?: string;
  /** Whether a file that could not be analysed fails the run. */
  failOnProblems: boolean;
}

export const usage = `Usage: azure-image-lint [options] <file-or-folder>...

Checks the Linux VM images of ARM templates, ARM parameter files, Bicep and .bicepparam files:
images not endorsed on Azure, out of vendor support, support ending soon, kernel not tuned for
Azure, unknown SKUs, preview images, and images your policy does not allow.

Options:
  --format text|json|sarif  output format (default: text)
  --output FILE             write the report to FILE (UTF-8, no BOM) instead of standard output
  --inventory               with --format text: print every image the files can deploy
  --as-of YYYY-MM-DD        the date lifecycle rules compare against (default: today)
  --config FILE             use this azure-image-lint.json for every file
  --fail-level LEVEL        error|warning|info|none: the lowest level of finding that fails
                            the run (default: error)
  --max-warnings N          fail the run when more than N warnings are reported
  --fail-on-problems        fail the run when a file could not be analysed
  --quiet                   report error-level findings only (the exit status is unchanged)
  --exclude GLOB            skip what GLOB matches in folders (.gitignore syntax, relative to
                            the current folder); repeatable
  --no-ignore               also scan what .gitignore files ignore
  --baseline FILE           report only findings not recorded in FILE; list those fixed
  --write-baseline FILE     record every finding in FILE (and report none of them)
  --root DIR                the folder paths are relative to (default: the repository root,
                            the nearest folder up with a .git entry, else the current folder)
  --explain CODE            explain a rule and exit
  --help                    show this help
  --version                 show the version

Exit status: 0 nothing fails the run,
             1 a finding at or above --fail-level (by default, at error level), more warnings
               than --max-warnings, or with --fail-on-problems a file not analysed,
             2 bad usage, an unreadable path, a bad configuration or baseline file, or an
               output file that cannot be written.`;

export type ParseOutcome = { arguments: CliArguments } | { error: string };

export function parseArguments(argv: readonly string[]): ParseOutcome {
  const result: CliArguments = {
    paths: [],
    format: 'text',
    inventory: false,
    help: false,
    version: false,
    failLevel: 'error',
    quiet: false,
    exclude: [],
    ignore: true,
    failOnProblems: false,
  };
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
      case '--output': {
        const value = takeValue();
        if (!value) return { error: `--output takes the path of the file to write the report to.` };
        result.output = value;
        break;
      }
      case '--fail-level': {
        const value = takeValue();
        if (value !== 'error' && value !== 'warning' && value !== 'info' && value !== 'none')
          return { error: `--fail-level takes error, warning, info or none.` };
        result.failLevel = value;
        break;
      }
      case '--max-warnings': {
        const value = takeValue();
        if (value === undefined || !/^\d{1,9}$/.test(value)) return { error: `--max-warnings takes a whole number, 0 or more.` };
        result.maxWarnings = Number(value);
        break;
      }
      case '--exclude': {
        const value = takeValue();
        if (!value) return { error: `--exclude takes a pattern, written as in .gitignore.` };
        result.exclude.push(value);
        break;
      }
      case '--baseline': {
        const value = takeValue();
        if (!value) return { error: `--baseline takes the path of a baseline file.` };
        result.baseline = value;
        break;
      }
      case '--write-baseline': {
        const value = takeValue();
        if (!value) return { error: `--write-baseline takes the path of the baseline file to write.` };
        result.writeBaseline = value;
        break;
      }
      case '--root': {
        const value = takeValue();
        if (!value) return { error: `--root takes a folder.` };
        result.root = value;
        break;
      }
      case '--quiet':
        result.quiet = true;
        break;
      case '--no-ignore':
        result.ignore = false;
        break;
      case '--fail-on-problems':
        result.failOnProblems = true;
        break;
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
