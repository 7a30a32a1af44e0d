import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { testNames } from '@pitlane/testing';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

import { gatewayWithEcho } from './factories';

const names = testNames(__filename);

/** The official OpenAPI 3.1 meta-schema, as Scalar's parser ships it (an ES module exporting one literal). */
function openApi31MetaSchema(): object {
  const source = readFileSync(join(dirname(require.resolve('@scalar/openapi-parser')), 'schemas/v3.1/schema.js'), 'utf8');
  return JSON.parse(source.slice(source.indexOf('{'), source.indexOf('\n};') + 2)) as object;
}

type Json = Record<string, unknown>;

/** Every `$ref` in the document, to check each one points at something that exists. */
function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsOf(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.push(inner);
      else refsOf(inner, found);
    }
  }
  return found;
}

describe('gateway: the API reference, without a key', () => {
  const running = gatewayWithEcho(names);
  const url = (path: string) => `${running.gateway.url}${path}`;

  it('when GET /api/v1/openapi.json without a key, then it is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const response = await fetch(url('/api/v1/openapi.json'));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as Json & { paths: Json; components: Json; webhooks: Json };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('media-range', /^[\w.+*-]+\/[\w.+*-]+/); // the meta-schema's own format for content types
    const valid = ajv.validate(openApi31MetaSchema(), document);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/garages', '/api/v1/garages/{garageId}/bookings']));
    expect(Object.keys(document.webhooks)).toEqual(expect.arrayContaining(['booking.created', 'invoice.paid']));
    const unresolved = refsOf(document).filter((ref) => {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      return !section || !name || !(document.components[section] as Json | undefined)?.[name];
    });
    expect(unresolved).toEqual([]);
  });

  it('when GET /api/v1/openapi.yaml, then it is the same document as YAML', async () => {
    const [yaml, json] = await Promise.all([fetch(url('/api/v1/openapi.yaml')), fetch(url('/api/v1/openapi.json'))]);

    expect(yaml.status).toBe(200);
    expect(yaml.headers.get('content-type')).toMatch(/yaml/);
    expect(parseYaml(await yaml.text())).toEqual(await json.json());
  });

  it('when GET /docs, then the page loads Scalar from this gateway (no CDN) and the bundle is served as JavaScript', async () => {
    const page = await fetch(url('/docs'));

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(scripts).toEqual(['/docs/assets/scalar-standalone.js']);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('"url":"/api/v1/openapi.json"');
    const bundle = await fetch(url(scripts[0] ?? ''));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

  it('when an operation is documented, then it carries curl, TypeScript (SDK) and Python samples and the key schemes', async () => {
    const document = (await (await fetch(url('/api/v1/openapi.json'))).json()) as { paths: Record<string, Record<string, Json>>; components: Json };
    const create = document.paths['/api/v1/garages/{garageId}/customers']?.post;
    const samples = create?.['x-codeSamples'] as { lang: string; source: string }[];
    expect(samples.map((s) => s.lang)).toEqual(['Shell', 'TypeScript', 'Python']);
    expect(samples[1]?.source).toContain("from '@pitlane/sdk'");
    expect(Object.keys(create?.responses as Json)).toEqual(expect.arrayContaining(['201', '400', '401', '429']));
    expect(document.components.securitySchemes).toMatchObject({ ApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' }, BearerAuth: { scheme: 'bearer' } });
  });
});
