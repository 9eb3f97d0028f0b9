const preset = require('../jest.preset');
module.exports = { ...preset(__dirname, 'simulators'), testMatch: ['<rootDir>/src/**/*.spec.ts'] };
