// What a `changed` notice can say has new data: the three telemetry signals, and the views the
// collector computes from them. One list for the collector, the extension and the panels, so a
// listener can only wait for a topic something sends. A change that cannot be said precisely
// (data cleared, a client fell behind) is a resync: refetch everything.
export const SIGNAL_TOPICS = ['spans', 'logs', 'metrics'] as const;
export const CHANGE_TOPICS = [...SIGNAL_TOPICS, 'errors', 'findings', 'anomalies', 'alerts', 'incidents', 'status', 'config', 'aiDiffs'] as const;

export type SignalTopic = (typeof SIGNAL_TOPICS)[number];
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

const KNOWN = new Set<string>(CHANGE_TOPICS);
export function isChangeTopic(t: unknown): t is ChangeTopic {
  return typeof t === 'string' && KNOWN.has(t);
}
