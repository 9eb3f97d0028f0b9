const preset = require('../jest.preset');
module.exports = {
  ...preset(__dirname, 'system'),
  testMatch: ['<rootDir>/e2e/**/*.spec.ts', '<rootDir>/harness/**/*.spec.ts', '<rootDir>/system/**/*.spec.ts'],
  globalSetup: '<rootDir>/harness/global-setup.ts',
  globalTeardown: '<rootDir>/harness/global-teardown.ts',
};
