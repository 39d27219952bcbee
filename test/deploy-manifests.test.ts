// The deploy files, checked with the tools that will read them: the Kubernetes kustomization is
// rendered by kubectl's kustomize and every object validated against the Kubernetes schemas
// (kubernetes-models); the Compose file is resolved by docker-compose 1.29 (Debian's), the
// oldest Compose a user is likely to have. Both are rendered with secrets made by
// deploy/generate-secrets.mjs in a temporary copy, as a user would.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SERVICE_PORTS, discoverServices, parseDnsServices } from '@opsmesh/shared';
import { REPO_ROOT, skipUnlessBinary } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { serviceEnvironment } from './helpers/service-environment.js';

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are free-form YAML, checked field by field
type Doc = any;

const services = discoverServices(REPO_ROOT).map((s) => ({
  name: s.name,
  port: s.port ?? DEFAULT_SERVICE_PORTS[s.name]!,
  public: s.public ?? false,
}));

/**
 * Who calls whom, as the architecture draws it: the gateway routes to every service; every
 * service asks auth for keys, tokens and revocations and sends its traces to monitoring;
 * monitoring scrapes everyone and notifies ChatOps; ChatOps runs commands against ml and
 * monitoring. The NetworkPolicies must allow exactly these (the gateway takes anyone).
 */
const CALLERS: Record<string, string[]> = {
  'auth-service': ['gateway', 'ml-service', 'monitoring-service', 'chatops-service'],
  'ml-service': ['gateway', 'chatops-service', 'monitoring-service'],
  'monitoring-service': ['gateway', 'chatops-service', 'auth-service', 'ml-service', 'monitoring-service'],
  'chatops-service': ['gateway', 'monitoring-service'],
  postgres: ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service'],
  redis: ['gateway'],
};

const kubectlSkip = skipUnlessBinary('kubectl', 'kubernetes-client');
const composeSkip = skipUnlessBinary('docker-compose', 'docker-compose');
const work = mkdtempSync(join(tmpdir(), 'opsmesh-deploy-'));
let k8s: Doc[] = [];
let compose: { services: Record<string, Doc> } = { services: {} };

beforeAll(() => {
  cpSync(join(REPO_ROOT, 'deploy'), join(work, 'deploy'), {
    recursive: true,
    filter: (p) => !p.includes('/secrets') || p.endsWith('/deploy/secrets.example'),
  });
  execFileSync(
    'node',
    [join(REPO_ROOT, 'deploy/generate-secrets.mjs'), '--deploy-dir', join(work, 'deploy')],
    {
      encoding: 'utf8',
    },
  );
  if (!kubectlSkip) {
    const rendered = execFileSync('kubectl', ['kustomize', join(work, 'deploy/kubernetes')], {
      encoding: 'utf8',
    });
    k8s = parseAllDocuments(rendered).map((d) => d.toJS());
  }
  if (!composeSkip) {
    const resolved = execFileSync(
      'docker-compose',
      ['-f', join(work, 'deploy/docker-compose.yml'), 'config'],
      {
        encoding: 'utf8',
      },
    );
    compose = parse(resolved);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const find = (kind: string, name: string): Doc =>
  k8s.find((d) => d?.kind === kind && d.metadata?.name === name);

/** Every variable a container gets: its env, and the keys of the ConfigMaps and Secrets it loads. */
function containerEnv(container: Doc): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  for (const from of container.envFrom ?? []) {
    const source = from.configMapRef
      ? find('ConfigMap', from.configMapRef.name)?.data
      : find('Secret', from.secretRef.name)?.stringData;
    expect(source, JSON.stringify(from)).toBeDefined();
    Object.assign(env, source);
  }
  for (const e of container.env ?? []) env[e.name] = e.value ?? null;
  return env;
}

describe.skipIf(kubectlSkip)('kubernetes: deploy/kubernetes rendered by kustomize', () => {
  it('renders objects that all validate against the Kubernetes schemas', async () => {
    expect(k8s.length).toBeGreaterThan(30);
    const groups: Record<string, string> = {
      v1: 'v1',
      'apps/v1': 'apps/v1',
      'policy/v1': 'policy/v1',
      'autoscaling/v2': 'autoscaling/v2',
      'networking.k8s.io/v1': 'networking.k8s.io/v1',
    };
    for (const doc of k8s) {
      const group = groups[doc.apiVersion];
      expect(group, `${doc.kind} ${doc.metadata.name}: apiVersion ${doc.apiVersion}`).toBeDefined();
      const models = (await import(`kubernetes-models/${group}`)) as Record<string, new (d: Doc) => Doc>;
      const Model = models[doc.kind];
      expect(Model, `${doc.apiVersion} ${doc.kind}`).toBeDefined();
      expect(() => new Model!(doc).validate(), `${doc.kind} ${doc.metadata.name}`).not.toThrow();
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, doc.metadata.name).toBe('opsmesh');
    }
  });

  it.each(services)(
    '$name: two hardened replicas on its port, probed, with requests, limits and a PDB',
    (s) => {
      const deployment = find('Deployment', s.name);
      expect(deployment, `Deployment ${s.name}`).toBeDefined();
      expect(deployment.spec.replicas).toBe(2);
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      expect(container.image).toMatch(new RegExp(`^opsmesh/${s.name}:\\d+\\.\\d+\\.\\d+$`));
      expect(container.ports[0].containerPort).toBe(s.port);
      const env = containerEnv(container);
      expect(env['PORT']).toBe(String(s.port));
      expect(env['HOST']).toBe('0.0.0.0');
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: s.port });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: s.port });
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      // A read-only root needs somewhere to write: /tmp (the embedded database's image cache) and /data.
      expect(container.volumeMounts.map((m: Doc) => m.mountPath)).toEqual(
        expect.arrayContaining(['/tmp', '/data']),
      );
      expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': s.name });
      const service = find('Service', s.name);
      expect(service.spec.ports[0].port).toBe(s.port);
      expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect(service.spec.type ?? 'ClusterIP').toBe(s.public ? 'LoadBalancer' : 'ClusterIP');
      // The headless twin DNS discovery reads: one address per ready pod.
      const pods = find('Service', `${s.name}-pods`);
      expect(pods?.spec.clusterIP, `Service ${s.name}-pods`).toBe('None');
      expect(pods.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      const pdb = find('PodDisruptionBudget', s.name);
      expect(pdb.spec.minAvailable).toBe(1);
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    },
  );

  it('scales the gateway and ml-service on CPU, from two replicas up', () => {
    const scaled = k8s.filter((d) => d.kind === 'HorizontalPodAutoscaler').map((d) => d.spec);
    expect(scaled.map((s) => s.scaleTargetRef.name).sort()).toEqual(['gateway', 'ml-service']);
    for (const spec of scaled) {
      expect(spec.minReplicas).toBe(2);
      expect(spec.maxReplicas).toBeGreaterThan(2);
      expect(spec.metrics[0].resource.name).toBe('cpu');
    }
  });

  it('lets only the calls the architecture makes through its NetworkPolicies', () => {
    const policies = k8s.filter((d) => d.kind === 'NetworkPolicy');
    for (const [callee, callers] of Object.entries(CALLERS)) {
      const policy = policies.find(
        (p) => p.spec.podSelector.matchLabels['app.kubernetes.io/name'] === callee,
      );
      expect(policy, `NetworkPolicy for ${callee}`).toBeDefined();
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      const allowed = policy.spec.ingress.flatMap((rule: Doc) =>
        (rule.from ?? []).map((f: Doc) => f.podSelector.matchLabels['app.kubernetes.io/name']),
      );
      expect(allowed.sort(), callee).toEqual([...callers].sort());
    }
    const gateway = policies.find((p) => p.metadata.name === 'gateway');
    expect(gateway.spec.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  it('discovers every service by DNS over its headless Service', () => {
    const common = find('ConfigMap', 'opsmesh-common');
    const dns = parseDnsServices(common.data.DNS_SERVICES);
    for (const s of services) {
      expect(common.data.OPSMESH_SERVICES).toContain(`${s.name}=http://${s.name}:${s.port}`);
      expect(dns[s.name]).toEqual({
        kind: 'address',
        host: `${s.name}-pods.opsmesh.svc.cluster.local`,
        port: s.port,
      });
    }
  });

  it('lists every manifest file in the kustomization', () => {
    const dir = join(REPO_ROOT, 'deploy/kubernetes');
    const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    // secrets.yaml is generated (and ignored by git), so it may be missing from the checkout.
    expect([...kustomization.resources].sort()).toEqual([...new Set([...files, 'secrets.yaml'])].sort());
  });

  it('mounts exactly the repository gateway config', () => {
    const cm = find('ConfigMap', 'gateway-config');
    expect(cm.data['gateway.yaml']).toBe(
      readFileSync(join(REPO_ROOT, 'services/gateway/config/gateway.yaml'), 'utf8'),
    );
    const gw = find('Deployment', 'gateway').spec.template.spec;
    expect(containerEnv(gw.containers[0])['GATEWAY_CONFIG']).toBe('/etc/opsmesh/gateway.yaml');
    expect(gw.volumes.find((v: Doc) => v.name === 'config').configMap.name).toBe('gateway-config');
  });

  it.each(services)('$name: sets every variable the service needs, as `npm start` would', (s) => {
    const env = containerEnv(find('Deployment', s.name).spec.template.spec.containers[0]);
    for (const name of serviceEnvironment(s.name)) expect(env, `${s.name}: ${name}`).toHaveProperty(name);
  });
});

describe.skipIf(composeSkip)(
  'docker compose: deploy/docker-compose.yml resolved by docker-compose 1.29',
  () => {
    it.each(services)('$name: two replicas on its port, read-only, published only if public', (s) => {
      const svc = compose.services[s.name];
      expect(svc, s.name).toBeDefined();
      expect(svc.image).toMatch(new RegExp(`^opsmesh/${s.name}:`));
      expect(svc.scale).toBe(2);
      expect(svc.read_only).toBe(true);
      expect(svc.environment.PORT).toBe(String(s.port));
      expect(svc.expose).toEqual([String(s.port)]);
      // Two gateway replicas publish a range of two host ports.
      expect((svc.ports ?? []).map((p: Doc) => `${p.published}:${p.target}`)).toEqual(
        s.public ? [`${s.port}-${s.port + 1}:${s.port}`] : [],
      );
      expect(svc.build.target ?? 'service').toBe(s.name === 'ml-service' ? 'ml-service' : 'service');
      for (const name of serviceEnvironment(s.name))
        expect(svc.environment, `${s.name}: ${name}`).toHaveProperty(name);
      // Every workspace's package.json is copied before `npm ci`, or the lockfile would not match.
      const text = readFileSync(
        join(work, 'deploy', '..', svc.build.dockerfile.replace(/^.*deploy\//, 'deploy/')),
        'utf8',
      );
      for (const other of services) expect(text).toContain(`COPY services/${other.name}/package.json`);
      const dns = parseDnsServices(svc.environment.DNS_SERVICES);
      for (const other of services)
        expect(dns[other.name]).toEqual({ kind: 'address', host: other.name, port: other.port });
    });

    it('has no top-level name, which Compose 1.29 rejects', () => {
      const raw = parse(readFileSync(join(REPO_ROOT, 'deploy/docker-compose.yml'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(raw).not.toHaveProperty('name');
      expect(existsSync(join(work, 'deploy/secrets/auth-service.env'))).toBe(true);
    });
  },
);
