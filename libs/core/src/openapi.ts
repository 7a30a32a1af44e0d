import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** Request, response and event schemas register here; the OpenAPI 3.1 document is generated from
 * them, so the zod schemas stay the single source of truth. */
export const openApiRegistry = new OpenAPIRegistry();

export function generateOpenApiDocument(info: { title: string; version: string; description?: string }) {
  const generator = new OpenApiGeneratorV31(openApiRegistry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info,
    servers: [{ url: '/api/v1' }],
  });
}

export const errorEnvelopeSchema = openApiRegistry.register(
  'ErrorEnvelope',
  z.object({
    success: z.literal(false),
    error: z.object({
      type: z.string(),
      message: z.string(),
      code: z.string(),
      // a validation error lists the fields; a conflict names what it collided with (`{date, timeslot}`,
      // `{from, to, allowed}`, `{vehicleId, lastMileage, mileage}`: AppError's details)
      details: z
        .union([z.array(z.object({ field: z.string(), message: z.string() })), z.record(z.string(), z.unknown())])
        .optional(),
    }),
    requestId: z.string(),
  }),
);
