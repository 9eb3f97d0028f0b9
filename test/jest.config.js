const preset = require('../jest.preset');
module.exports = {
  ...preset(__dirname, 'system'),
  testMatch: [
    '<rootDir>/e2e/**/*.spec.ts',
    '<rootDir>/harness/**/*.spec.ts',
    '<rootDir>/system/**/*.spec.ts',
    // The bench's own measuring code (its cases run under npm run bench, not here).
    '<rootDir>/bench/**/*.spec.ts',
  ],
  globalSetup: '<rootDir>/harness/global-setup.ts',
  globalTeardown: '<rootDir>/harness/global-teardown.ts',
};
