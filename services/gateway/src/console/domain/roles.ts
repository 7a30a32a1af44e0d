/** Console users belong to one organisation. Viewers read; admins also manage keys; owners also invite users. */
export const ROLES = ['owner', 'admin', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function canManageKeys(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

export function canManageUsers(role: Role): boolean {
  return role === 'owner';
}
