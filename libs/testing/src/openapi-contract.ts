import { AsyncLocalStorage } from 'node:async_hooks';

import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Checks every response a test helper sees against the OpenAPI 3.1 document (issue 11): the
 * operation (method + path template), the status (or `default`), the declared headers, the media
 * type and the body, with Ajv's JSON Schema 2020-12 validator (the dialect of OpenAPI 3.1) and
 * ajv-formats. A mismatch throws, so the test fails with the operation, the status and the JSON
 * pointer of what differs. */
type Json = Record<string, unknown>;
interface Operation { id: string; method: string; template: string; pattern: RegExp; literalSegments: number; responses: Json }

export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  /** the body as text (undefined or '' when there is none) */
  body: string | undefined;
}

export class ContractMismatch extends Error {
  override name = 'ContractMismatch';
}

const optOut = new AsyncLocalStorage<string>();

/** Runs `call` with the contract check accepting a request to a path+method the document does not
 * have (a 404 or 405 test, hostile paths): the answer must still be the documented error envelope.
 * The reason is required so each such test says why it leaves the contract. */
export function undocumented<T>(reason: string, call: () => Promise<T>): Promise<T> {
  if (reason.trim().length < 5) throw new Error('undocumented(): say why this request is outside the document');
  return optOut.run(reason, call);
}

const ANNOTATIONS = ['example', 'discriminator', 'xml', 'externalDocs'];

export class ApiContract {
  // the schemas are generated (zod-to-openapi), not hand-written: strict compilation still refuses an
  // unknown keyword, and skipping the meta-schema pass over every component saves seconds per test file
  private readonly ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strictTypes: false, validateSchema: false });
  /** headers arrive as strings: this one coerces `"60"` to the integer the header schema names */
  private readonly headerAjv = new Ajv2020({ allErrors: true, allowUnionTypes: true, strictTypes: false, validateSchema: false, coerceTypes: true });
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly components: Json;

  constructor(document: Json) {
    // refs point into the document; the document's components become $defs of one schema so Ajv
    // resolves `#/components/schemas/X` without reading the rest of the document as a schema
    const rewritten = JSON.parse(JSON.stringify(document).replaceAll('"#/components/schemas/', '"pitlane-components#/$defs/')) as Json;
    this.components = (rewritten.components ?? {}) as Json;
    for (const ajv of [this.ajv, this.headerAjv]) {
      addFormats(ajv);
      ajv.addVocabulary(ANNOTATIONS);
      ajv.addFormat('binary', true);
    }
    // header schemas are inline (integer, string): only bodies refer to the components
    this.ajv.addSchema({ $id: 'pitlane-components', $defs: this.components.schemas ?? {} });
    for (const [template, item] of Object.entries((rewritten.paths ?? {}) as Record<string, Json>)) {
      for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
        const operation = item[method] as Json | undefined;
        if (!operation) continue;
        const segments = template.split('/');
        const pattern = new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : escape(s))).join('/')}/?$`);
        this.operations.push({
          id: typeof operation.operationId === 'string' ? operation.operationId : `${method} ${template}`,
          method: method.toUpperCase(),
          template,
          pattern,
          literalSegments: segments.filter((s) => !s.startsWith('{')).length,
          responses: operation.responses as Json,
        });
      }
    }
    // a literal segment wins over a template (`/customers/search` before `/customers/{customerId}`)
    this.operations.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Reads a copy of the response's body and checks the exchange; the caller's response stays unread. */
  async checkResponse(method: string, url: string, response: Response): Promise<void> {
    const body = response.status === 204 || method.toUpperCase() === 'HEAD' ? '' : await response.clone().text();
    this.check({ method, url, status: response.status, headers: response.headers, body });
  }

  check(exchange: Exchange): void {
    const method = exchange.method.toUpperCase();
    const path = new URL(exchange.url, 'http://localhost').pathname;
    const operation = this.operations.find((op) => op.method === method && op.pattern.test(path));
    if (!operation) {
      const reason = optOut.getStore();
      const onPath = this.operations.filter((op) => op.pattern.test(path)).map((op) => op.method);
      if (!reason) {
        throw new ContractMismatch(
          `${method} ${path} is not in the OpenAPI document${onPath.length ? ` (the path has ${onPath.join(', ')})` : ''}; ` +
            'document it, or wrap a deliberate call in undocumented(reason, …)',
        );
      }
      return this.checkUndocumented(method, path, exchange);
    }
    const where = `${operation.id} (${method} ${operation.template}) → ${exchange.status}`;
    const key = String(exchange.status);
    const found = [key, `${key[0]}XX`, 'default'].find((k) => k in operation.responses);
    if (!found) {
      throw new ContractMismatch(`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})${excerpt(exchange.body)}`);
    }
    this.checkResponseObject(where, `${operation.id} ${found}`, this.resolve(operation.responses[found] as Json), exchange);
  }

  private checkUndocumented(method: string, path: string, exchange: Exchange): void {
    const where = `${method} ${path} (undocumented on purpose) → ${exchange.status}`;
    if (exchange.status < 400) throw new ContractMismatch(`${where}: an undocumented operation answered success`);
    const errorResponse = { content: { 'application/json': { schema: { $ref: 'pitlane-components#/$defs/ErrorEnvelope' } } } };
    this.checkResponseObject(where, 'undocumented-error', errorResponse, exchange);
  }

  private checkResponseObject(where: string, cacheKey: string, response: Json, exchange: Exchange): void {
    this.checkHeaders(where, cacheKey, (response.headers ?? {}) as Json, exchange.headers);
    const content = response.content as Record<string, Json> | undefined;
    const body = exchange.body ?? '';
    if (!content || Object.keys(content).length === 0) {
      if (body.length > 0) throw new ContractMismatch(`${where}: documented without a body, answered one${excerpt(body)}`);
      return;
    }
    const mediaType = (exchange.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const declared = Object.keys(content).find((type) => type === mediaType || (type.endsWith('/*') && mediaType.startsWith(type.slice(0, -1))));
    if (!declared) {
      throw new ContractMismatch(`${where}: content-type ${mediaType || '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})${excerpt(body)}`);
    }
    if (!/[/+]json$/.test(declared)) return; // a PDF or an attachment: the media type is the contract
    const schema = content[declared]?.schema;
    if (!schema) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new ContractMismatch(`${where}: ${declared} body is not JSON${excerpt(body)}`);
    }
    const validate = this.compile(this.ajv, `${cacheKey} body ${declared}`, schema as Json);
    if (!validate(parsed)) throw new ContractMismatch(`${where}: body does not match the document\n${describe(validate.errors ?? [], parsed, '')}`);
    checkErrorCode(where, response, parsed);
  }

  private checkHeaders(where: string, cacheKey: string, declared: Json, headers: Headers): void {
    const properties: Json = {};
    const required: string[] = [];
    const values: Record<string, string> = {};
    for (const [name, raw] of Object.entries(declared)) {
      const header = this.resolve(raw as Json);
      const lower = name.toLowerCase();
      properties[lower] = header.schema ?? {};
      if (header.required === true) required.push(lower);
      const value = headers.get(lower);
      if (value !== null) values[lower] = value;
    }
    if (Object.keys(properties).length === 0) return;
    const validate = this.compile(this.headerAjv, `${cacheKey} headers`, { type: 'object', properties, required });
    if (!validate(values)) throw new ContractMismatch(`${where}: headers do not match the document\n${describe(validate.errors ?? [], values, 'headers')}`);
  }

  private compile(ajv: Ajv2020, key: string, schema: Json): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** follows `#/components/responses/X` and `#/components/headers/X` */
  private resolve(object: Json): Json {
    const ref = object.$ref;
    if (typeof ref !== 'string') return object;
    const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
    const target = section && name ? ((this.components[section] ?? {}) as Json)[name] : undefined;
    if (!target) throw new ContractMismatch(`the document refers to ${ref}, which it does not define`);
    return this.resolve(target as Json);
  }
}

/** An error response names its codes in its description (`Error codes: A, B` for an operation's own,
 * `NotFoundError: A | B` for the gateway's shared ones): the answer's `error.code` must be one of them. */
function checkErrorCode(where: string, response: Json, body: unknown): void {
  const description = typeof response.description === 'string' ? response.description : '';
  const listed = /^Error codes: (.+)$/.exec(description)?.[1]?.split(', ') ?? /^\w+: ([A-Z_]+(?: \| [A-Z_]+)*)$/.exec(description)?.[1]?.split(' | ');
  const code = (body as { error?: { code?: unknown } }).error?.code;
  if (!listed || typeof code !== 'string' || listed.includes(code)) return;
  throw new ContractMismatch(`${where}: error code ${code} is not documented for this status (documented: ${listed.join(', ')})`);
}

function escape(segment: string): string {
  return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function excerpt(body: string | undefined): string {
  return body ? `\n  body: ${body.length > 400 ? `${body.slice(0, 400)}…` : body}` : '';
}

/** one line per Ajv error: the JSON pointer, what was expected, and the value found there */
function describe(errors: ErrorObject[], value: unknown, root: string): string {
  return errors
    .slice(0, 8)
    .map((error) => {
      const pointer = `${root}${error.instancePath}` || '/';
      const found = JSON.stringify(at(value, error.instancePath)) ?? 'undefined';
      const params = Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : '';
      return `  at ${pointer}: ${error.message ?? error.keyword}${params} (found ${found.length > 200 ? `${found.slice(0, 200)}…` : found})`;
    })
    .join('\n');
}

function at(value: unknown, pointer: string): unknown {
  let current = value;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}
