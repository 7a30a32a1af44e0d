/** The e2e files check every answer their SDK client gets against the whole public document. The
 * services register their paths when their apps are built; the gateway's own paths and the console's
 * are registered only by the document generator, so they are loaded here. */
import '../services/gateway/src/openapi/gateway.openapi';
import '../services/gateway/src/openapi/console.openapi';

export { checkedFetch, checkedResponses } from '@pitlane/testing';
