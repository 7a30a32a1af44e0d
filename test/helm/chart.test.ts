import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { parseAllDocuments } from 'yaml';

/**
 * Checks on what the chart renders (deploy/helm/pitlane), with default values and with every
 * optional part on: credentials only from Secrets, probes and limits on every container, workers
 * never behind a Service, locked-down containers, only the gateway public.
 */
const ROOT = join(__dirname, '..', '..');
const HELM = join(ROOT, '.pitlane', 'bin', 'helm');
const CHART = join(ROOT, 'deploy', 'helm', 'pitlane');
const CREDENTIALS = ['MONGO_URL', 'AMQP_URL', 'AMQP_URLS', 'REDIS_URL', 'INTERNAL_JWT_SECRET'];

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered YAML, checked field by field below
  data?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

function render(...args: string[]): Manifest[] {
  if (!existsSync(HELM)) {
    throw new Error('helm is not installed at .pitlane/bin/helm: run `bash scripts/helm-check.sh` (npm run helm:check) first');
  }
  const out = execFileSync(HELM, ['template', 'pitlane', CHART, '--kube-version', '1.31.0', ...args], { encoding: 'utf8' });
  return parseAllDocuments(out)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

const renders: [string, Manifest[]][] = [
  ['default values', render()],
  ['every option on', render('-f', join(__dirname, 'full-values.yaml'))],
];

describe.each(renders)('the chart rendered with %s', (_label, manifests) => {
  const deployments = manifests.filter((m) => m.kind === 'Deployment');
  const containers = deployments.flatMap((d) =>
    (d.spec.template.spec.containers as { name: string; env: EnvVar[] }[]).map((c) => ({ deployment: d, container: c as any })), // eslint-disable-line @typescript-eslint/no-explicit-any
  );

  it('when any container needs a credential, then it comes from a Secret and never as a plain value', () => {
    expect(containers.length).toBeGreaterThan(0);
    for (const { deployment, container } of containers) {
      for (const env of container.env as EnvVar[]) {
        const where = `${deployment.metadata.name}: ${env.name}`;
        if (CREDENTIALS.includes(env.name) || /SECRET|PASSWORD|TOKEN/.test(env.name)) {
          expect({ where, secret: env.valueFrom?.secretKeyRef?.name !== undefined, value: env.value }).toEqual({ where, secret: true, value: undefined });
        }
        // no connection string with a password in a plain value either
        expect({ where, value: env.value ?? '' }).not.toEqual({ where, value: expect.stringMatching(/:\/\/[^/@\s]*:[^/@\s]+@/) });
      }
    }
    for (const configMap of manifests.filter((m) => m.kind === 'ConfigMap')) {
      expect(Object.keys(configMap.data ?? {}).filter((key) => CREDENTIALS.includes(key))).toEqual([]);
    }
  });

  it('when a container runs, then it has liveness and readiness probes, requests and limits, and a locked-down security context', () => {
    for (const { deployment, container } of containers) {
      const name = deployment.metadata.name;
      expect({ name, liveness: container.livenessProbe?.httpGet?.path }).toEqual({ name, liveness: '/healthz' });
      expect({ name, readiness: container.readinessProbe?.httpGet?.path }).toEqual({ name, readiness: '/readyz' });
      expect({ name, limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({ name, limits: ['cpu', 'memory'] });
      expect({ name, requests: Object.keys(container.resources?.requests ?? {}).sort() }).toEqual({ name, requests: ['cpu', 'memory'] });
      expect({ name, ...container.securityContext }).toMatchObject({ name, readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
      expect({ name, nonRoot: deployment.spec.template.spec.securityContext?.runAsNonRoot }).toEqual({ name, nonRoot: true });
    }
  });

  it('when a service has workers, then they run apart from its api, with no Service in front of them and no API credentials they do not need', () => {
    const roles = (role: string) => deployments.filter((d) => d.spec.template.metadata.labels['pitlane.io/role'] === role);
    expect(roles('api').map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(['billing', 'bookings', 'gateway', 'inventory', 'webhooks']);
    expect(roles('worker').map((d) => d.metadata.labels?.['app.kubernetes.io/component']).sort()).toEqual(['billing', 'bookings', 'inventory', 'webhooks']);
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      const selector = service.spec.selector as Record<string, string>;
      const selected = deployments.filter((d) => Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect({ service: service.metadata.name, selects: selected.map((d) => d.spec.template.metadata.labels['pitlane.io/role']) }).toEqual({
        service: service.metadata.name,
        selects: ['api'],
      });
    }
    const env = (d: Manifest) => (d.spec.template.spec.containers[0].env as EnvVar[]).map((e) => e.name);
    for (const worker of roles('worker')) expect(env(worker)).toEqual(expect.arrayContaining(['AMQP_URL', 'EVENTS_QUEUE_TYPE', 'PITLANE_ROLE']));
    for (const api of roles('api')) expect(env(api)).not.toContain('AMQP_URL'); // api processes store events; workers publish them
    // billing numbers a burst in groups only with many events in hand; the others keep the shared default
    const prefetch = Object.fromEntries(
      roles('worker').map((d) => [d.metadata.labels?.['app.kubernetes.io/component'], (d.spec.template.spec.containers[0].env as EnvVar[]).find((e) => e.name === 'EVENTS_PREFETCH')?.value]),
    );
    expect(prefetch).toEqual({ billing: '100', bookings: '10', inventory: '10', webhooks: '10' });
  });

  it('when the cluster is reached from outside, then only the gateway is public, and every deployment is autoscaled with a disruption budget', () => {
    const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
    const openToAll = policies.filter((p) => (p.spec.ingress ?? []).some((rule: { from?: unknown[] }) => !rule.from));
    for (const policy of openToAll) expect(policy.spec.podSelector.matchLabels).toMatchObject({ 'pitlane.io/public': 'true' });
    const publicDeployments = deployments.filter((d) => d.spec.template.metadata.labels['pitlane.io/public'] === 'true');
    expect(publicDeployments.map((d) => d.metadata.name)).toEqual(['pitlane-gateway-api']);
    expect(policies.some((p) => p.spec.podSelector.matchLabels?.['pitlane.io/public'] === undefined && !p.spec.ingress)).toBe(true); // default deny

    const scalers = manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler' || m.kind === 'ScaledObject');
    const budgets = manifests.filter((m) => m.kind === 'PodDisruptionBudget');
    for (const deployment of deployments) {
      const name = deployment.metadata.name;
      expect({ name, scaled: scalers.filter((s) => s.spec.scaleTargetRef.name === name).length }).toEqual({ name, scaled: 1 });
      expect({ name, budget: budgets.some((b) => b.metadata.name === name) }).toEqual({ name, budget: true });
    }
    for (const hpa of scalers.filter((s) => s.kind === 'HorizontalPodAutoscaler' && s.metadata.name.endsWith('-api'))) {
      expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    }
    expect(manifests.some((m) => m.kind === 'ServiceMonitor')).toBe(true);
  });
});

describe('the chart with KEDA', () => {
  it('when KEDA is on, then workers scale on queue depth plus outbox backlog and api pods stay on CPU', () => {
    const manifests = renders[1]![1];
    const scaled = manifests.filter((m) => m.kind === 'ScaledObject');
    expect(scaled.map((s) => s.metadata.name).sort()).toEqual(['billing', 'bookings', 'inventory', 'webhooks'].map((s) => `pitlane-${s}-worker`));
    for (const object of scaled) expect(object.spec.triggers[0].metadata.query).toMatch(/events_queue_depth.*outbox_backlog/);
    expect(manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').every((h) => h.metadata.name.endsWith('-api'))).toBe(true);
  });
});
