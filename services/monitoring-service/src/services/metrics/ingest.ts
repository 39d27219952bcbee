import { sortPairs } from './label-pairs.js';
import type { Labels } from './labels.js';
import { detach, scanLabelBlock } from './labels.js';
import type { SampleStore } from './sample-store.js';
import type { StoredSeries } from './scrape-group.js';
import { scanText, scanValue, TextFormatError } from './text-scanner.js';

export interface IngestResult {
  samples: number;
  newSeries: number;
  rejected: number;
}

/**
 * Appends one scrape of a target to the store. Target labels (`service`, `instance`) win
 * over labels of the same name exposed by the target, as with Prometheus' honor_labels off.
 * Labels are parsed only for series this target has not exposed before (the scrape cache),
 * so a steady-state scrape costs one scan and one map lookup per sample.
 * Throws TextFormatError on a malformed exposition; extra samples appended before the
 * error stay, and the caller records the scrape as failed.
 */
export function ingestExposition(
  store: SampleStore,
  groupKey: string,
  targetLabels: Labels,
  text: string,
  timestampMs: number,
  extra: ReadonlyArray<readonly [name: string, value: number]> = [],
): IngestResult {
  const appender = store.begin(groupKey, timestampMs);
  const result: IngestResult = { samples: 0, newSeries: 0, rejected: 0 };
  // The scraper's own series (up, scrape_duration_seconds) use a cache key no exposition can contain.
  const targetNames = Object.keys(targetLabels);
  const withTarget = (pairs: string[]) => {
    for (const k of targetNames) pairs.push(k, targetLabels[k]!);
    return sortPairs(pairs);
  };
  const addOwn = (name: string, value: number) => {
    const raw = '\u0000' + name;
    if (!appender.addCached(raw, value)) appender.addNew(raw, name, withTarget([]), value);
  };
  const order = appender.order;
  let position = 0;
  const remember = (raw: string, series: StoredSeries) => {
    order[position++] = { raw, series };
  };
  try {
    scanText(text, {
      help() {},
      type() {},
      // Steady state: the line starts with the series the target listed at this position last
      // time; compare in place and read the value.
      fastSample(body, start, end, line) {
        const expected = order[position];
        if (expected === undefined || !body.startsWith(expected.raw, start)) return false;
        const after = start + expected.raw.length;
        const c = body.charCodeAt(after);
        if (c !== 32 && c !== 9) return false;
        const { value } = scanValue(body, after, end, line, expected.series.name);
        appender.addSeries(expected.series, value);
        position++;
        result.samples++;
        return true;
      },
      sample(name, series, labelBlock, value, _ts, line) {
        result.samples++;
        const known = appender.addCached(series, value);
        if (known) {
          // Out of its usual place (a series appeared or vanished before it): re-learn the order.
          remember(detach(series), known);
          return;
        }
        const pairs: string[] = [];
        scanLabelBlock(labelBlock, line, (label, labelValue) => {
          for (let i = 0; i < pairs.length; i += 2) {
            if (pairs[i] === label) throw new TextFormatError(line, `duplicate label "${label}"`);
          }
          // Target labels win over exposed ones of the same name.
          if (!Object.hasOwn(targetLabels, label)) pairs.push(label, labelValue);
        });
        const raw = detach(series);
        const created = appender.addNew(raw, name, withTarget(pairs), value);
        if (created) {
          result.newSeries++;
          remember(raw, created);
        } else result.rejected++;
      },
    });
  } finally {
    order.length = position;
    for (const [name, value] of extra) addOwn(name, value);
    appender.commit();
  }
  return result;
}
