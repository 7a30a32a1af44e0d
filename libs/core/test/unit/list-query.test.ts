import { z } from 'zod';

import { AppError, listQuery, timestampFilter } from '../../src';

const customers = listQuery({
  sortable: ['createdAt', 'lastName', 'firstName'],
  sortAliases: { name: 'lastName,firstName' },
  defaultSort: '-createdAt',
  filters: { status: z.enum(['a', 'b']).optional() },
});

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return { status: error.status, code: error.code, message: error.message, fields: (error.details as { field: string }[]).map((d) => d.field) };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('listQuery', () => {
  it('when nothing is given, then page 1 of 20 in the default order', () => {
    expect(customers.parse({}).pagination).toEqual({ page: 1, limit: 20, skip: 0, sort: { createdAt: -1 } });
  });

  it('when sort names an alias, then it expands to its fields in the same direction', () => {
    expect(customers.parse({ sort: '-name' }).pagination.sort).toEqual({ lastName: -1, firstName: -1 });
    expect(Object.keys(customers.parse({ sort: 'name,createdAt' }).pagination.sort)).toEqual(['lastName', 'firstName', 'createdAt']);
  });

  it('when a parameter is unknown or repeated, then a 400 VALIDATION_FAILED names it', () => {
    expect(refusal(() => customers.parse({ updatedAfter: 'x', q: 'y' }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: ['updatedAfter', 'q'] });
    expect(refusal(() => customers.parse({ updatedAfter: 'x' })).message).toContain('updatedAfter');
    expect(refusal(() => customers.parse({ limit: ['1', '2'] })).fields).toEqual(['limit']);
    expect(refusal(() => customers.parse({ status: 'c' })).fields).toEqual(['status']);
  });

  it('when dates bound the creation time, then a day is its whole UTC day and dateFrom/dateTo mean the creation day', () => {
    const { pagination } = customers.parse({ createdFrom: '2026-03-02', createdTo: '2026-03-03', updatedSince: '2026-03-01T10:00:00+01:00' });
    expect(timestampFilter(pagination)).toEqual({
      createdAt: { $gte: new Date('2026-03-02T00:00:00.000Z'), $lte: new Date('2026-03-03T23:59:59.999Z') },
      updatedAt: { $gte: new Date('2026-03-01T09:00:00.000Z') },
    });
    expect(customers.parse({ dateFrom: '2026-03-02' }).pagination).toMatchObject({ createdFrom: new Date('2026-03-02T00:00:00.000Z') });
    expect(customers.parse({ dateFrom: '2026-03-02' }).pagination.dateFrom).toBeUndefined();
    expect(refusal(() => customers.parse({ createdFrom: '2026-03-04', createdTo: '2026-03-03' })).fields).toEqual(['createdTo']);
    expect(refusal(() => customers.parse({ updatedSince: '2026-02-30' })).fields).toEqual(['updatedSince']);
  });

  it('when a list has a date of its own or no timestamps, then dateFrom/dateTo stay its own and the sync filters are not offered', () => {
    const ledger = listQuery({ sortable: [], defaultSort: '', dates: 'own', timestamps: false });
    expect(ledger.parse({ dateFrom: '2026-03-02', dateTo: '2026-03-02' }).pagination).toMatchObject({ dateFrom: '2026-03-02', dateTo: '2026-03-02' });
    expect(refusal(() => ledger.parse({ updatedSince: '2026-03-02' })).fields).toEqual(['updatedSince']);
    expect(Object.keys(ledger.schema.shape)).toEqual(['page', 'limit', 'sort', 'dateFrom', 'dateTo']);
  });
});
