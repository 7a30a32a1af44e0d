/** `npm run test:unit`: the tests that need no infrastructure (domain rules, money, time, keys,
 * signatures). No global setup, no servers: they run in seconds on any machine. The main
 * jest.config.js runs them too, with everything else. */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/libs', '<rootDir>/services'],
  testMatch: ['<rootDir>/{libs,services}/*/test/unit/**/*.test.ts'],
  transform: base.transform,
  moduleNameMapper: base.moduleNameMapper,
  testTimeout: 5000,
};
