/**
 * Weighted-average unit cost after a receipt, in integer minor units:
 *   new = (onHand × cost + quantity × unitCost) / (onHand + quantity)
 * Rounding rule: half up (exact ties go to the larger unit), computed in BigInt so no float error
 * can creep in whatever the quantities. An item with nothing on hand simply takes the receipt's cost.
 */
export function weightedAverageCost(onHand: number, cost: number, quantity: number, unitCost: number): number {
  if (quantity <= 0) throw new Error('a receipt must add stock');
  const base = BigInt(Math.max(onHand, 0));
  const numerator = base * BigInt(cost) + BigInt(quantity) * BigInt(unitCost);
  const denominator = base + BigInt(quantity);
  return Number((2n * numerator + denominator) / (2n * denominator));
}
