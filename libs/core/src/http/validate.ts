import type { z } from 'zod';

import { errors, type ErrorDetail } from '../errors';

/** zod issues → API.md `details: [{field, message}]`. */
export function issuesToDetails(issues: z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
}

/** Parses input with a zod schema or throws 400 VALIDATION_FAILED listing every problem. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw errors.validation(`The ${what} is invalid.`, issuesToDetails(result.error.issues));
  }
  return result.data;
}
