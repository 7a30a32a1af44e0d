import { untargetedQueries } from '../../src/query-recorder';

const on = (databaseName: string, commandName: string, command: Record<string, unknown>) =>
  untargetedQueries({ databaseName, commandName, command }).map((query) => `${query.collection} ${query.filter}`);

describe('untargeted query rules', () => {
  it('when a garage-keyed collection is read by _id alone, then it is untargeted', () => {
    expect(on('t_x_ab12cd34_bookings', 'find', { find: 'bookings', filter: { _id: 'b1' } })).toEqual(['bookings {_id: string}']);
  });

  it('when an _id-keyed collection (the _id begins with the garage) is read by _id, then it is targeted', () => {
    expect(on('t_x_ab12cd34_bookings', 'findAndModify', { findAndModify: 'capacity_counters', query: { _id: 'g|2030-01-01' } })).toEqual([]);
    expect(on('bookings', 'find', { find: 'capacity_counters', filter: { date: { $lt: '2030-01-01' } } })).toEqual([
      'capacity_counters {date: {$lt: string}}',
    ]);
  });

  it('when an $or has a branch without the garage, then it is untargeted; when every branch has it, targeted', () => {
    const branches = (second: Record<string, unknown>) => ({ find: 'items', filter: { $or: [{ garageId: 'g' }, second] } });
    expect(on('t_i_ab12cd34_inventory', 'find', branches({ sku: 'A' }))).toHaveLength(1);
    expect(on('t_i_ab12cd34_inventory', 'find', branches({ garageId: 'h', sku: 'A' }))).toEqual([]);
  });

  it('when an update or delete batch has one statement without the garage, then that statement is reported', () => {
    const command = { update: 'invoices', updates: [{ q: { garageId: 'g', _id: 'i' } }, { q: { bookingId: 'b' } }] };
    expect(on('t_b_ab12cd34_billing', 'update', command)).toEqual(['invoices {bookingId: string}']);
    expect(on('t_b_ab12cd34_billing', 'delete', { delete: 'invoices', deletes: [{ q: {} }] })).toEqual(['invoices {}']);
  });

  it('when an aggregation does not start with a $match on the garage, then it is untargeted', () => {
    expect(on('webhooks', 'aggregate', { aggregate: 'deliveries', pipeline: [{ $sort: { at: 1 } }] })).toEqual(['deliveries {}']);
    expect(on('webhooks', 'aggregate', { aggregate: 'deliveries', pipeline: [{ $match: { garageId: 'g' } }] })).toEqual([]);
  });

  it('when a collection is exempt, allowed by a named field, or outside the services, then nothing is reported', () => {
    expect(on('gateway', 'find', { find: 'apikeys', filter: { keyHash: 'h' } })).toEqual([]);
    expect(on('billing', 'find', { find: 'estimates', filter: { approvalTokenHash: 'h' } })).toEqual([]);
    expect(on('billing', 'find', { find: 'estimates', filter: { status: 'sent' } })).toHaveLength(1);
    expect(on('t_x_ab12cd34_events', 'find', { find: 'bookings', filter: {} })).toEqual([]);
    expect(on('billing', 'insert', { insert: 'invoices', documents: [{}] })).toEqual([]);
  });
});
