import { estimateLines, newGarage } from './factories';
import { startHarness, type Harness } from './harness';

/** Validation runs before any lookup, so an unknown customer is fine: the answer must be a 400, not 404/500. */
describe('estimates: out-of-range input is a 400 in the envelope', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  it.each(['', 'NaN', '9999-99-99', '2025-02-30'])('when validUntil is %j, then 400 naming validUntil', async (validUntil) => {
    const response = await h.api(newGarage(), 'POST', '/estimates', { customerId: 'cus-1', lines: estimateLines, validUntil });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(response.body.error?.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'validUntil' })]));
  });

  it.each([1e308, 1e20, -1e308, 100_000.5])('when a line quantity is %d, then 400 naming lines.0.quantity', async (quantity) => {
    const lines = [{ ...estimateLines[0], quantity }];
    const response = await h.api(newGarage(), 'POST', '/estimates', { customerId: 'cus-1', lines });
    expect(response.status).toBe(400);
    expect(response.body.error?.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'lines.0.quantity' })]));
  });
});
