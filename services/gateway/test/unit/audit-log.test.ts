import { createLogger } from '@pitlane/core';
import type { Model } from 'mongoose';
import { Registry } from 'prom-client';

import { AuditLog } from '../../src/data-access/audit-log.repository';
import type { AuditRecord } from '../../src/data-access/audit-record.model';

const record = (n: number): AuditRecord => ({
  timestamp: new Date(0),
  requestId: `req_${n}`,
  keyId: 'key_1',
  organisationId: 'org_1',
  garageId: 'gar_1',
  method: 'GET',
  route: '/api/v1/garages/:garageId/clock',
  status: 200,
  latencyMs: 1,
  responseBytes: 10,
  userAgent: null,
  clientIp: null,
  errorCode: null,
});

/** A collection whose inserts finish when the test says so, recording each batch's request ids. */
function slowCollection() {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  const model = {
    collection: {
      insertMany: (docs: AuditRecord[]) => {
        batches.push(docs.map((doc) => doc.requestId));
        return new Promise<void>((resolve) => pending.push(resolve));
      },
    },
  } as unknown as Model<AuditRecord>;
  const finishWrites = async () => {
    while (pending.length > 0) pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { model, batches, finishWrites };
}

const silent = createLogger('audit-test', 'silent');

describe('audit log batching', () => {
  it('when records arrive while a batch is being written, then they wait for a full batch or the next flush instead of being written in dribs', async () => {
    const db = slowCollection();
    const log = new AuditLog(db.model, silent, new Registry(), { batchSize: 5, flushMs: 60_000, maxBuffered: 100 });
    for (let n = 0; n < 5; n++) log.record(record(n)); // a full batch starts a write
    for (let n = 5; n < 8; n++) log.record(record(n)); // three arrive while it is in flight
    await db.finishWrites();
    expect(db.batches).toEqual([['req_0', 'req_1', 'req_2', 'req_3', 'req_4']]);

    const flushed = log.flush();
    await db.finishWrites();
    await flushed;
    expect(db.batches).toEqual([
      ['req_0', 'req_1', 'req_2', 'req_3', 'req_4'],
      ['req_5', 'req_6', 'req_7'],
    ]);
  });

  it('when a full batch gathers while another is being written, then it is written as soon as that write ends', async () => {
    const db = slowCollection();
    const log = new AuditLog(db.model, silent, new Registry(), { batchSize: 3, flushMs: 60_000, maxBuffered: 100 });
    for (let n = 0; n < 3; n++) log.record(record(n));
    for (let n = 3; n < 7; n++) log.record(record(n)); // four more: one full batch and one left over
    await db.finishWrites();
    await db.finishWrites();
    expect(db.batches).toEqual([
      ['req_0', 'req_1', 'req_2'],
      ['req_3', 'req_4', 'req_5'],
    ]);
    const flushed = log.flush();
    await db.finishWrites();
    await flushed;
    expect(db.batches.at(-1)).toEqual(['req_6']);
  });

  it('when flush is asked for while a write is in flight, then it also writes what arrived meanwhile before it resolves', async () => {
    const db = slowCollection();
    const log = new AuditLog(db.model, silent, new Registry(), { batchSize: 100, flushMs: 60_000, maxBuffered: 1_000 });
    log.record(record(1));
    const first = log.flush();
    log.record(record(2)); // arrives while the first write is in flight
    let done = false;
    void first.then(() => {
      done = true;
    });
    await db.finishWrites();
    expect(done).toBe(false);
    await db.finishWrites();
    await first;
    expect(db.batches).toEqual([['req_1'], ['req_2']]);
  });
});
