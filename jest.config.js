// One Jest run for the whole workspace. Sources are TypeScript ES modules run without a build
// step: SWC strips the types, Node runs the modules natively (hence --experimental-vm-modules in
// the test script). Tests mirror the source tree: `<package>/test/**` for a package's own code,
// the top-level `test/` for journeys across services.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2024' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{packages,services}/*/test/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$'],
    },
    {
      // Integration tests talk to a real Kafka broker: KAFKA_BROKERS when set, otherwise one that
      // the global setup starts for this run and stops afterwards.
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{packages,services}/*/test/**/*.int.test.ts',
        '<rootDir>/test/**/*.test.ts',
      ],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
  // A global option: Jest ignores it inside a project. Integration tests start brokers and
  // wait out throttling windows; unit tests finish in milliseconds either way.
  testTimeout: 60_000,
};
