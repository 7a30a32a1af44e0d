import { defaultSettings, partTaxRate } from '../../src/domain/settings';

describe('the tax rate of a part line', () => {
  it('when the inventory item carries a rate (even 0), then that rate applies', () => {
    expect(partTaxRate(2000, { defaultPartsTaxRate: 500 })).toBe(2000);
    expect(partTaxRate(0, { defaultPartsTaxRate: 500 })).toBe(0);
  });

  it('when the item has none, then the garage default applies, and an unset garage charges none', () => {
    expect(partTaxRate(null, { defaultPartsTaxRate: 500 })).toBe(500);
    expect(partTaxRate(undefined, defaultSettings)).toBe(0);
  });
});
