/*
 * THIRD_PARTY_NOTICES.md for what a bundle ships: every npm package esbuild put into it (read from
 * the build's metafile), with its version, licence identifier, repository and the full text of its
 * licence file. Used by .ci/bundle-cli.js (the npm package's `server/dist/`) and
 * .ci/package-vsix.js (the .vsix). A bundled package without a licence file fails the build: its
 * notice would be incomplete.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The folder of the package an input of the bundle belongs to, or undefined for our own code. */
function packageFolderOf(root, input) {
  const parts = input.split(/[\\/]/);
  const index = parts.lastIndexOf('node_modules');
  if (index < 0) return undefined;
  const length = parts[index + 1]?.startsWith('@') ? 2 : 1;
  return path.join(root, ...parts.slice(0, index + 1 + length));
}

/** The packages whose files the bundles described by `metafiles` contain, sorted by name. */
function bundledPackages(root, metafiles) {
  const folders = new Set();
  for (const metafile of metafiles) {
    for (const output of Object.values(metafile.outputs)) {
      for (const input of Object.keys(output.inputs)) {
        const folder = packageFolderOf(root, input);
        if (folder) folders.add(folder);
      }
    }
  }
  return [...folders]
    .map((folder) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
      const licenseFile = fs
        .readdirSync(folder)
        .filter((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name))
        .sort()[0];
      if (!licenseFile) throw new Error(`${manifest.name} is bundled but has no licence file in ${folder}`);
      const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
      return {
        name: manifest.name,
        version: manifest.version,
        license: manifest.license ?? 'see the licence text',
        repository: repository?.replace(/^git\+/, '').replace(/\.git$/, ''),
        text: fs.readFileSync(path.join(folder, licenseFile), 'utf8').replace(/\r\n/g, '\n').trim(),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
}

/** The notices file for `product`, which bundles the packages of `metafiles`. */
function thirdPartyNotices(root, product, metafiles) {
  const packages = bundledPackages(root, metafiles);
  const lines = [
    '# Third-party notices',
    '',
    `${product} includes the following open-source packages, bundled into its JavaScript files.`,
    'Each is listed with its version, licence and the licence text it ships with.',
    '',
  ];
  for (const item of packages) {
    lines.push(`## ${item.name} ${item.version}`, '');
    lines.push(`Licence: ${item.license}${item.repository ? `. Source: ${item.repository}` : ''}`, '');
    // A fence longer than any run of backticks in the text, so that no licence can end it early.
    const fence = '`'.repeat(Math.max(3, ...(item.text.match(/`+/g) ?? []).map((run) => run.length + 1)));
    lines.push(`${fence}text`, item.text, fence, '');
  }
  return { text: lines.join('\n'), packages: packages.map((item) => `${item.name}@${item.version}`) };
}

module.exports = { bundledPackages, thirdPartyNotices };
