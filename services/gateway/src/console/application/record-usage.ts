import type { Logger } from '@pitlane/core';

import type { AuditBucketRepository } from '../data-access/audit-bucket.repository';
import type { AuditQueryRepository } from '../data-access/audit-query.repository';
import type { UsageRollupRepository } from '../data-access/usage-rollup.repository';
import { DAY_MS } from '../domain/usage-keys';
import type { StoredRecord } from '../domain/audit-buckets';
import { rollupWrites } from '../domain/usage-increments';

/** Called with every audit batch once it is stored: folds it into the hourly rollups and places it in the
 * audit viewer's buckets. A failure is logged, not retried (the raw records are safe in `audit_records`;
 * the counts, or the viewer's copy, of that one batch would be missing). */
export function usageRecorder(rollups: UsageRollupRepository, auditBuckets: AuditBucketRepository, logger: Logger) {
  return async (batch: StoredRecord[]): Promise<void> => {
    await Promise.all([
      rollups.apply(rollupWrites(batch)).catch((error: unknown) => {
        logger.warn({ err: error, records: batch.length }, 'cannot update usage rollups');
      }),
      auditBuckets.append(batch).catch((error: unknown) => {
        logger.warn({ err: error, records: batch.length }, 'cannot place audit records in the viewer buckets');
      }),
    ]);
  };
}

/** Raw records keep a short retention; rollups a longer one. Runs hourly (TTL indexes are not relied on). */
export function retentionSweeper(
  audit: AuditQueryRepository,
  auditBuckets: AuditBucketRepository,
  rollups: UsageRollupRepository,
  logger: Logger,
  days: { audit: number; rollups: number },
) {
  const sweep = async () => {
    const now = Date.now();
    try {
      await audit.purgeBefore(new Date(now - days.audit * DAY_MS));
      await auditBuckets.purgeBefore(new Date(now - days.audit * DAY_MS));
      await rollups.purgeBefore(new Date(now - days.rollups * DAY_MS));
    } catch (error) {
      logger.warn({ err: error }, 'retention sweep failed');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    sweep,
    start(intervalMs = 3_600_000) {
      timer = setInterval(() => void sweep(), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
