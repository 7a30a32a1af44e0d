/** What an organisation may list as a CORS origin: `https://app.example.com[:port]` exactly as a
 * browser sends it in `Origin` (scheme, host, optional port; no path, no wildcard; http only for
 * localhost). Returns the problem, or null when it is one. */
export function originProblem(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname))) {
    return 'must be https (http only for localhost)';
  }
  if (url.origin !== origin) return `must be exactly scheme://host[:port] (${url.origin})`;
  return null;
}

export const MAX_ALLOWED_ORIGINS = 20;
