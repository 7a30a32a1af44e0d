import { describeServiceBasics } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startWebhooks } from '../src/service';
import { FAST_ENV } from './factories';

describeServiceBasics('webhooks', __filename, (env, names) =>
  // the signing-secrets key is required in every environment
  startWebhooks(readConfig({ ...env, WEBHOOK_SECRETS_KEYS: FAST_ENV.WEBHOOK_SECRETS_KEYS }), { queue: `${names.queuePrefix}webhooks` }),
);
