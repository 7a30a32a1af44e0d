// The faults, in the order the suite injects them. Each `inject` returns once the component is back
// (the service answers /readyz again, the broker or Redis answers, the database runs again): the
// fault window is from the moment the fault starts until then.
import { infra, infraPid, SERVICE_NAMES } from './stack.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function faultList({ services, holdMs, only }) {
  const faults = [
    ...SERVICE_NAMES.map((name) => ({
      name: `kill -9 ${name}`,
      async inject() {
        await services.kill9(name);
        await sleep(500); // an orchestrator restarts a crashed container after a moment, not at once
        await services.start(name);
      },
    })),
    {
      name: 'RabbitMQ stop+start',
      async inject() {
        await infra('down', 'rabbitmq');
        await sleep(holdMs);
        await infra('up', 'rabbitmq');
      },
    },
    {
      name: 'Redis stop+start',
      async inject() {
        await infra('down', 'redis');
        await sleep(holdMs);
        await infra('up', 'redis');
      },
    },
    {
      name: 'database frozen',
      async inject() {
        const pid = infraPid('mongo');
        process.kill(pid, 'SIGSTOP');
        try {
          await sleep(holdMs);
        } finally {
          process.kill(pid, 'SIGCONT');
        }
      },
    },
  ];
  if (!only) return faults;
  const wanted = only.split(',').map((s) => s.trim().toLowerCase());
  return faults.filter((fault) => wanted.some((w) => fault.name.toLowerCase().includes(w)));
}
