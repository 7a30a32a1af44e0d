import { newGarage, type TestGarage } from './factories';
import { startHarness, type Harness } from './harness';
import { pdfText } from './pdf-text';

describe('invoice PDF', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(__filename);
  });
  afterAll(() => h.close());

  const pdfOf = (garage: TestGarage, invoiceId: string) => h.download(garage, `/invoices/${invoiceId}/pdf`);

  it('when an invoice is downloaded, then it is a PDF with garage, customer, vehicle, lines, totals, payments and balance', async () => {
    const garage = newGarage({ name: 'Speedy Repairs', currency: 'EUR' });
    const invoice = await h.completeBooking(garage);
    await h.api(garage, 'POST', `/invoices/${invoice.id}/payments`, { amount: 5000, method: 'card', reference: 'POS-77' });

    const { response, body } = await pdfOf(garage, invoice.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="${invoice.number}.pdf"`);
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(body.subarray(-6).toString('latin1')).toContain('%%EOF');

    const text = pdfText(body);
    expect(text).toEqual(
      expect.arrayContaining([
        'Speedy Repairs',
        `Invoice ${invoice.number}`,
        'Ada Lovelace',
        'Volkswagen Golf 2019',
        'Oil change',
        'Oil filter',
        '131.46 EUR', // total
        '21.49 EUR', // tax 11.99 + 9.50
        '81.46 EUR', // balance after 50.00
      ]),
    );
    expect(text.some((run) => run.includes('card ref POS-77') && run.includes('50.00 EUR'))).toBe(true);
  });

  it('when the garage works in a 3-decimal currency, then the PDF shows fils', async () => {
    const garage = newGarage({ currency: 'KWD', timezone: 'Asia/Kuwait' });
    const invoice = await h.completeBooking(garage, { currency: 'KWD' });
    const text = pdfText((await pdfOf(garage, invoice.id)).body);
    expect(text).toContain('13.146 KWD');
  });
});
