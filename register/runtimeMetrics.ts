// Process memory as observable gauges, read once per metric export (no timer of our own).
// Names follow the semantic conventions so the collector's memory-trend detector finds
// them: `process.memory.usage` (RSS, bytes) and `v8js.memory.heap.used` (bytes); one
// name per meaning, no `type` attribute to split a series on.
import type { Meter } from '@opentelemetry/api';
import { getHeapStatistics } from 'node:v8';

export function registerRuntimeMetrics(meter: Meter): void {
  const rss = meter.createObservableGauge('process.memory.usage', {
    description: 'Resident set size of the process',
    unit: 'By',
  });
  const heapUsed = meter.createObservableGauge('v8js.memory.heap.used', {
    description: 'V8 heap in use',
    unit: 'By',
  });
  // The collector's trend detector reads `<x>.limit` as the ceiling of `<x>.used`.
  const heapLimit = meter.createObservableGauge('v8js.memory.heap.limit', {
    description: 'The most the V8 heap may grow to (--max-old-space-size and friends)',
    unit: 'By',
  });
  const uptime = meter.createObservableGauge('process.uptime', { description: 'Seconds since the process started', unit: 's' });
  meter.addBatchObservableCallback(
    (obs) => {
      const m = process.memoryUsage();
      obs.observe(rss, m.rss);
      obs.observe(heapUsed, m.heapUsed);
      obs.observe(heapLimit, getHeapStatistics().heap_size_limit);
      obs.observe(uptime, process.uptime());
    },
    [rss, heapUsed, heapLimit, uptime],
  );
}
