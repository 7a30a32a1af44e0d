import type { Connection } from 'mongoose';

/** The webhooks service's mongoose models, registered on its own connection. */
export type Models = Record<string, never>;

export function registerModels(_connection: Connection): Models {
  return {};
}
