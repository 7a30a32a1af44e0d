import { z } from 'zod';

import { afterCursor, AppError, decodeCursor, encodeCursor, filterFingerprint, listQuery } from '../../src';

const bookings = listQuery({
  sortable: ['createdAt', 'date'],
  defaultSort: '-createdAt',
  cursor: true,
  filters: { status: z.string().optional(), count: z.enum(['true', 'false']).optional() },
});

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, details: error.details as { field: string; message: string }[] };
    throw error;
  }
  throw new Error('expected a refusal');
}

const last = { createdAt: new Date('2026-03-02T09:15:00.123Z'), _id: 'bk_9' };

describe('cursor pagination (libs/core cursor.ts)', () => {
  it('when a cursor list is read in its default order, then it carries the cursor state of its filters; in another order none', () => {
    const first = bookings.parse({ status: 'pending' }).pagination.cursor;
    expect(first).toEqual({ filters: filterFingerprint({ status: 'pending' }), after: null, requested: false });
    expect(bookings.parse({ sort: 'date' }).pagination.cursor).toBeUndefined();
    expect(bookings.parse({ sort: '-createdAt' }).pagination.cursor).toMatchObject({ requested: false });
  });

  it('when a cursor the list issued comes back with the same filters, then it names the last item (another limit is fine)', () => {
    const cursor = encodeCursor(filterFingerprint({ status: 'pending' }), last);
    const { pagination } = bookings.parse({ status: 'pending', cursor, limit: '50' });
    expect(pagination.cursor).toEqual({ filters: filterFingerprint({ status: 'pending' }), after: { createdAt: last.createdAt, id: 'bk_9' }, requested: true });
    expect(pagination.limit).toBe(50);
  });

  it('when a cursor is edited, cut short, made up or from other filters, then 400 VALIDATION_FAILED naming cursor', () => {
    const cursor = encodeCursor(filterFingerprint({}), last);
    const [body, check] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, f: filterFingerprint({}), c: '2020-01-01T00:00:00.000Z', i: 'bk_1' })).toString('base64url');
    for (const bad of [`${forged}.${check}`, body, `${body}.${check}.x`, 'a.b', `${Buffer.from('[]').toString('base64url')}.x`]) {
      expect(refusal(() => bookings.parse({ cursor: bad }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: [{ field: 'cursor' }] });
    }
    expect(refusal(() => bookings.parse({ cursor, status: 'pending' })).details[0]?.message).toMatch(/other filters/);
  });

  it('when a cursor comes with page, another sort or count=true, then one 400 naming cursor lists each conflict', () => {
    const cursor = encodeCursor(filterFingerprint({}), last);
    const { details } = refusal(() => bookings.parse({ cursor, page: '2', sort: 'date', count: 'true' }));
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ field: 'cursor' });
    expect(details[0]?.message).toMatch(/page.*sort=date.*count=true/);
    expect(bookings.parse({ cursor, count: 'false' }).pagination.cursor?.requested).toBe(true);
  });

  it('when a page starts after a cursor, then the filter takes createdAt up to it and, at the same instant, smaller ids, keeping its own $and', () => {
    const after = decodeCursor(encodeCursor('f', last), 'f');
    expect(afterCursor({ garageId: 'g', $and: [{ x: 1 }] }, after)).toEqual({
      $and: [{ createdAt: { $lte: last.createdAt } }, { $or: [{ createdAt: { $lt: last.createdAt } }, { _id: { $lt: 'bk_9' } }] }, { x: 1 }],
      garageId: 'g',
    });
    expect(afterCursor({ garageId: 'g' }, null)).toEqual({ garageId: 'g' });
  });

  it('when a list that is not newest-first asks for cursors, then it is refused at start-up (a cursor walks -createdAt only)', () => {
    expect(() => listQuery({ sortable: ['date'], defaultSort: 'date', cursor: true })).toThrow(/-createdAt/);
  });
});
