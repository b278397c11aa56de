// Alert evaluation and the alert state machine. For every rule, `conditions` lists the
// subjects it can see and whether the condition holds; `AlertEngine.evaluate` moves each
// (rule, subject) through pending → firing → resolved, deduplicated by that key.
import type { AlertRule, AlertView, Comparator } from './types';
import type { AnomalyView, TrendView } from '../detectors/types';
import type { Finding } from '../findings/types';
import type { LocationView } from '../../model/queries';
import type { Baselines } from '../baselines/baselines';
import { MINUTE_MS } from '../../timeseries/minuteSeries';
import { globMatch } from '../shared/glob';
import { parseDurationMs } from '../shared/normalize';
import { formatValue } from '../detectors/anomaly';
import { parseSeriesKey } from '../../timeseries/seriesKey';

export interface AlertContext {
  nowMs: number;
  baselines: Baselines;
  findings: Finding[];
  anomalies: AnomalyView[];
  trends: TrendView[];
}

export interface Condition {
  subject: string;
  service?: string;
  value: number;
  active: boolean;
  text: string;
  location?: LocationView;
}

/** A route glob matches `GET /orders/:id` or just `/orders/:id` (rules are usually written
 *  without the method). */
export function routeMatch(glob: string | undefined, endpoint: string): boolean {
  return globMatch(glob, endpoint) || globMatch(glob, endpoint.replace(/^[A-Z]+ /, ''));
}

function compare(v: number, op: Comparator, t: number): boolean {
  return op === '>' ? v > t : op === '>=' ? v >= t : op === '<' ? v < t : v <= t;
}

export function conditions(rule: AlertRule, ctx: AlertContext): Condition[] {
  const out: Condition[] = [];
  const win = (rule.windowMinutes ?? 5) * MINUTE_MS;
  const curMinute = Math.floor(ctx.nowMs / MINUTE_MS) * MINUTE_MS;
  const from = curMinute + MINUTE_MS - win;
  const to = curMinute + MINUTE_MS;
  const op = rule.op ?? '>';
  switch (rule.kind) {
    case 'errorRate':
    case 'latencyP95':
      for (const se of ctx.baselines.series.values()) {
        if (se.kind !== 'endpoint' || !globMatch(rule.service, se.service) || !routeMatch(rule.route, se.name)) continue;
        const w = se.window(from, to);
        if (w.count === 0) continue;
        const enough = w.count >= (rule.minCalls ?? 10);
        const value = rule.kind === 'errorRate' ? w.errors / w.count : w.hist.quantile(0.95);
        const threshold = rule.threshold ?? (rule.kind === 'errorRate' ? 0.05 : 1000);
        const shown = rule.kind === 'errorRate' ? `${(value * 100).toFixed(1)}% errors` : `p95 ${formatValue(value, 'ms')}`;
        out.push({
          subject: `${se.service} ${se.name}`, service: se.service, value, location: se.location,
          active: enough && compare(value, op, threshold),
          text: `${se.name} on ${se.service}: ${shown} over ${rule.windowMinutes ?? 5} min (${w.count} calls)`,
        });
      }
      break;
    case 'metric':
      for (const se of ctx.baselines.series.values()) {
        if (se.kind !== 'metric' || !globMatch(rule.metric, se.name) || !globMatch(rule.service, se.service)) continue;
        const v = se.value(se.buckets.get(se.lastMinuteMs), 'value');
        if (v === undefined || ctx.nowMs - se.lastMinuteMs > win + MINUTE_MS) continue;
        out.push({ subject: se.key, service: se.service, value: v, active: compare(v, op, rule.threshold ?? 0), text: `${se.name} on ${se.service} is ${formatValue(v, se.unit)}` });
      }
      break;
    case 'slowQueryCount': {
      // Slow calls (over the slow-query threshold) per service in the window.
      const perService = new Map<string, { calls: number; statements: number }>();
      for (const f of ctx.findings) {
        if (f.kind !== 'slowQuery' || !globMatch(rule.service, f.service)) continue;
        const n = (f.slowPerMinute ?? []).filter((p) => p.minuteMs >= from && p.minuteMs < to).reduce((x, p) => x + p.count, 0);
        if (!n) continue;
        const cur = perService.get(f.service) ?? { calls: 0, statements: 0 };
        perService.set(f.service, { calls: cur.calls + n, statements: cur.statements + 1 });
      }
      for (const [service, { calls, statements }] of perService) {
        out.push({ subject: service, service, value: calls, active: compare(calls, op, rule.threshold ?? 0), text: `${calls} slow quer${calls === 1 ? 'y' : 'ies'} (${statements} statement${statements === 1 ? '' : 's'}) on ${service} in ${rule.windowMinutes ?? 5} min` });
      }
      break;
    }
    case 'nPlusOneCount':
      for (const f of ctx.findings) {
        if (f.kind === 'slowQuery' || !globMatch(rule.service, f.service)) continue;
        const recent = f.lastSeenMs >= ctx.nowMs - win;
        out.push({
          subject: `${f.service} ${f.kind} ${f.statement}`, service: f.service, value: f.lastRepeats, location: f.location,
          active: recent && compare(f.lastRepeats, rule.op ?? '>=', rule.threshold ?? 0),
          text: `${f.kind === 'nPlusOne' ? 'N+1' : 'chatty HTTP'}: "${f.statement}" ${f.lastRepeats}× under ${f.parentName} (${f.service})`,
        });
      }
      break;
    case 'anomalous':
      for (const a of ctx.anomalies) {
        const wantSignal = rule.signal ?? (a.kind === 'metric' ? 'value' : 'p95');
        if (a.signal !== wantSignal || !globMatch(rule.service, a.service) || (rule.series && a.kind !== rule.series)) continue;
        if (rule.metric !== undefined && (a.kind !== 'metric' || !globMatch(rule.metric, a.name))) continue;
        if (rule.route !== undefined && (a.kind !== 'endpoint' || !routeMatch(rule.route, a.name))) continue;
        // Subject `service name (signal)`: readable, and route globs of status components match it.
        out.push({ subject: `${a.service} ${a.name} (${a.signal})${a.kind === 'location' ? ' @code' : ''}`, service: a.service, value: a.value, active: true, text: a.text, location: a.location });
      }
      break;
    case 'trendLimit':
      for (const t of ctx.trends) {
        if (!globMatch(rule.metric, t.name) || !globMatch(rule.service, t.service)) continue;
        const active = t.minutesToLimit !== undefined && t.minutesToLimit <= (rule.withinMinutes ?? 60);
        const parsed = parseSeriesKey(t.seriesKey);
        const attrs = parsed?.kind === 'm' ? parsed.values[2] : '';
        out.push({ subject: `${t.service} ${t.name}${attrs ? ` {${attrs}}` : ''}`, service: t.service, value: t.minutesToLimit ?? Infinity, active, text: t.text });
      }
      break;
  }
  return out;
}

export interface AlertTransitions {
  fired: AlertView[];
  resolved: AlertView[];
  changed: boolean;
}

export interface AlertsState {
  active: AlertView[];
  history: AlertView[];
}

export class AlertEngine {
  private readonly active = new Map<string, AlertView>();
  private history: AlertView[] = [];

  constructor(private readonly maxHistory = 500) {}

  evaluate(rules: AlertRule[], ctx: AlertContext): AlertTransitions {
    const t: AlertTransitions = { fired: [], resolved: [], changed: false };
    const seen = new Set<string>();
    for (const rule of rules) {
      const forMs = parseDurationMs(rule.for);
      for (const c of conditions(rule, ctx)) {
        const key = `${rule.id}|${c.subject}`;
        const cur = this.active.get(key);
        if (!c.active) continue;
        seen.add(key);
        if (!cur) {
          const a: AlertView = {
            key, ruleId: rule.id, title: rule.title ?? rule.id, severity: rule.severity, state: 'pending', subject: c.subject,
            service: c.service, value: c.value, text: c.text, pendingSinceMs: ctx.nowMs, lastEvalMs: ctx.nowMs, location: c.location,
          };
          this.active.set(key, a);
          t.changed = true;
          if (forMs === 0) this.fire(a, ctx.nowMs, t);
          continue;
        }
        cur.value = c.value;
        cur.text = c.text;
        cur.lastEvalMs = ctx.nowMs;
        if (c.location) cur.location = c.location;
        if (cur.state === 'pending' && ctx.nowMs - cur.pendingSinceMs >= forMs) this.fire(cur, ctx.nowMs, t);
      }
    }
    for (const [key, a] of this.active) {
      if (seen.has(key)) continue;
      this.active.delete(key);
      t.changed = true;
      if (a.state === 'firing') {
        a.state = 'resolved';
        a.resolvedAtMs = ctx.nowMs;
        this.history.unshift(a);
        if (this.history.length > this.maxHistory) this.history.length = this.maxHistory;
        t.resolved.push(a);
      }
    }
    return t;
  }

  private fire(a: AlertView, nowMs: number, t: AlertTransitions): void {
    a.state = 'firing';
    a.firingSinceMs = nowMs;
    t.fired.push(a);
    t.changed = true;
  }

  list(): AlertView[] {
    return [...this.active.values(), ...this.history];
  }

  firing(): AlertView[] {
    return [...this.active.values()].filter((a) => a.state === 'firing');
  }

  get(key: string): AlertView | undefined {
    return this.active.get(key) ?? this.history.find((a) => a.key === key);
  }

  /** Forgets every alert, active or past (Clear Data). */
  reset(): void {
    this.load({ active: [], history: [] });
  }

  toJSON(): AlertsState {
    return { active: [...this.active.values()], history: this.history };
  }

  load(s: AlertsState): void {
    this.active.clear();
    for (const a of s.active) this.active.set(a.key, a);
    this.history = s.history;
  }
}
