/** The error types of API.md: each maps to one HTTP status. */
export const errorTypes = {
  ValidationError: 400,
  AuthenticationError: 401,
  PaymentRequiredError: 402,
  PermissionError: 403,
  NotFoundError: 404,
  MethodNotAllowedError: 405,
  ConflictError: 409,
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
  RateLimitError: 429,
  InternalError: 500,
  ServiceUnavailableError: 503,
} as const;

export type ErrorType = keyof typeof errorTypes;

export interface ErrorDetail {
  field: string;
  message: string;
}

/** The one error class of the code base. Anything else that is thrown becomes 500 INTERNAL_ERROR. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
    status?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? errorTypes[type];
  }
}

export const errors = {
  validation: (message: string, details?: ErrorDetail[], code = 'VALIDATION_FAILED') =>
    new AppError('ValidationError', code, message, details),
  invalidJson: () => new AppError('ValidationError', 'INVALID_JSON', 'The request body is not valid JSON.'),
  unauthenticated: (code: string, message: string) => new AppError('AuthenticationError', code, message),
  paymentRequired: (message: string) => new AppError('PaymentRequiredError', 'API_ACCESS_DISABLED', message),
  forbidden: (message: string, code = 'INSUFFICIENT_PERMISSION') => new AppError('PermissionError', code, message),
  notFound: (resource: string) => new AppError('NotFoundError', 'RESOURCE_NOT_FOUND', `${resource} not found.`),
  routeNotFound: (method: string, path: string) =>
    new AppError('NotFoundError', 'ROUTE_NOT_FOUND', `No route for ${method} ${path}.`),
  methodNotAllowed: (method: string, path: string, allowed: string[]) =>
    new AppError('MethodNotAllowedError', 'METHOD_NOT_ALLOWED', `${method} is not supported on ${path}; use ${allowed.join(', ')}.`, { allowed }),
  conflict: (code: string, message: string, details?: ErrorDetail[] | Record<string, unknown>) =>
    new AppError('ConflictError', code, message, details),
  payloadTooLarge: (limit: string) =>
    new AppError('PayloadTooLargeError', 'PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${limit}.`),
  unsupportedMediaType: (message: string) => new AppError('UnsupportedMediaTypeError', 'UNSUPPORTED_MEDIA_TYPE', message),
  malformedRequest: (message: string, details?: ErrorDetail[]) =>
    new AppError('ValidationError', 'MALFORMED_REQUEST', message, details),
  rateLimited: (message: string) => new AppError('RateLimitError', 'RATE_LIMIT_EXCEEDED', message),
  unavailable: (message: string, code = 'SERVICE_UNAVAILABLE', status = 503) =>
    new AppError('ServiceUnavailableError', code, message, undefined, status),
  internal: () => new AppError('InternalError', 'INTERNAL_ERROR', 'An unexpected error occurred.'),
};

export interface ErrorBody {
  success: false;
  error: { type: string; message: string; code: string; details?: unknown };
  requestId: string;
}

export function errorBody(error: AppError, requestId: string): ErrorBody {
  return {
    success: false,
    error: {
      type: error.type,
      message: error.message,
      code: error.code,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
    requestId,
  };
}
