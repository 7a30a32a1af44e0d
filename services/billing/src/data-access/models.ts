import type { Connection } from 'mongoose';

/** The billing service's mongoose models, registered on its own connection. */
export type Models = Record<string, never>;

export function registerModels(_connection: Connection): Models {
  return {};
}
