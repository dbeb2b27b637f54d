/**
 * Expected texts shared by the server tests, written out in full so that a change of wording
 * shows up as a test failure. They assume the analysis date of the tests (2026-11-22).
 */

export const endOfSupportMessage =
  'Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; ' +
  'Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).';

export const endOfSupportHref = 'https://github.com/azure-image-lint/azure-image-lint/blob/main/docs/rules/end-of-support.md';
