// Anomalies and trends as the live protocol serves them.
import type { LocationView, SeriesSignal, SeriesSummary } from '../../model/queries';

export interface AnomalyView {
  seriesKey: string;
  signal: SeriesSignal;
  kind: SeriesSummary['kind'];
  service: string;
  name: string;
  sinceMs: number;
  value: number;
  median: number;
  mad: number;
  score: number;
  direction: 'up' | 'down';
  location?: LocationView;
  text: string;
}

export interface TrendView {
  seriesKey: string;
  service: string;
  name: string;
  unit?: string;
  slopePerMin: number;
  r2: number;
  current: number;
  limit?: number;
  minutesToLimit?: number;
  text: string;
}

export interface AnomaliesResult {
  anomalies: AnomalyView[];
  trends: TrendView[];
}
