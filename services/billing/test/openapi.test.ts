import { generateOpenApiDocument } from '@pitlane/core';

import '../src/app';

describe('billing OpenAPI', () => {
  // path parameters named as the routes name them (e2e/openapi-routes.test.ts checks the names agree)
  it('when the document is generated, then the billing paths are there with their request bodies', () => {
    const document = generateOpenApiDocument({ title: 'Pitlane', version: '1.0.0' });
    expect(Object.keys(document.paths ?? {})).toEqual(
      expect.arrayContaining([
        '/garages/{garageId}/estimates',
        '/garages/{garageId}/estimates/{estimateId}/send',
        '/public/estimates/{token}/approve',
        '/garages/{garageId}/invoices/{invoiceId}/payments',
        '/garages/{garageId}/invoices/{invoiceId}/pdf',
        '/garages/{garageId}/payments',
        '/garages/{garageId}/invoices/{invoiceId}/credit-notes',
        '/garages/{garageId}/invoices/{invoiceId}/payments/{paymentId}/refunds',
        '/garages/{garageId}/credit-notes/{creditNoteId}/pdf',
      ]),
    );
    expect(JSON.stringify(document.paths?.['/garages/{garageId}/invoices']?.post?.requestBody)).toContain('CreateManualInvoice');
    expect(JSON.stringify(document.components?.schemas?.CreateCreditNote)).toContain('lineId');
    expect(JSON.stringify(document.components?.schemas?.RecordRefund)).toContain('amount');
    const payment = document.paths?.['/garages/{garageId}/invoices/{invoiceId}/payments']?.post;
    expect(JSON.stringify(payment?.requestBody)).toContain('RecordPayment');
    expect(JSON.stringify(document.components?.schemas?.CreateEstimate)).toContain('unitPrice');
  });
});
