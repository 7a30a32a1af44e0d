import { generateOpenApiDocument } from '@pitlane/core';

import '../src/app';

describe('inventory OpenAPI', () => {
  it('when the document is generated, then every inventory path is there with its request body', () => {
    const document = generateOpenApiDocument({ title: 'Pitlane', version: '1.0.0' });

    const paths = Object.keys(document.paths ?? {}).filter((path) => /inventory|purchase-orders/.test(path));
    expect(paths).toEqual(
      expect.arrayContaining([
        '/garages/{garageId}/inventory',
        '/garages/{garageId}/inventory/{iid}/adjust',
        '/garages/{garageId}/inventory/barcode/{code}',
        '/garages/{garageId}/purchase-orders/{pid}/receive',
      ]),
    );
    const adjust = document.paths?.['/garages/{garageId}/inventory/{iid}/adjust']?.post;
    expect(JSON.stringify(adjust?.requestBody)).toContain('AdjustInventoryItem');
  });
});
