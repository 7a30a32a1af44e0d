import { errorResponses, openApiRegistry, successResponses } from '@pitlane/core';
import { z } from 'zod';

import { garageList } from '../entry-points/http/garages.routes';

/** The gateway's own paths in the public document (garages.routes.ts serves them). Imported by the
 * document generator (scripts/generate-openapi.mjs), never by the running gateway. */
const timestamp = z.string().openapi({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' });

export const garageResource = openApiRegistry.register(
  'Garage',
  z
    .object({
      id: z.string(),
      name: z.string(),
      phone: z.string().nullable(),
      email: z.string().nullable(),
      address: z
        .object({ line1: z.string(), line2: z.string(), city: z.string(), postcode: z.string(), country: z.string() })
        .partial()
        .nullable(),
      timezone: z.string().openapi({ example: 'Europe/Lisbon' }),
      currency: z.string().openapi({ example: 'EUR' }),
      createdAt: timestamp,
      updatedAt: timestamp,
    })
    .openapi({
      example: {
        id: 'gar_123', name: 'Oficina Central', phone: '+351 21 000 0000', email: 'geral@oficina.example', address: { line1: 'Rua Augusta 1', city: 'Lisboa', postcode: '1100-053', country: 'PT' },
        timezone: 'Europe/Lisbon', currency: 'EUR', createdAt: '2026-01-05T10:00:00.000Z', updatedAt: '2026-01-05T10:00:00.000Z',
      },
    }),
);

openApiRegistry.registerPath({
  method: 'get',
  path: '/garages',
  tags: ['Garages'],
  summary: 'The garages this key can access',
  request: { query: garageList.schema },
  responses: { ...successResponses('The garages this key can access', { data: garageResource, list: true }) },
});

openApiRegistry.registerPath({
  method: 'get',
  path: '/garages/{garageId}',
  tags: ['Garages'],
  summary: 'A garage: name, contact, address, time zone and currency',
  request: { params: z.object({ garageId: z.string() }) },
  responses: {
    ...successResponses('A garage', { data: garageResource }),
    ...errorResponses({ 404: ['RESOURCE_NOT_FOUND'] }),
  },
});
