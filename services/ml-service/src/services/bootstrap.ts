import { readFile } from 'node:fs/promises';
import type { RegistryService } from './registry-service.js';

export const SHIPPED_MODEL = {
  name: 'iris-classifier',
  file: new URL('../../models/iris-classifier.onnx', import.meta.url),
  description:
    'Iris species from 4 measurements (cm); trained by scripts/train-iris.ts on the UCI copy of Fisher (1936)',
} as const;

/**
 * On first start, registers the model shipped in models/ as version 1 with alias
 * `production`. Does nothing once the model exists, so a deleted alias or a newer
 * production version set by a person is never overridden; replicas starting together
 * register it once between them.
 */
export async function registerShippedModel(
  registry: RegistryService,
  logger: { info: (o: object, m: string) => void },
) {
  if (await registry.getModel(SHIPPED_MODEL.name).catch(() => undefined)) return false;
  const bytes = new Uint8Array(await readFile(SHIPPED_MODEL.file));
  const version = await registry.registerOnce({
    name: SHIPPED_MODEL.name,
    bytes,
    by: 'system',
    description: SHIPPED_MODEL.description,
    alias: 'production',
  });
  if (!version) return false;
  logger.info(
    { model: SHIPPED_MODEL.name, version: version.version },
    'shipped model registered with alias production',
  );
  return true;
}
