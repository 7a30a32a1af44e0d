import { runWithContext } from '@pitlane/core';
import { createEvent, eventEnvelopeSchema } from '@pitlane/events';

describe('event envelope', () => {
  it('when an event is created inside a request, then it carries a fresh id, version 1, the time and that request id, and passes the schema', () => {
    const before = Date.now();
    const event = runWithContext({ requestId: 'req-42' }, () =>
      createEvent('bookings', { type: 'booking.completed', data: { bookingId: 'b1' }, organisationId: 'org1', garageId: 'g1' }),
    );

    expect(event).toMatchObject({ type: 'booking.completed', version: 1, source: 'bookings', requestId: 'req-42', data: { bookingId: 'b1' } });
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(eventEnvelopeSchema.parse(event)).toEqual(event);
    expect(createEvent('bookings', { type: 'booking.completed', data: {}, organisationId: 'o', garageId: null }).id).not.toBe(event.id);
  });

  it('when no request is running, then the request id is null unless one is given', () => {
    const base = { type: 'stock.adjusted', data: {}, organisationId: 'org1', garageId: 'g1' };
    expect(createEvent('inventory', base).requestId).toBeNull();
    expect(createEvent('inventory', { ...base, requestId: 'given' }).requestId).toBe('given');
  });

  it.each(['booking', 'Booking.Created', 'booking.created!', 'booking..created'])('when the type is %j, then the envelope is refused', (type) => {
    const event = createEvent('bookings', { type, data: {}, organisationId: 'org1', garageId: 'g1' });
    expect(eventEnvelopeSchema.safeParse(event).success).toBe(false);
  });
});
