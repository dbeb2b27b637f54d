/**
 * Loaded with `node --require` before the command or the language server, in the tests of
 * guarded rules: registers `throwingRule` with the others, so that the processes run it exactly
 * as they run a rule of their own. Nothing else ever loads this file.
 */
import { allRules } from '../../../server/out/core/rules';
import type { Rule } from '../../../server/out/core/rules/rule';
import { throwingRule } from './throwingRule';

(allRules as Rule[]).push(throwingRule);
