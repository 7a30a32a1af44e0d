import { describeServiceBasics } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startInventory } from '../src/service';

describeServiceBasics('inventory', __filename, (env, names) =>
  startInventory(readConfig(env), { queue: `${names.queuePrefix}inventory` }),
);
