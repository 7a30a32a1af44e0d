import { generatePublicDocument, openApiRegistry } from '@pitlane/core';

import { ApiContract } from './openapi-contract';

/** The document of this test process, built in-process by the same generator as docs/openapi.json
 * from whatever the process registered (a service's app registers its paths when it is built; the
 * e2e files load every service): never stale. Rebuilt when another registration arrives. */
let built: { definitions: number; contract: ApiContract } | undefined;

export function processContract(): ApiContract {
  const definitions = openApiRegistry.definitions.length;
  if (!built || built.definitions !== definitions) {
    built = { definitions, contract: new ApiContract(generatePublicDocument({ version: 'test', events: {} })) };
  }
  return built.contract;
}

let checked = 0;
/** how many responses this process has checked (a suite can assert its traffic went through the check) */
export const checkedResponses = (): number => checked;

/** What every test HTTP helper calls with the response it got, before reading it. */
export async function checkResponse(method: string, url: string, response: Response): Promise<void> {
  checked += 1;
  await processContract().checkResponse(method, url, response);
}

/** A fetch that checks each answer against the document (the SDK's `fetch` option in the e2e journey). */
export function checkedFetch(send: (request: Request) => Promise<Response> = (request) => fetch(request)) {
  return async (request: Request): Promise<Response> => {
    const response = await send(request);
    await checkResponse(request.method, request.url, response);
    return response;
  };
}
