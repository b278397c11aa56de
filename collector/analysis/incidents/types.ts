// Incidents, their timelines and suspects, as the live protocol serves them.
import type { Severity } from '../shared/severity';

export type IncidentState = 'triggered' | 'acknowledged' | 'resolved';
export const INCIDENT_PUBLIC_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentPublicState = (typeof INCIDENT_PUBLIC_STATES)[number];

export interface TimelineEntry {
  atMs: number;
  kind: 'alert' | 'state' | 'note' | 'deploy' | 'aiDiff' | 'statusUpdate';
  text: string;
  alertKey?: string;
  commit?: string;
  aiDiffId?: string;
  author?: string;
}

export interface PublicUpdate {
  atMs: number;
  status: IncidentPublicState;
  message: string;
}

export interface IncidentView {
  id: string;
  number: number;
  title: string;
  service: string;
  severity: Severity;
  state: IncidentState;
  openedAtMs: number;
  acknowledgedAtMs?: number;
  resolvedAtMs?: number;
  alertKeys: string[];
  timeline: TimelineEntry[];
  publicTitle: string;
  publicUpdates: PublicUpdate[];
  runbookIds: string[];
  /** AI diffs in the running revision, those whose functions fail first. */
  suspects?: IncidentSuspect[];
}

export type IncidentAction =
  | { action: 'ack'; incidentId: string; author?: string }
  | { action: 'resolve'; incidentId: string; author?: string }
  | { action: 'note'; incidentId: string; text: string; author?: string }
  | { action: 'statusUpdate'; incidentId: string; status: IncidentPublicState; message: string };

/** Something shipped shortly before an incident (supplied by the git component). */
export interface ChangeEntry {
  atMs: number;
  kind: 'deploy' | 'aiDiff';
  text: string;
  commit?: string;
  aiDiffId?: string;
  /** For AI diffs in the running revision: how strongly it is suspected, and why. */
  suspect?: { score: number; why: string };
}

/** An AI diff suspected of causing an incident, most suspected first (see changes.ts). */
export interface IncidentSuspect {
  aiDiffId: string;
  commit?: string;
  text: string;
  score: number;
  why: string;
}

