// Shared Jest settings for the TypeScript packages: SWC transform with Nest's decorator metadata.
const path = require('node:path');

/** @param {string} dir package directory @param {string} displayName */
module.exports = function preset(dir, displayName) {
  return {
    displayName,
    rootDir: dir,
    testEnvironment: 'node',
    transform: {
      '^.+\\.(t|j)s$': [
        require.resolve('@swc/jest'),
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: {
      '^@hazard/server/(contracts|site)$': path.join(__dirname, 'server/src/$1/index.ts'),
      '^@hazard/simulators$': path.join(__dirname, 'simulators/src/index.ts'),
    },
  };
};
