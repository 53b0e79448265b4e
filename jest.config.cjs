// Three tiers (CONVENTIONS.md): unit specs next to the code; integration specs (SQL on a real
// PostgreSQL, no HTTP) and e2e specs (the whole app over HTTP), which share one global setup
// (Jest runs a globalSetup path once however many projects name it).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];
// ESM-only packages that CommonJS dependencies require() (fine on Node 20.19+, but jest's
// CommonJS runtime cannot load ESM): compile them to CommonJS for the tests.
const ESM_REQUIRED_BY_CJS = ['content-disposition', 'cookie'];
const swcToCommonJs = ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }];
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // Package subpath imports (package.json "imports") point at dist/ for Node; tests run the sources.
  moduleNameMapper: {
    '^#libs/(.*)\\.js$': '<rootDir>/libs/$1',
    '^#modules/(.*)\\.js$': '<rootDir>/src/modules/$1',
    '^#config/(.*)\\.js$': '<rootDir>/src/config/$1',
    '^#platform/(.*)\\.js$': '<rootDir>/src/platform/$1',
    '^#src/(.*)\\.js$': '<rootDir>/src/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/(${ESM_REQUIRED_BY_CJS.join('|')})/.+\\.js$`]: swcToCommonJs,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_REQUIRED_BY_CJS.join('|')})/)`],
};
module.exports = {
  maxWorkers: 2,
  // Jest's ESM mode (vm modules) keeps every test file's module graph alive on Node 20 (about
  // 40 MB retained per e2e file, jestjs/jest#14605): a worker ended the run with a 1.3 GB heap
  // and took longer than Jest's 500 ms to exit on a loaded machine, so Jest force-killed it
  // ("A worker process has failed to exit gracefully"). Recycle a worker once its heap is past this.
  workerIdleMemoryLimit: '512MB',
  // e2e files boot the app and databases on a shared 2-core machine.
  testTimeout: 60000,
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/test/utils/global-setup.mjs',
      globalTeardown: '<rootDir>/test/utils/global-teardown.mjs',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/utils/global-setup.mjs',
      globalTeardown: '<rootDir>/test/utils/global-teardown.mjs',
    },
    {
      // The staff console in headless Chromium (/usr/bin/chromium) against the real API.
      ...base,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/browser/global-setup.mjs',
      globalTeardown: '<rootDir>/test/browser/global-teardown.mjs',
    },
  ],
};
