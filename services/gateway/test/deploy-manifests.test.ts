import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SERVICE_PORTS, parseDnsServices } from '@opsmesh/shared';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const k8sDir = join(root, 'deploy/kubernetes');

/** Every service folder with its port: the package.json `opsmesh` block, else the kit's default. */
const services = readdirSync(join(root, 'services'))
  .filter((d) => existsSync(join(root, 'services', d, 'package.json')))
  .map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, 'services', dir, 'package.json'), 'utf8')) as {
      name: string;
      opsmesh?: { port?: number; public?: boolean };
    };
    return {
      name: pkg.name,
      port: pkg.opsmesh?.port ?? DEFAULT_SERVICE_PORTS[pkg.name],
      public: pkg.opsmesh?.public ?? false,
    };
  });

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML, checked field by field below
type Doc = any;
const k8sDocs: Doc[] = readdirSync(k8sDir)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(join(k8sDir, f), 'utf8')).map((d) => d.toJS()));
const find = (kind: string, name: string) =>
  k8sDocs.find((d) => d?.kind === kind && d.metadata?.name === name);
const envOf = (container: Doc) =>
  Object.fromEntries((container.env ?? []).map((e: Doc) => [e.name, e.value]));

describe('deploy manifests match the services', () => {
  it('knows a port for every service, and the kit serves the probed health routes', () => {
    expect(services.map((s) => s.name).sort()).toEqual(
      ['auth-service', 'chatops-service', 'gateway', 'ml-service', 'monitoring-service'].sort(),
    );
    for (const s of services) expect(s.port, s.name).toBeTypeOf('number');
    const kit = readFileSync(join(root, 'packages/shared/src/service/create-service.ts'), 'utf8');
    expect(kit).toContain("app.get('/health/live'");
    expect(kit).toContain("app.get('/health/ready'");
  });

  it.each(services)('kubernetes: $name has a Deployment and Service on its port with both probes', (s) => {
    const deployment = find('Deployment', s.name);
    expect(deployment, `Deployment ${s.name}`).toBeDefined();
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toMatch(new RegExp(`^ghcr\\.io/opsmesh/${s.name}:\\d+\\.\\d+\\.\\d+$`));
    expect(container.ports[0].containerPort).toBe(s.port);
    expect(envOf(container).PORT).toBe(String(s.port));
    expect(envOf(container).HOST).toBe('0.0.0.0');
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: s.port });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: s.port });
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': s.name });
    const service = find('Service', s.name);
    expect(service.spec.ports[0].port).toBe(s.port);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.type ?? 'ClusterIP').toBe(s.public ? 'LoadBalancer' : 'ClusterIP');
    // The headless twin DNS discovery reads: one address per ready pod.
    const pods = find('Service', `${s.name}-pods`);
    expect(pods?.spec.clusterIP, `Service ${s.name}-pods`).toBe('None');
    expect(pods.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(pods.spec.ports[0].port).toBe(s.port);
  });

  it('kubernetes: discovery names every service at its port, and kustomize lists every file', () => {
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
    const kustomization = parse(readFileSync(join(k8sDir, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('kubernetes: the gateway ConfigMap holds exactly the repository gateway config', () => {
    const cm = find('ConfigMap', 'gateway-config');
    expect(cm.data['gateway.yaml']).toBe(
      readFileSync(join(root, 'services/gateway/config/gateway.yaml'), 'utf8'),
    );
    const gw = find('Deployment', 'gateway').spec.template.spec;
    expect(envOf(gw.containers[0]).GATEWAY_CONFIG).toBe('/etc/opsmesh/gateway.yaml');
    expect(gw.volumes.find((v: Doc) => v.name === 'config').configMap.name).toBe('gateway-config');
  });

  it.each(services)(
    'docker compose: $name runs on its port, health-checked, published only if public',
    (s) => {
      const compose = parse(readFileSync(join(root, 'deploy/docker-compose.yml'), 'utf8')) as {
        services: Record<string, Doc>;
      };
      const svc = compose.services[s.name];
      expect(svc, s.name).toBeDefined();
      expect(svc.image).toMatch(new RegExp(`^ghcr\\.io/opsmesh/${s.name}:`));
      expect(svc.environment.PORT).toBe(String(s.port));
      expect(svc.expose).toEqual([String(s.port)]);
      expect(svc.healthcheck.test.join(' ')).toContain(`127.0.0.1:${s.port}/health/ready`);
      expect(svc.ports ?? []).toEqual(s.public ? [`${s.port}:${s.port}`] : []);
      const dockerfile = join(root, svc.build.dockerfile);
      expect(existsSync(dockerfile), svc.build.dockerfile).toBe(true);
      // Every workspace's package.json is copied before `npm ci`, or the lockfile would not match.
      const text = readFileSync(dockerfile, 'utf8');
      for (const other of services) expect(text).toContain(`COPY services/${other.name}/package.json`);
    },
  );
});
