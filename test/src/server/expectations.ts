/**
 * Expected texts shared by the server tests, written out in full so that a change of wording
 * shows up as a test failure. They assume the analysis date of the tests (2026-11-22).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const endOfSupportMessage =
  'Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; ' +
  'Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).';

/** The rule's page installed with the server: in the tests, the checkout's docs/rules/. */
export const endOfSupportHref = pathToFileURL(path.resolve(__dirname, '../../../docs/rules/end-of-support.md')).href;
