/** jest in ESM mode with ts-jest (DEPENDENCIES.md): run with node --experimental-vm-modules. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // A home and /etc of its own for each test file: the profile search never reads the real ones.
  setupFiles: ['<rootDir>/test/helpers/sandbox-env.ts'],
  // The loopback mail stack: setup only names the run; teardown stops the stack if this run
  // started it (tests start it on demand through test/interop/stack.ts).
  globalSetup: '<rootDir>/test/interop/stack-setup.ts',
  globalTeardown: '<rootDir>/test/interop/stack-teardown.ts',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 60000,
};
