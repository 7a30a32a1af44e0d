/** `npm run test:cluster` only (scripts/cluster/run.sh starts the clusters first): tests against
 * real multi-node RabbitMQ and Redis clusters on this machine. Not under the default jest roots. */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: { '^@pitlane/(core|mongo|events|testing|runtime|contracts)$': '<rootDir>/libs/$1/src/index.ts' },
  testTimeout: 300000,
  maxWorkers: 1,
};
