// The console API client: the access token lives in memory only; the refresh token is an httpOnly
// cookie the browser sends to /console/api/auth/* by itself.
let accessToken = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details;
  }
}

async function send(path, { method = 'GET', body } = {}, retry = true) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const response = await fetch(`api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (response.status === 401 && retry && !path.startsWith('/auth/')) {
    if (await refresh()) return send(path, { method, body }, false);
  }
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

export async function login(email, password) {
  const payload = await send('/auth/login', { method: 'POST', body: { email, password } });
  accessToken = payload.data.accessToken;
  return payload.data.user;
}

/** Restores a session from the refresh cookie (page reload); null when there is none. */
export async function refresh() {
  try {
    const payload = await send('/auth/refresh', { method: 'POST' }, false);
    accessToken = payload.data.accessToken;
    return payload.data.user;
  } catch {
    accessToken = null;
    return null;
  }
}

export async function changePassword(currentPassword, newPassword) {
  const payload = await send('/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
  accessToken = payload.data.accessToken;
  return payload.data.user;
}

export async function logout() {
  await send('/auth/logout', { method: 'POST' }, false).catch(() => undefined);
  accessToken = null;
}

export const api = {
  get: (path) => send(path).then((p) => p),
  post: (path, body = {}) => send(path, { method: 'POST', body }),
};
