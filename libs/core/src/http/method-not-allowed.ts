import type { ErrorRequestHandler, Express } from 'express';

import { AppError, errors } from '../errors';

/** The parts of the `router` package's Layer/Route we read (express 5 exposes no public API for it). */
interface Layer {
  match(path: string): { path: string } | false;
  route?: { _methods(includeAll?: boolean): string[] };
  handle?: { stack?: Layer[] };
}

/**
 * The methods some route answers for `path`, walking the app's routers as express would (a mounted
 * router sees the path without its mount prefix). `Layer.match` is pure in router 2.x, so this is safe
 * next to requests in flight. A `.all()` route would answer anything, so it yields nothing here.
 */
export function allowedMethods(app: Express, path: string): string[] {
  const methods = new Set<string>();
  collect((app as unknown as { router: { stack: Layer[] } }).router.stack, path, methods);
  if (methods.size > 0 && !methods.has('OPTIONS')) methods.add('OPTIONS'); // express answers OPTIONS itself
  return [...methods].sort();
}

function collect(stack: Layer[], path: string, into: Set<string>): void {
  for (const layer of stack) {
    let match: { path: string } | false;
    try {
      match = layer.match(path);
    } catch {
      continue; // a parameter that does not decode: express refused it as well
    }
    if (!match) continue;
    if (layer.route) {
      for (const method of layer.route._methods()) into.add(method);
    } else if (Array.isArray(layer.handle?.stack)) {
      const rest = path.slice(match.path.length);
      collect(layer.handle.stack, rest.startsWith('/') ? rest : `/${rest}`, into);
    }
  }
}

/**
 * Turns a ROUTE_NOT_FOUND for a path that exists with other methods into 405 METHOD_NOT_ALLOWED with
 * an `Allow` header (RFC 9110 §15.5.6), in the usual envelope. An error handler rather than a route, so
 * every app built on createBaseApp gets it once, whichever router raised the 404 (the gateway's proxy
 * raises its own for resources it does not know).
 */
export function methodNotAllowed(app: Express): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (!(error instanceof AppError) || error.code !== 'ROUTE_NOT_FOUND') {
      next(error);
      return;
    }
    const path = req.originalUrl.split('?')[0] ?? req.path;
    const allowed = allowedMethods(app, path);
    if (allowed.length === 0) {
      next(error);
      return;
    }
    res.setHeader('Allow', allowed.join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end(); // what a known path answers to OPTIONS (CORS preflights are the gateway's, earlier)
      return;
    }
    next(errors.methodNotAllowed(req.method, path, allowed));
  };
}
