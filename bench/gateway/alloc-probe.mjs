// Allocation sampling of a process under load, preloaded with `--import`: V8's sampling heap
// profiler, keeping the objects young and old collections already freed (a request's garbage
// is what costs scavenges). SIGUSR2 starts sampling; the next SIGUSR2 stops it and writes the
// profile to `$ALLOC_PROBE_DIR/probe-<pid>.heapprofile` (DevTools opens it), then a `.done`
// file beside it. The bench divides the profile's bytes by the requests answered in between.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const dir = process.env['ALLOC_PROBE_DIR'];
if (dir) {
  const out = `${dir}/probe-${process.pid}.heapprofile`;
  const session = new Session();
  session.connect();
  const interval = Number(process.env['ALLOC_PROBE_INTERVAL'] ?? 1024);
  let sampling = false;
  process.on('SIGUSR2', async () => {
    if (!sampling) {
      sampling = true;
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: interval,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      return;
    }
    sampling = false;
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(out, JSON.stringify(profile));
    writeFileSync(`${out}.done`, '');
  });
}
