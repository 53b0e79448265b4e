// Resolution for dependency-cruiser (read as a "webpack config": only `resolve` is used).
// package.json "imports" point Node at the compiled files in dist/; the boundary rules are about
// the sources, so each subpath import resolves to its .ts file here (as jest.config.cjs maps them).
const { imports } = require('./package.json');

const alias = Object.fromEntries(
  Object.entries(imports).map(([pattern, target]) => [
    pattern.replace(/\/\*$/, ''),
    `${__dirname}/${target.replace(/^\.\/dist\//, '').replace(/\/?\*$/, '')}`,
  ]),
);

module.exports = {
  resolve: {
    alias,
    extensionAlias: { '.js': ['.ts', '.js'] },
  },
};
