import { createEvent, eventEnvelopeSchema, isAfter, sequenceOf, stampSequence } from '../../src';

const event = (type: string) => createEvent('bookings', { type, data: {}, organisationId: 'org', garageId: 'g' });

describe('per-aggregate sequence numbers', () => {
  it('when events are stamped after seq 4, then they are numbered 5, 6 in order and still parse', () => {
    const stamped = stampSequence([event('booking.updated'), event('booking.completed')], 'booking', 'b1', 4);
    expect(stamped.map((e) => e.aggregate)).toEqual([
      { type: 'booking', id: 'b1', seq: 5 },
      { type: 'booking', id: 'b1', seq: 6 },
    ]);
    expect(stamped.map((e) => eventEnvelopeSchema.parse(e).aggregate?.seq)).toEqual([5, 6]);
  });

  it('when an event has no aggregate (written before numbering), then it parses and has no sequence', () => {
    const old = event('booking.completed');
    expect(eventEnvelopeSchema.parse(old).aggregate).toBeUndefined();
    expect(sequenceOf(old)).toBeNull();
  });

  it('when the aggregate type differs, then there is no sequence for the asked type', () => {
    const [stamped] = stampSequence([event('booking.completed')], 'booking', 'b1', 0);
    expect(sequenceOf(stamped!, 'booking')).toBe(1);
    expect(sequenceOf(stamped!, 'customer')).toBeNull();
  });

  it('when a sequence is zero or fractional, then the envelope is refused', () => {
    expect(eventEnvelopeSchema.safeParse({ ...event('a.b'), aggregate: { type: 'booking', id: 'b', seq: 0 } }).success).toBe(false);
    expect(eventEnvelopeSchema.safeParse({ ...event('a.b'), aggregate: { type: 'booking', id: 'b', seq: 1.5 } }).success).toBe(false);
  });

  it('isAfter: higher is after, equal or lower is not, unnumbered falls back to arrival order', () => {
    expect([isAfter(3, 2), isAfter(2, 2), isAfter(1, 2), isAfter(null, 5), isAfter(4, null)]).toEqual([true, false, false, true, true]);
  });
});
