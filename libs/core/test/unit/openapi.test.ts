import { errorEnvelopeSchema, generateOpenApiDocument, openApiRegistry } from '@pitlane/core';
import { z } from 'zod';

describe('OpenAPI registry', () => {
  it('when a route registers its zod schemas, then the generated 3.1 document describes it', () => {
    const widget = openApiRegistry.register('TestWidget', z.object({ id: z.string(), name: z.string().min(1) }));
    openApiRegistry.registerPath({
      method: 'post',
      path: '/garages/{garageId}/test-widgets',
      request: {
        params: z.object({ garageId: z.string() }),
        body: { content: { 'application/json': { schema: widget.omit({ id: true }) } } },
      },
      responses: {
        201: { description: 'created', content: { 'application/json': { schema: widget } } },
        400: { description: 'invalid', content: { 'application/json': { schema: errorEnvelopeSchema } } },
      },
    });

    const document = generateOpenApiDocument({ title: 'Pitlane', version: '1.0.0' });

    expect(document.openapi).toBe('3.1.0');
    expect(document.components?.schemas).toHaveProperty('TestWidget');
    expect(document.components?.schemas).toHaveProperty('ErrorEnvelope');
    const operation = document.paths?.['/garages/{garageId}/test-widgets']?.post;
    expect(operation?.parameters).toEqual([expect.objectContaining({ name: 'garageId', in: 'path', required: true })]);
    expect(operation?.responses?.['201']).toBeDefined();
  });
});
