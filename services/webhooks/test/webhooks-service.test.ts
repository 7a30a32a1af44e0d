import { describeServiceBasics } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startWebhooks } from '../src/service';

describeServiceBasics('webhooks', __filename, (env, names) =>
  startWebhooks(readConfig(env), { queue: `${names.queuePrefix}webhooks` }),
);
