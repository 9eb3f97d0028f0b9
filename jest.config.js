// Every Jest project in the workspace, run once with one real Mosquitto and one real InfluxDB for all of them.
module.exports = {
  projects: ['<rootDir>/server', '<rootDir>/simulators', '<rootDir>/test'],
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
};
