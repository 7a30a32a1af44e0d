import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { Router } from 'express';

/** The committed document (npm run openapi writes it; openapi:check keeps it current), read once. */
const DOCS_DIR = resolve(__dirname, '../../../../docs');
/** Scalar's standalone browser bundle, served from node_modules: the docs page loads nothing from a CDN. */
const SCALAR_BUNDLE = require.resolve('@scalar/api-reference/browser/standalone.js');
export const SCALAR_BUNDLE_PATH = '/docs/assets/scalar-standalone.js';

/** `GET /api/v1/openapi.json|yaml` and the `/docs` page: public, no key, mounted before authentication. */
export function docsRoutes(router: Router): void {
  const json = readFileSync(resolve(DOCS_DIR, 'openapi.json'), 'utf8');
  const yaml = readFileSync(resolve(DOCS_DIR, 'openapi.yaml'), 'utf8');
  const cache = 'public, max-age=300';

  router.get('/api/v1/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', cache);
    res.type('application/json').send(json);
  });
  router.get('/api/v1/openapi.yaml', (_req, res) => {
    res.setHeader('Cache-Control', cache);
    res.type('application/yaml').send(yaml);
  });
  router.get(SCALAR_BUNDLE_PATH, (_req, res) => {
    res.sendFile(SCALAR_BUNDLE, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
  router.get('/docs', (_req, res) => {
    res.setHeader('Cache-Control', cache);
    res.type('html').send(docsPage);
  });
}

/** Scalar reads the document from this gateway; "try it" sends to the same origin with the key the
 * reader types in (X-API-Key). No default fonts: they would come from a CDN. */
const configuration = {
  url: '/api/v1/openapi.json',
  withDefaultFonts: false,
  hideClientButton: false,
  authentication: { preferredSecurityScheme: 'ApiKeyHeader' },
  defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
  metaData: { title: 'Pitlane API reference' },
};

const docsPage = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Pitlane API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="${SCALAR_BUNDLE_PATH}"></script>
    <script>
      Scalar.createApiReference('#app', ${JSON.stringify(configuration)});
    </script>
  </body>
</html>
`;
