// StrykerJS, one module per run (issue 18). Pick the module with MUTATION_MODULE=<name> (see
// scripts/mutation/modules.mjs); `npm run test:mutation [-- <module>...]` does that for you.
import { createRequire } from 'node:module';
import { modules } from './scripts/mutation/modules.mjs';

const require = createRequire(import.meta.url);
const base = require('./jest.config.js');
const name = process.env.MUTATION_MODULE;
const mod = name ? modules[name] : undefined;
if (!mod) throw new Error(`MUTATION_MODULE must be one of: ${Object.keys(modules).join(', ')}`);
const out = `reports/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    enableFindRelatedTests: false,
    // the unit config has no global setup (no servers); integration tests need the main one's
    configFile: mod.infra ? 'jest.config.js' : 'jest.unit.config.js',
    // only this module's test files
    config: {
      testEnvironment: 'node',
      roots: ['<rootDir>/libs', '<rootDir>/services'],
      testMatch: mod.tests.map((glob) => `<rootDir>/${glob}`),
      transform: base.transform,
      moduleNameMapper: base.moduleNameMapper,
      testTimeout: mod.infra ? 30000 : 5000,
    },
  },
  mutate: [mod.mutate],
  coverageAnalysis: 'perTest',
  // 2 cores shared with the rest of the machine: one test process by default
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  timeoutMS: mod.timeoutMS ?? 10000,
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // the sandbox needs only the code and the configs, not docs, e2e, bench or old reports
  ignorePatterns: ['/docs', '/e2e', '/bench', '/infra', '/reports', '/.pitlane', 'dist', 'coverage'],
};
