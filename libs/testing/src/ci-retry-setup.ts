/**
 * Jest `setupFilesAfterEnv` (jest.config.js): in CI (CI=true) a failing integration test is run once
 * more before it counts as failed. The suite runs against real servers on a noisy 2-core machine, where a
 * timing assertion can miss by a few milliseconds; a real bug fails both runs. Every retried test is
 * named in the closing summary of `npm run test:all` (scripts/test-all.sh reads `invocations` from the
 * jest JSON report), so a flaky test is visible, not hidden. PITLANE_TEST_RETRIES overrides the count
 * (0 turns retries off).
 */
const configured = process.env.PITLANE_TEST_RETRIES;
const retries = configured !== undefined ? Number(configured) : process.env.CI === 'true' ? 1 : 0;
if (Number.isInteger(retries) && retries > 0) jest.retryTimes(retries, { logErrorsBeforeRetry: true });
