import { randomBytes } from 'node:crypto';

import type { Logger } from '@pitlane/core';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';

import type { Config } from '../config';
import { broadcastKeyChange } from '../data-access/key-cache';
import type { Models } from '../data-access/models';
import { Provisioning } from '../data-access/provisioning';
import type { TenancyRepository } from '../data-access/tenancy';
import { retentionSweeper, usageRecorder } from './application/record-usage';
import { ConsoleTokens } from './application/tokens';
import { AuditQueryRepository } from './data-access/audit-query.repository';
import { registerConsoleModels } from './data-access/console-user.model';
import { ConsoleUserRepository } from './data-access/console-user.repository';
import { LoginThrottle } from './data-access/login-throttle';
import { UsageRollupRepository } from './data-access/usage-rollup.repository';

export interface ConsoleDeps {
  connection: Connection;
  models: Models;
  tenancy: TenancyRepository;
  redis: Redis;
  logger: Logger;
}

/** The console's composition root: repositories and helpers built once, handed to its routes. */
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
  return {
    users,
    rollups,
    auditQuery,
    tenancy: deps.tenancy,
    // the same provisioning as the admin CLI: same slot accounting, same cache broadcast (< 1 s everywhere)
    provisioning: new Provisioning(deps.models, (keyHash) => broadcastKeyChange(deps.redis, keyHash)),
    tokens: new ConsoleTokens(
      config.CONSOLE_JWT_SECRET ?? randomBytes(32).toString('hex'),
      config.CONSOLE_ACCESS_TTL_SECONDS,
      config.CONSOLE_REFRESH_TTL_SECONDS,
    ),
    throttle: new LoginThrottle(deps.redis, config.CONSOLE_LOGIN_FAILS_PER_ACCOUNT, config.CONSOLE_LOGIN_FAILS_PER_IP),
    recordUsage: usageRecorder(rollups, deps.logger),
    retention: retentionSweeper(auditQuery, rollups, deps.logger, {
      audit: config.AUDIT_RETENTION_DAYS,
      rollups: config.ROLLUP_RETENTION_DAYS,
    }),
  };
}

export type ConsoleContext = ReturnType<typeof composeConsole>;
