import { describeServiceBasics } from '@pitlane/testing';

import { readConfig } from '../src/config';
import { startBookings } from '../src/service';

describeServiceBasics('bookings', __filename, (env, names) =>
  startBookings(readConfig(env), { queue: `${names.queuePrefix}bookings` }),
);
