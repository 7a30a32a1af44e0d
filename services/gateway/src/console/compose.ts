import { randomBytes } from 'node:crypto';

import type { Logger } from '@pitlane/core';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';

import type { Provisioning } from '../application/provisioning';
import type { Config } from '../config';
import type { TenancyRepository } from '../data-access/tenancy.repository';
import { retentionSweeper, usageRecorder } from './application/record-usage';
import { ConsoleTokens } from './application/tokens';
import { ClosedDaysMemo } from './application/closed-days-memo';
import type { AnalyticsSums } from './application/usage-analytics';
import type { KeyTableSums } from './application/usage-overview';
import { AuditBucketRepository } from './data-access/audit-bucket.repository';
import { AuditQueryRepository } from './data-access/audit-query.repository';
import { registerConsoleModels } from './data-access/console-user.model';
import { ConsoleUserRepository } from './data-access/console-user.repository';
import { LoginThrottle } from './data-access/login-throttle';
import { UsageRollupRepository } from './data-access/usage-rollup.repository';

export interface ConsoleDeps {
  connection: Connection;
  tenancy: TenancyRepository;
  /** the gateway's own key lifecycle (from its compose): same slot accounting and cache broadcast as the CLI */
  provisioning: Provisioning;
  redis: Redis;
  logger: Logger;
}

/** The console's part of the gateway's composition root (service.ts compose calls it): repositories
 * and helpers built once, handed to its routes. */
export function composeConsole(config: Config, deps: ConsoleDeps) {
  const db = deps.connection.db;
  if (!db) throw new Error('composeConsole() needs a connected database');
  if (config.CONSOLE_JWT_SECRET === config.INTERNAL_JWT_SECRET) {
    throw new Error('CONSOLE_JWT_SECRET must differ from INTERNAL_JWT_SECRET: a console token must never pass as an internal one');
  }
  if (!config.CONSOLE_JWT_SECRET) {
    deps.logger.warn('CONSOLE_JWT_SECRET is not set: console sessions use a random per-process secret (development only)');
  }
  const users = new ConsoleUserRepository(registerConsoleModels(deps.connection));
  const rollups = new UsageRollupRepository(db);
  const auditQuery = new AuditQueryRepository(db);
  const auditBuckets = new AuditBucketRepository(db);
  // the buckets are read by `_id` only; the `hour` indexes serve the retention sweep on a real MongoDB
  auditBuckets.ensureIndexes().catch((error: unknown) => deps.logger.warn({ err: error }, 'cannot create the audit bucket indexes'));
  return {
    users,
    rollups,
    // sums of the closed days of the 30-day window, checked against the database on every view
    analyticsMemo: new ClosedDaysMemo<AnalyticsSums>(),
    keysMemo: new ClosedDaysMemo<KeyTableSums>(),
    auditBuckets,
    auditRetentionDays: config.AUDIT_RETENTION_DAYS,
    tenancy: deps.tenancy,
    // the same provisioning as the admin CLI: same slot accounting, same cache broadcast (< 1 s everywhere)
    provisioning: deps.provisioning,
    tokens: new ConsoleTokens(
      config.CONSOLE_JWT_SECRET ?? randomBytes(32).toString('hex'),
      config.CONSOLE_ACCESS_TTL_SECONDS,
      config.CONSOLE_REFRESH_TTL_SECONDS,
    ),
    throttle: new LoginThrottle(deps.redis, config.CONSOLE_LOGIN_FAILS_PER_ACCOUNT, config.CONSOLE_LOGIN_FAILS_PER_IP),
    recordUsage: usageRecorder(rollups, auditBuckets, deps.logger),
    retention: retentionSweeper(auditQuery, auditBuckets, rollups, deps.logger, {
      audit: config.AUDIT_RETENTION_DAYS,
      rollups: config.ROLLUP_RETENTION_DAYS,
    }),
  };
}

export type ConsoleContext = ReturnType<typeof composeConsole>;
