/**
 * Three projects: `unit` (pure rules, no database, fast), `e2e` (services and endpoints against a
 * real PostgreSQL: embedded, or the server named by DATABASE_URL) and `browser` (the pages, in
 * Debian's Chromium driven by playwright-core, on the same kind of database). ESM throughout: NestJS 12 is
 * ESM-only, so ts-jest runs with useESM under NODE_OPTIONS=--experimental-vm-modules.
 */
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
    },
    {
      // the pages in a real browser (Debian's Chromium through playwright-core): test/browser/
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
    },
  ],
  // a global option: Jest ignores it inside a project (end-to-end tests start processes and servers)
  testTimeout: 60000,
};
