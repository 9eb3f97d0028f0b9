const preset = require('../jest.preset');
module.exports = {
  ...preset(__dirname, 'server'),
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/../test/harness/global-teardown.ts',
};
