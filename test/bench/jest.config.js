// Benchmarks (`npm run bench`), kept out of the test command: the same real Mosquitto + InfluxDB harness as the
// medium and e2e tests, one file run in band, with time for every bounded case to finish.
const preset = require('../../jest.preset');
module.exports = {
  ...preset(__dirname, 'bench'),
  testMatch: ['<rootDir>/**/*.bench.ts'],
  globalSetup: '<rootDir>/../harness/global-setup.ts',
  globalTeardown: '<rootDir>/../harness/global-teardown.ts',
  testTimeout: 15 * 60_000,
};
