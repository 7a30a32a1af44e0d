import type { RequestHandler } from 'express';

import { errors } from '../errors';

// C0 controls and DEL, raw or percent-encoded: no identifier, search term or filter needs them, and
// a NUL reaching a regex or a database query is a 500 waiting to happen.
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u001f\u007f]/;

/** Rejects, before any router decodes anything, what would otherwise surface as a 500 deep inside:
 * a path whose percent-encoding is not UTF-8 (`/customers/%ff%fe`), control characters in the path
 * or query string, and a body announced on GET/HEAD (a `Content-Length: 5` that never comes would
 * hold the request until the client gives up; these methods carry no body here). Each is a 400 in
 * the envelope, answered at once; the connection is closed since its unread bytes are unknown. */
export function requestGuards(): RequestHandler {
  return (req, res, next) => {
    const url = req.originalUrl;
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? '' : url.slice(queryAt + 1);
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(path);
    } catch {
      throw errors.malformedRequest('The request path is not valid percent-encoded UTF-8.', [{ field: 'path', message: 'malformed percent-encoding' }]);
    }
    if (RAW_CONTROL.test(decodedPath)) {
      throw errors.malformedRequest('The request path contains control characters.', [{ field: 'path', message: 'must not contain control characters' }]);
    }
    if (ENCODED_CONTROL.test(query) || RAW_CONTROL.test(query)) {
      throw errors.malformedRequest('The query string contains control characters.', [{ field: 'query', message: 'must not contain control characters' }]);
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && announcesBody(req.headers)) {
      res.setHeader('Connection', 'close');
      throw errors.malformedRequest(`A ${req.method} request must not carry a body.`, [{ field: '(body)', message: 'not allowed on this method' }]);
    }
    next();
  };
}

function announcesBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
