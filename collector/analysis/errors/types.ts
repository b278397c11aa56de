// Error groups as the live protocol serves them (JSON-safe: times are epoch milliseconds).
import type { LocationView } from '../../model/queries';

export const ERROR_GROUP_STATES = ['new', 'ongoing', 'resolved', 'regressed', 'ignored'] as const;
export type ErrorGroupState = (typeof ERROR_GROUP_STATES)[number];

/** One part of a fingerprint, with whether it went into the hash and why. */
export interface FingerprintComponent {
  name: 'type' | 'frames' | 'message';
  contributes: boolean;
  values: string[];
  hint: string;
}

export interface Fingerprint {
  /** Strategy version; a new strategy gets a new version so old groups are not silently re-cut. */
  version: string;
  hash: string;
  components: FingerprintComponent[];
}

export interface ErrorSample {
  atMs: number;
  traceId?: string;
  spanId?: string;
  service: string;
  revision?: string;
  type: string;
  message: string;
  /** Raw stack, cut to a bounded length. Never shown on the public status page. */
  stack?: string;
  location?: LocationView;
  /** Which fingerprint (member of the group) this event had. */
  fingerprint: string;
  source: 'spanEvent' | 'log' | 'spanStatus';
  /** E.g. `SQLSTATE 42601` for a database error typed by its name. */
  detail?: string;
}

export interface ErrorGroupMember {
  fingerprint: Fingerprint;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
}

/** Who wrote the code at the top in-app frame (filled asynchronously by the git component). */
export interface Attribution {
  commit?: string;
  aiDiffId?: string;
  summary?: string;
}

export interface ErrorGroupView {
  id: string;
  type: string;
  /** The parameterised message (what grouping saw). */
  title: string;
  state: ErrorGroupState;
  stateReason?: string;
  count: number;
  firstSeenMs: number;
  lastSeenMs: number;
  services: string[];
  revisions: string[];
  location?: LocationView;
  attribution?: Attribution;
  resolvedAtMs?: number;
  resolvedInRevision?: string;
  members: ErrorGroupMember[];
  samples: ErrorSample[];
  /** Occurrences per hour, `[hourStartMs, count]`, oldest first, the last 48 hours of
   *  activity (the samples are capped, these counts are not). */
  hourly?: [number, number][];
}

export interface ErrorFilter {
  service?: string;
  state?: ErrorGroupState | ErrorGroupState[];
  file?: string;
  limit?: number;
}

export type ErrorAction =
  | { action: 'resolve'; groupId: string; inRevision?: string }
  | { action: 'ignore'; groupId: string }
  | { action: 'unignore'; groupId: string }
  | { action: 'merge'; groupId: string; otherIds: string[] }
  | { action: 'split'; groupId: string; fingerprint: string };
