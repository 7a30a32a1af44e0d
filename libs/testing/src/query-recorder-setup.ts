import { appendFileSync } from 'node:fs';
import { describeUntargeted, installQueryRecorder, takeUntargetedQueries } from './query-recorder';

/**
 * Jest `setupFilesAfterEnv` (jest.config.js): every test file runs with the query recorder on, and
 * fails in afterAll if any query on a tenant collection went out without its tenant / shard key
 * (issue 14: every query on a tenant collection carries garageId). PITLANE_QUERY_LOG=<file> also
 * appends the offending queries there as JSON lines, to survey a whole suite at once.
 */
installQueryRecorder();

afterAll(() => {
  const untargeted = takeUntargetedQueries();
  if (untargeted.length === 0) return;
  const log = process.env.PITLANE_QUERY_LOG;
  if (log) appendFileSync(log, untargeted.map((query) => `${JSON.stringify({ file: expect.getState().testPath, ...query })}\n`).join(''));
  throw new Error(describeUntargeted(untargeted));
});
