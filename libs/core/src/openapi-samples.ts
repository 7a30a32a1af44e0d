/** Example values and request samples (curl, TypeScript with @pitlane/sdk, Python) for every
 * operation, derived from the document itself so they cannot drift from the schemas. */
type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A small, valid-looking value for a JSON schema: examples first, then required fields only. */
export function sampleOf(schema: unknown, components: Json, depth = 0): unknown {
  if (!isRecord(schema) || depth > 8) return null;
  if (typeof schema.$ref === 'string') return sampleOf(components[schema.$ref.split('/').pop() ?? ''], components, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const first: unknown = (options as unknown[]).find((option) => !(isRecord(option) && option.type === 'null'));
      if (key !== 'allOf') return sampleOf(first, components, depth + 1);
      return Object.assign({}, ...options.map((option) => sampleOf(option, components, depth + 1) as object));
    }
  }
  const type: unknown = Array.isArray(schema.type) ? (schema.type as unknown[]).find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      return Object.fromEntries(required.map((name) => [name, sampleOf(properties[name], components, depth + 1)]));
    }
    case 'array':
      return [sampleOf(schema.items, components, depth + 1)];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return true;
    case 'string':
      return stringSample(schema);
    default:
      return null;
  }
}

function stringSample(schema: Json): string {
  if (schema.format === 'date-time') return '2026-03-02T09:15:00.000Z';
  if (schema.format === 'date') return '2026-03-02';
  if (schema.format === 'email') return 'ana@example.com';
  if (schema.format === 'binary') return '<binary>';
  if (typeof schema.pattern === 'string' && schema.pattern.includes('[0-2]')) return '09:00';
  return 'string';
}

const pathSamples: Record<string, string> = {
  garageId: 'gar_123',
};

/** `/api/v1/garages/{garageId}/customers/{customerId}` with sample values, for the shell samples. */
function concretePath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => (name === 'garageId' ? '$GARAGE_ID' : `${pathSamples[name] ?? `${name}_123`}`));
}

/** How an operation authenticates: an API key, nothing (public estimate links), or the console token. */
export type Auth = 'key' | 'none' | 'console';

export function codeSamples(method: string, path: string, body: unknown, auth: Auth): { lang: string; label: string; source: string }[] {
  const keyless = auth !== 'key';
  const consoleToken = auth === 'console';
  const upper = method.toUpperCase();
  const json = body === undefined ? undefined : JSON.stringify(body, null, 2);
  const curl = [
    `curl -X ${upper} "$PITLANE_URL${concretePath(path)}"`,
    ...(keyless ? [] : ['  -H "X-API-Key: $PITLANE_API_KEY"']),
    ...(consoleToken ? ['  -H "Authorization: Bearer $CONSOLE_TOKEN"'] : []),
    ...(json ? ["  -H 'Content-Type: application/json'", `  -d '${JSON.stringify(body)}'`] : []),
  ].join(' \\\n');

  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const tsParams = pathParams.length
    ? `params: { path: { ${pathParams.map((p) => (p === 'garageId' ? 'garageId' : `${p}: '${pathSamples[p] ?? `${p}_123`}'`)).join(', ')} } }`
    : '';
  const tsHeaders = consoleToken ? 'headers: { Authorization: `Bearer ${process.env.CONSOLE_TOKEN}` }' : '';
  const tsOptions = [tsParams, tsHeaders, json ? `body: ${json.replace(/\n/g, '\n  ')}` : ''].filter(Boolean).join(',\n  ');
  const typescript = [
    "import { createPitlane } from '@pitlane/sdk';",
    '',
    `const pitlane = createPitlane({ ${keyless ? '' : 'apiKey: process.env.PITLANE_API_KEY!, '}baseUrl: process.env.PITLANE_URL! });`,
    ...(pathParams.includes('garageId') ? ["const garageId = process.env.GARAGE_ID!;"] : []),
    `const { data, error } = await pitlane.${upper}('${path}'${tsOptions ? `, {\n  ${tsOptions},\n}` : ''});`,
  ].join('\n');

  const pyPath = path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'garageId' ? '{garage_id}' : (pathSamples[name] ?? `${name}_123`)));
  const python = [
    'import os',
    'import requests',
    '',
    ...(pathParams.includes('garageId') ? ['garage_id = os.environ["GARAGE_ID"]'] : []),
    `response = requests.${method.toLowerCase()}(`,
    `    f"{os.environ['PITLANE_URL']}${pyPath}",`,
    ...(keyless ? [] : ['    headers={"X-API-Key": os.environ["PITLANE_API_KEY"]},']),
    ...(consoleToken ? ['    headers={"Authorization": "Bearer " + os.environ["CONSOLE_TOKEN"]},'] : []),
    ...(json ? [`    json=${pythonLiteral(body)},`] : []),
    '    timeout=30,',
    ')',
    'print(response.status_code, response.json())',
  ].join('\n');

  return [
    { lang: 'Shell', label: 'curl', source: curl },
    { lang: 'TypeScript', label: 'TypeScript (@pitlane/sdk)', source: typescript },
    { lang: 'Python', label: 'Python (requests)', source: python },
  ];
}

function pythonLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\btrue\b/g, 'True')
    .replace(/\bfalse\b/g, 'False')
    .replace(/\bnull\b/g, 'None');
}
