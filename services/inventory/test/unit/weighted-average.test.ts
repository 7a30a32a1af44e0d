import { weightedAverageCost } from '../../src/domain/weighted-average';

describe('weighted-average cost (hand-computed)', () => {
  it.each([
    // onHand, cost, received, unitCost → expected
    [10, 500, 5, 800, 600], // (5000 + 4000) / 15 = 600 exactly
    [3, 100, 1, 101, 100], // 401 / 4 = 100.25 → down
    [1, 100, 1, 101, 101], // 201 / 2 = 100.5 → half up
    [2, 333, 1, 334, 333], // 1000 / 3 = 333.33 → down
    [2, 333, 1, 335, 334], // 1001 / 3 = 333.67 → up
    [0, 999, 7, 450, 450], // nothing on hand: the receipt's cost
    [-2, 999, 4, 450, 450], // negative on hand counts as nothing
    [1_000_000, 1_000_000_000, 1, 0, 999_999_000], // 10^15 / 1 000 001 = 999 999 000.000999: no float drift
  ])('when %i on hand at %i receive %i at %i, then the cost is %i', (onHand, cost, quantity, unitCost, expected) => {
    expect(weightedAverageCost(onHand, cost, quantity, unitCost)).toBe(expected);
  });

  it('when a receipt adds nothing, then it is refused', () => {
    expect(() => weightedAverageCost(5, 100, 0, 100)).toThrow('a receipt must add stock');
  });
});
