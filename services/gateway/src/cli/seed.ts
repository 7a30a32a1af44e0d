import { parseArgs } from 'node:util';

import { seedDemo } from '../application/seed-demo';
import { seedConsoleUser } from '../console/application/seed-console-users';
import { openAdminContext, runCli } from './context';

/** `npm run seed` seeds the demo tenants (see seedDemo) and prints how to call the API;
 * `npm run seed -- --json` prints one JSON object instead. */
async function seed(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const admin = await openAdminContext();
  try {
    const demo = await seedDemo(admin.provisioning);
    // console logins (issue 10): the first organisation's owner, and the other organisation's
    const result = {
      ...demo,
      console: await seedConsoleUser(admin.consoleUsers, { organisationId: demo.organisationId, email: 'owner@demo-motors.example', role: 'owner' }),
      otherOrganisation: {
        ...demo.otherOrganisation,
        console: await seedConsoleUser(admin.consoleUsers, { organisationId: 'org_demo_b', email: 'owner@other-garage.example', role: 'owner' }),
      },
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const base = `http://127.0.0.1:${admin.config.PORT}/api/v1`;
    process.stdout.write(
      [
        '',
        `Pitlane gateway:   ${base}`,
        `Demo key (read_write, organisation ${result.organisationId}; shown once):`,
        `  ${result.keys.readWrite}`,
        `Read-only key:     ${result.keys.readOnly}`,
        'Try:',
        `  curl -s -H 'X-API-Key: ${result.keys.readWrite}' ${base}/garages`,
        `  curl -s -H 'X-API-Key: ${result.keys.readWrite}' ${base}/garages/gar_demo_london/customers`,
        `API Access console: http://127.0.0.1:${admin.config.PORT}/console/`,
        `  log in as ${result.console.email} / ${result.console.password}`,
        '',
      ].join('\n'),
    );
  } finally {
    await admin.close();
  }
}

void runCli(seed);
