import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPTS = join(__dirname, '..', '..', 'scripts', 'cluster');

/** Runs scripts/cluster/<script> with arguments (kill/stop/start a node), time-boxed. */
export function clusterControl(script: 'rabbitmq-cluster.sh' | 'redis-cluster.sh', ...args: string[]): string {
  return execFileSync('bash', [join(SCRIPTS, script), ...args], { encoding: 'utf8', timeout: 180_000 });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
