// The partner API as the benches call it: through @pitlane/sdk (typed paths and bodies, the key on
// every request), like a partner would. Load phases stay on autocannon or the paced sender in lib.mjs:
// the SDK is a client, not a load generator.
import { createPitlane } from '@pitlane/sdk';

/**
 * An SDK client with its automatic retries OFF: a benchmark must see a 429 or a 503, not wait it out.
 * `apiKey` goes through the gateway; `internalToken` talks to one service straight (no gateway in
 * front: same paths and types, the service's signed internal token instead of a key); `consoleToken`
 * is the console's access token (the /console/api paths are in the document and the SDK too).
 */
export function partnerApi({ baseUrl, apiKey, internalToken, consoleToken }) {
  const pitlane = createPitlane({ baseUrl, apiKey, retry: false });
  const extra = {
    ...(internalToken ? { 'x-pitlane-internal-token': internalToken } : {}),
    ...(consoleToken ? { authorization: `Bearer ${consoleToken}` } : {}),
  };
  if (Object.keys(extra).length > 0) {
    pitlane.use({
      onRequest({ request }) {
        for (const [name, value] of Object.entries(extra)) request.headers.set(name, value);
        return request;
      },
    });
  }
  return pitlane;
}

/** The body of a success, or an error naming the call, its status and the API's error envelope. */
export async function expectOk(what, call) {
  const { data, error, response } = await call;
  if (!response.ok) throw new Error(`${what} → ${response.status} ${JSON.stringify(error?.error ?? error)}`);
  return data;
}
