// Deploy markers: the first time a service reports a revision it had not reported before.
// Observes batches as a pipeline Processor; state is persisted through the store's small
// state interface, written only when something changed.
import type { Processor } from '../pipeline';
import { nsToMs } from '../model/time';
import type { Resource, TelemetryBatch } from '../model/types';
import { revisionFromAttributes } from '../model/revision';
import type { DeployMarker } from './types';
import type { DurableState } from '../store/api';

const KEY = 'git.deploys';
/** Markers kept per service (oldest dropped first). */
const MAX_MARKERS = 200;

interface Saved {
  services: Record<string, { current: string; markers: DeployMarker[] }>;
}

export class DeployTracker {
  private saved: Saved = { services: {} };
  private loaded?: Promise<void>;
  private listeners: ((m: DeployMarker) => void)[] = [];

  constructor(private readonly state: DurableState) {}

  /** Bind with `countedProcessor('deploys', tracker.processor, counters)`. */
  readonly processor: Processor = async (batch) => {
    await this.observe(batch);
  };

  onDeploy(fn: (m: DeployMarker) => void): void {
    this.listeners.push(fn);
  }

  async observe(batch: TelemetryBatch): Promise<DeployMarker[]> {
    await this.load();
    const seen = new Map<string, { resource: Resource; timeMs: number }>();
    const note = (resource: Resource, timeNs: bigint) => {
      const k = resource.serviceName;
      const t = nsToMs(timeNs);
      const prev = seen.get(k);
      if (!prev || t < prev.timeMs) seen.set(k, { resource, timeMs: t });
    };
    // One resource per service per batch is typical; the earliest item time dates the deploy.
    for (const s of batch.spans) note(s.resource, s.startNs);
    for (const l of batch.logs) note(l.resource, l.timeNs || l.observedTimeNs);
    for (const m of batch.metrics) note(m.resource, m.timeNs);
    const fresh: DeployMarker[] = [];
    let changed = false;
    for (const [service, { resource, timeMs }] of seen) {
      const fromAttrs = revisionFromAttributes(resource.attributes);
      // A receiver may have set `resource.revision` already; it wins over the attributes.
      const ref = resource.revision ? { kind: fromAttrs?.kind ?? 'sha', attribute: fromAttrs?.attribute ?? 'vcs.ref.head.revision', revision: resource.revision } : fromAttrs;
      if (!ref) continue;
      const svc = this.saved.services[service];
      if (svc?.current === ref.revision) continue;
      if (svc?.markers.some((m) => m.revision === ref.revision)) {
        // A rollback to a known revision: the running revision changes, no new marker.
        svc.current = ref.revision;
        changed = true;
        continue;
      }
      const marker: DeployMarker = { service, revision: ref.revision, kind: ref.kind, attribute: ref.attribute, firstSeenMs: Math.round(timeMs) || nsToMs(batch.receivedAtNs), ...(svc ? { previous: svc.current } : {}) };
      const markers = [...(svc?.markers ?? []), marker].slice(-MAX_MARKERS);
      this.saved.services[service] = { current: ref.revision, markers };
      fresh.push(marker);
      for (const fn of this.listeners) fn(marker);
    }
    if (fresh.length || changed) await this.state.putState(KEY, this.saved);
    return fresh;
  }

  /** The revision a service reports now. */
  current(service: string): string | undefined {
    return this.saved.services[service]?.current;
  }

  /** Deploy markers, oldest first (one service or all). */
  markers(service?: string): DeployMarker[] {
    const all = service ? (this.saved.services[service]?.markers ?? []) : Object.values(this.saved.services).flatMap((s) => s.markers);
    return [...all].sort((a, b) => a.firstSeenMs - b.firstSeenMs);
  }

  async load(): Promise<void> {
    this.loaded ??= this.state.getState<Saved>(KEY).then((s) => {
      if (s?.services) this.saved = s;
    });
    return this.loaded;
  }
}
