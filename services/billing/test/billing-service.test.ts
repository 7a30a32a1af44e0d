import { describeServiceBasics } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startBilling } from '../src/service';

describeServiceBasics('billing', __filename, (env, names) =>
  startBilling(readConfig(env), { queue: `${names.queuePrefix}billing` }),
);
