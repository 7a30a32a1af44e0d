import { generateOpenApiDocument } from '@pitlane/core';

import '../src/entry-points/http/openapi';

describe('OpenAPI document', () => {
  it('when the document is generated, then the bookings paths and their request bodies are in it', () => {
    const document = generateOpenApiDocument({ title: 'Pitlane', version: 'test' });
    const paths = document.paths ?? {};
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/garages/{garageId}/bookings', '/garages/{garageId}/vehicles/vin-lookup', '/garages/{garageId}/availability']),
    );
    const create = paths['/garages/{garageId}/bookings']?.post;
    expect(create?.requestBody).toBeDefined();
    expect(JSON.stringify(create?.requestBody)).toContain('#/components/schemas/BookingCreate');
    expect(Object.keys((document.components?.schemas?.BookingCreate as { properties?: object } | undefined)?.properties ?? {})).toEqual(
      expect.arrayContaining(['customerId', 'vehicleId', 'date', 'timeslot', 'serviceIds']),
    );
  });
});
