import { ApiContract, ContractMismatch, undocumented, type Exchange } from '../../src/openapi-contract';

/** A small document in the shape generatePublicDocument writes: refs to components, shared error responses. */
const document = {
  openapi: '3.1.0',
  paths: {
    '/api/v1/garages/{garageId}/customers/{customerId}': {
      get: {
        operationId: 'getCustomer',
        responses: {
          200: {
            description: 'A customer',
            headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' }, 'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' } },
            content: { 'application/json': { schema: { type: 'object', properties: { success: { enum: [true] }, data: { $ref: '#/components/schemas/Customer' } }, required: ['success', 'data'] } } },
          },
          404: { $ref: '#/components/responses/NotFound' },
        },
      },
      delete: { operationId: 'deleteCustomer', responses: { 204: { description: 'Deleted' } } },
    },
    '/api/v1/garages/{garageId}/customers/search': {
      get: { operationId: 'searchCustomers', responses: { 200: { description: 'Found', content: { 'application/json': { schema: { type: 'object', required: ['pagination'] } } } } } },
    },
    '/api/v1/garages/{garageId}/invoices/{invoiceId}/pdf': {
      get: { operationId: 'getPdf', responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } } },
    },
  },
  components: {
    schemas: {
      Customer: { type: 'object', properties: { id: { type: 'string' }, email: { type: ['string', 'null'], format: 'email' }, createdAt: { type: 'string', format: 'date-time' } }, required: ['id', 'email'], example: { id: 'cus_1' } },
      ErrorEnvelope: { type: 'object', properties: { success: { enum: [false] }, error: { type: 'object', required: ['code'] }, requestId: { type: 'string' } }, required: ['success', 'error', 'requestId'] },
    },
    headers: { 'X-Request-Id': { schema: { type: 'string' }, required: true }, 'RateLimit-Limit': { schema: { type: 'integer' } } },
    responses: { NotFound: { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } } },
  },
};

const contract = new ApiContract(document);
const base = 'http://127.0.0.1:4000/api/v1/garages/gar_1';
function exchange(overrides: Partial<Exchange> & { json?: unknown; headers?: Headers } = {}): Exchange {
  const { json, ...rest } = overrides;
  return {
    method: 'GET',
    url: `${base}/customers/cus_1`,
    status: 200,
    headers: new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req_1' }),
    body: JSON.stringify(json ?? { success: true, data: { id: 'cus_1', email: 'a@example.com' } }),
    ...rest,
  };
}
const mismatch = (e: Exchange) => {
  try {
    contract.check(e);
  } catch (error) {
    expect(error).toBeInstanceOf(ContractMismatch);
    return (error as Error).message;
  }
  throw new Error('expected a contract mismatch');
};

describe('the OpenAPI response check', () => {
  it('when a response matches its operation, then it passes (query strings and a trailing slash ignored)', () => {
    expect(() => contract.check(exchange())).not.toThrow();
    expect(() => contract.check(exchange({ url: `${base}/customers/cus_1/?expand=x` }))).not.toThrow();
    expect(() => contract.check(exchange({ method: 'DELETE', status: 204, body: '' }))).not.toThrow();
  });

  it('when a body field has the wrong type, then the message names the operation, the status and the JSON pointer', () => {
    const message = mismatch(exchange({ json: { success: true, data: { id: 42, email: 'a@example.com' } } }));
    expect(message).toContain('getCustomer (GET /api/v1/garages/{garageId}/customers/{customerId}) → 200');
    expect(message).toContain('at /data/id: must be string');
    expect(message).toContain('(found 42)');
  });

  it('when a required field is missing or a format is wrong, then it fails', () => {
    expect(mismatch(exchange({ json: { success: true, data: { id: 'cus_1' } } }))).toContain("must have required property 'email'");
    expect(mismatch(exchange({ json: { success: true, data: { id: 'cus_1', email: 'nope' } } }))).toContain('at /data/email: must match format "email"');
  });

  it('when the status is not documented, then it fails and lists the documented ones', () => {
    expect(mismatch(exchange({ status: 409, json: { success: false, error: { code: 'X' }, requestId: 'r' } }))).toContain('status not documented (documented: 200, 404)');
  });

  it('when an error answers, then it is checked against the referenced error response', () => {
    expect(() => contract.check(exchange({ status: 404, json: { success: false, error: { code: 'RESOURCE_NOT_FOUND' }, requestId: 'r' } }))).not.toThrow();
    expect(mismatch(exchange({ status: 404, json: { success: false, error: { code: 'RESOURCE_NOT_FOUND' } } }))).toContain("must have required property 'requestId'");
  });

  it('when a declared header is missing or of the wrong type, then it fails', () => {
    expect(mismatch(exchange({ headers: new Headers({ 'content-type': 'application/json' }) }))).toContain("headers: must have required property 'x-request-id'");
    const headers = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r', 'ratelimit-limit': 'sixty' });
    expect(mismatch(exchange({ headers }))).toContain('at headers/ratelimit-limit: must be integer');
    headers.set('ratelimit-limit', '60');
    expect(() => contract.check(exchange({ headers }))).not.toThrow();
  });

  it('when the media type differs or a 204 has a body, then it fails; a PDF is checked by its media type', () => {
    expect(mismatch(exchange({ headers: new Headers({ 'content-type': 'text/html', 'x-request-id': 'r' }) }))).toContain('content-type text/html is not documented');
    expect(mismatch(exchange({ method: 'DELETE', status: 204, body: '{}' }))).toContain('documented without a body');
    const pdf = new Headers({ 'content-type': 'application/pdf' });
    expect(() => contract.check(exchange({ url: `${base}/invoices/inv_1/pdf`, headers: pdf, body: '%PDF-1.7' }))).not.toThrow();
  });

  it('when a literal path segment and a template both match, then the literal operation is used', () => {
    expect(mismatch(exchange({ url: `${base}/customers/search?q=a`, json: { success: true } }))).toContain('searchCustomers');
  });

  it('when a path or method is not in the document, then it fails unless the call opts out with a reason', async () => {
    expect(mismatch(exchange({ method: 'PUT' }))).toContain('PUT /api/v1/garages/gar_1/customers/cus_1 is not in the OpenAPI document (the path has GET, DELETE)');
    const notFound = exchange({ url: `${base}/nowhere`, status: 404, json: { success: false, error: { code: 'ROUTE_NOT_FOUND' }, requestId: 'r' } });
    expect(mismatch(notFound)).toContain('is not in the OpenAPI document');
    await undocumented('a 404 for a path that does not exist', () => {
      expect(() => contract.check(notFound)).not.toThrow();
      // even outside the document, the answer is the error envelope and never a success
      expect(mismatch({ ...notFound, body: '{"oops":true}' })).toContain("must have required property 'success'");
      expect(mismatch({ ...notFound, status: 200 })).toContain('an undocumented operation answered success');
      return Promise.resolve();
    });
    expect(() => undocumented('', () => Promise.resolve())).toThrow('say why');
  });
});

describe('the error codes of the document', () => {
  const withCodes = new ApiContract({
    paths: {
      '/api/v1/garages/{garageId}/bookings': {
        post: {
          operationId: 'postBookings',
          responses: {
            409: { description: 'Error codes: SLOT_AT_CAPACITY, GARAGE_CLOSED', content: { 'application/json': { schema: { type: 'object' } } } },
            401: { description: 'AuthenticationError: API_KEY_MISSING | API_KEY_INVALID', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
    },
  });
  const answer = (status: number, code: string): Exchange => ({
    method: 'POST',
    url: 'http://h/api/v1/garages/g/bookings',
    status,
    headers: new Headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({ success: false, error: { code } }),
  });

  it('when an error carries a listed code, then it passes; an unlisted one fails naming the documented codes', () => {
    expect(() => withCodes.check(answer(409, 'GARAGE_CLOSED'))).not.toThrow();
    expect(() => withCodes.check(answer(401, 'API_KEY_INVALID'))).not.toThrow();
    expect(() => withCodes.check(answer(409, 'DATE_AT_CAPACITY'))).toThrow('error code DATE_AT_CAPACITY is not documented for this status (documented: SLOT_AT_CAPACITY, GARAGE_CLOSED)');
    expect(() => withCodes.check(answer(401, 'API_KEY_REVOKED'))).toThrow('documented: API_KEY_MISSING, API_KEY_INVALID');
  });
});

describe('the committed document (docs/openapi.json)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated JSON, read as the gateway serves it
  const committed = new ApiContract(require('../../../../docs/openapi.json') as Record<string, unknown>);
  const conflict = (code: string): Exchange => ({
    method: 'POST',
    url: 'http://h/api/v1/garages/gar_1/bookings',
    status: 409,
    headers: new Headers({ 'content-type': 'application/json', 'x-request-id': 'r' }),
    body: JSON.stringify({ success: false, error: { type: 'ConflictError', message: 'm', code, details: { date: '2026-12-14' } }, requestId: 'r' }),
  });

  it('when a booking create conflicts, then a listed code with object details passes and an unlisted code fails', () => {
    expect(() => committed.check(conflict('SLOT_AT_CAPACITY'))).not.toThrow();
    expect(() => committed.check(conflict('INSUFFICIENT_STOCK'))).toThrow('postGarageBookings (POST /api/v1/garages/{garageId}/bookings) → 409: error code INSUFFICIENT_STOCK is not documented');
  });
});
