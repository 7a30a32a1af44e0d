import { generateOpenApiDocument } from '@pitlane/core';

import '../src/app';

describe('billing OpenAPI', () => {
  it('when the document is generated, then the billing paths are there with their request bodies', () => {
    const document = generateOpenApiDocument({ title: 'Pitlane', version: '1.0.0' });
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/garages/{garageId}/estimates',
        '/garages/{garageId}/estimates/{eid}/send',
        '/public/estimates/{token}/approve',
        '/garages/{garageId}/invoices/{iid}/payments',
        '/garages/{garageId}/invoices/{iid}/pdf',
        '/garages/{garageId}/payments',
        '/garages/{garageId}/invoices/{iid}/credit-notes',
        '/garages/{garageId}/invoices/{iid}/payments/{pid}/refunds',
        '/garages/{garageId}/credit-notes/{cid}/pdf',
      ]),
    );
    expect(JSON.stringify(document.paths?.['/garages/{garageId}/invoices']?.post?.requestBody)).toContain('CreateManualInvoice');
    expect(JSON.stringify(document.components?.schemas?.CreateCreditNote)).toContain('lineId');
    expect(JSON.stringify(document.components?.schemas?.RecordRefund)).toContain('amount');
    const payment = document.paths?.['/garages/{garageId}/invoices/{iid}/payments']?.post;
    expect(JSON.stringify(payment?.requestBody)).toContain('RecordPayment');
    expect(JSON.stringify(document.components?.schemas?.CreateEstimate)).toContain('unitPrice');
  });
});
