// Which way dependencies point (CONVENTIONS.md), as rules that fail `npm run lint`.
//
//   bookings ──▶ travelers, sessions
//   travelers, profiles ──▶ documents
//   every module ──▶ libs/common, libs/database (ports live there; compliance implements them)
//   libs/ and src/platform know no feature module; no feature module imports auth.
//
// The composition roots (app module, feature list, CLI, demo seed) wire modules together and
// may import any of them. Type-only imports count too (tsPreCompilationDeps): a type is a
// dependency on the module's shape.
const MODULES = 'src/modules/([^/]+)/';
// Composition roots: they assemble feature modules and are allowed to know all of them.
const COMPOSITION_ROOTS = [
  '^src/app[.]module[.]ts$',
  '^src/feature-modules[.]ts$',
  '^src/cli[.]ts$',
  '^src/database/entities[.]ts$',
  '^src/demo/',
  '^src/platform/demo[^/]*$',
  '^src/platform/seed-demo[^/]*$',
];
// Module-to-module edges the conventions allow (from → to).
const ALLOWED_CROSSINGS = {
  bookings: ['travelers', 'sessions'],
  travelers: ['documents'],
  profiles: ['documents'],
};
const DATA_MODULES = ['profiles', 'travelers', 'sessions', 'bookings', 'documents', 'auth'];

const crossingRules = Object.keys({
  auth: 1,
  profiles: 1,
  travelers: 1,
  sessions: 1,
  bookings: 1,
  documents: 1,
  compliance: 1,
}).map((from) => {
  const allowed = [from, ...(ALLOWED_CROSSINGS[from] ?? [])];
  return {
    name: `no-crossing-from-${from}`,
    comment:
      `src/modules/${from} may import only ` +
      (ALLOWED_CROSSINGS[from]
        ? `${ALLOWED_CROSSINGS[from].join(', ')} among the other modules`
        : 'itself') +
      ' (CONVENTIONS.md "Which way dependencies point"); share through a port in libs/common.',
    severity: 'error',
    from: { path: `^src/modules/${from}/` },
    to: { path: `^${MODULES}`, pathNot: `^src/modules/(${allowed.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'libs-import-no-app-code',
      comment: 'libs/ knows no feature module, platform or config: it is what they build on.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-module-imports-auth',
      comment:
        'No feature module imports auth: the guards in libs/common put the caller on the request.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/auth/', ...COMPOSITION_ROOTS] },
      to: { path: '^src/modules/auth/' },
    },
    {
      name: 'compliance-imports-no-data-module',
      comment:
        'Compliance never imports a data module: export and erasure work through the contributor port.',
      severity: 'error',
      from: { path: '^src/modules/compliance/' },
      to: { path: `^src/modules/(${DATA_MODULES.join('|')})/` },
    },
    {
      name: 'platform-imports-no-feature-module',
      comment: 'src/platform is infrastructure that every module may use; it imports none of them.',
      severity: 'error',
      from: { path: '^src/platform/', pathNot: COMPOSITION_ROOTS },
      to: { path: '^src/modules/' },
    },
    ...crossingRules,
    {
      name: 'no-unresolvable-import',
      comment: 'An import the cruiser cannot resolve would escape every rule above.',
      severity: 'error',
      from: { path: '^(src|libs)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|var|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The #libs/… subpath imports resolve to the sources (see the file for why).
    webpackConfig: { fileName: '.dependency-cruiser.resolve.cjs' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
