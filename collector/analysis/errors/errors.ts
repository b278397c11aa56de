// Error groups: one group per fingerprint (or several, after a merge). The stored state is
// the view itself (JSON-safe), so save/load is a copy. Contract: `ingest` runs off the ingest
// path (from the analyzer's flush), because it parses stacks.
import type { ErrorAction, ErrorFilter, ErrorGroupState, ErrorGroupView, ErrorSample, Fingerprint } from './types';
import type { LocationView } from '../../model/queries';
import type { ExceptionOccurrence } from './exceptions';
import type { StackParser } from './fingerprint';
import type { StackFrame } from '../../source/types';
import { computeFingerprint } from './fingerprint';
import { BoundedCache, parameteriseMessage } from '../shared/normalize';

const STACKS_KEPT = 2;

export interface ErrorTrackerOptions {
  parser: StackParser;
  maxSamples: number;
  maxGroups: number;
  /** A group stays `new` this long after first seen, then becomes `ongoing`. */
  newForMs: number;
  /** Places a stack's throwing frame in the workspace (collector/source's Locator). An error
   *  belongs at the line that threw, not at the line where its span started. `revision` is
   *  the revision the service ran, for the same revision → today line mapping spans get. */
  locateStack?: (stack: string, runtime?: string, revision?: string) => LocationView | undefined;
}

export interface ErrorsState {
  groups: ErrorGroupView[];
  aliases: [string, string][];
  revisions: [string, string[]][];
  resolvedRevisions: [string, string[]][];
}

export class ActionError extends Error {
  constructor(readonly code: 'bad_request' | 'not_found', message: string) {
    super(message);
  }
}

export class ErrorTracker {
  private readonly groups = new Map<string, ErrorGroupView>();
  /** fingerprint hash (or a merged-away group id) → group id. */
  private readonly aliases = new Map<string, string>();
  /** service → revisions in the order first seen. */
  private readonly revisions = new Map<string, string[]>();
  /** group id → revisions seen before it was resolved "in revision X". */
  private readonly resolvedRevisions = new Map<string, string[]>();
  private readonly parseCache = new BoundedCache<{ type: string; fp: Fingerprint; top?: LocationView; thrownAt?: LocationView }>(2000);

  constructor(private readonly opts: ErrorTrackerOptions) {}

  /** Records that a service runs a revision (cheap; called for every span batch). */
  noteRevision(service: string, revision: string | undefined): void {
    if (!revision) return;
    const list = this.revisions.get(service);
    if (!list) this.revisions.set(service, [revision]);
    else if (list[list.length - 1] !== revision && !list.includes(revision)) {
      list.push(revision);
      if (list.length > 50) list.shift();
    }
  }

  /** Returns the group id and whether the group is new or changed state. */
  ingest(occ: ExceptionOccurrence): { groupId: string; created: boolean; stateChanged: boolean } {
    this.noteRevision(occ.service, occ.revision);
    // The revision is part of the key: the same stack names different lines today per revision.
    const cacheKey = `${occ.revision ?? ''}\n${occ.type}\n${occ.message}\n${occ.stack ?? ''}`;
    let cached = this.parseCache.get(cacheKey);
    if (!cached) {
      const parsed = occ.stack ? this.opts.parser.parseStackTrace(occ.stack, occ.runtime) : undefined;
      // The SDK's `exception.type` wins; without one, the stack's primary exception (the one
      // raised, not one of its causes) names the type.
      const type = occ.typeFromStack && parsed?.type ? parsed.type.slice(0, 200) : occ.type;
      // The throw site: the primary exception's first in-app frame, else its nearest cause's
      // (a framework wrapper such as Spring's often has no app frame of its own).
      const chain = parsed ? [parsed, ...(parsed.causes ?? [])] : [];
      let f: StackFrame | undefined;
      for (const e of chain) if ((f = e.frames.find((x) => x.inApp && x.file))) break;
      const top: LocationView | undefined = f?.file && f.line !== undefined ? { file: f.file, line: f.line, column: f.column, function: f.function } : undefined;
      const thrownAt = occ.stack ? this.opts.locateStack?.(occ.stack, occ.runtime, occ.revision) : undefined;
      cached = { type, fp: computeFingerprint(type, occ.message, parsed), top, thrownAt };
      this.parseCache.set(cacheKey, cached);
    }
    const fp = cached.fp;
    const type = cached.type;
    const location = cached.thrownAt ?? occ.location ?? cached.top;
    const sample: ErrorSample = {
      atMs: occ.atMs, traceId: occ.traceId, spanId: occ.spanId, service: occ.service, revision: occ.revision,
      type, message: occ.message, stack: occ.stack, location, fingerprint: fp.hash, source: occ.source, ...(occ.detail ? { detail: occ.detail } : {}),
    };
    const id = this.aliases.get(fp.hash) ?? fp.hash;
    let g = this.groups.get(id);
    if (!g) {
      this.evictIfFull();
      const revs = occ.revision ? this.revisions.get(occ.service) ?? [] : [];
      const newRevision = occ.revision !== undefined && revs.length > 1 && revs[0] !== occ.revision;
      g = {
        id, type, title: parameteriseMessage(occ.message) || type,
        state: newRevision ? 'regressed' : 'new',
        stateReason: newRevision ? `first appeared in revision ${occ.revision} (the service ran ${revs[revs.indexOf(occ.revision!) - 1] ?? revs[0]} before)` : 'first seen',
        count: 0, firstSeenMs: occ.atMs, lastSeenMs: occ.atMs, services: [], revisions: [], location,
        members: [{ fingerprint: fp, count: 0, firstSeenMs: occ.atMs, lastSeenMs: occ.atMs }], samples: [],
      };
      this.groups.set(id, g);
      this.aliases.set(fp.hash, id);
      this.add(g, sample);
      return { groupId: id, created: true, stateChanged: true };
    }
    let member = g.members.find((m) => m.fingerprint.hash === fp.hash);
    if (!member) g.members.push((member = { fingerprint: fp, count: 0, firstSeenMs: occ.atMs, lastSeenMs: occ.atMs }));
    const stateChanged = this.maybeRegress(g, occ);
    this.add(g, sample);
    if ((!g.location || g.location.unplaced) && location && !location.unplaced) g.location = location;
    return { groupId: id, created: false, stateChanged };
  }

  private maybeRegress(g: ErrorGroupView, occ: ExceptionOccurrence): boolean {
    if (g.state !== 'resolved') return false;
    const before = this.resolvedRevisions.get(g.id);
    // Resolved "in revision X": events from revisions that ran before the fix are old news.
    if (g.resolvedInRevision && occ.revision && before?.includes(occ.revision) && occ.revision !== g.resolvedInRevision) return false;
    g.state = 'regressed';
    g.stateReason = `came back after being resolved${occ.revision ? ` (revision ${occ.revision})` : ''}`;
    return true;
  }

  private add(g: ErrorGroupView, s: ErrorSample): void {
    g.count++;
    addHourly(g, s.atMs, 1);
    if (s.atMs < g.firstSeenMs) g.firstSeenMs = s.atMs;
    if (s.atMs > g.lastSeenMs) g.lastSeenMs = s.atMs;
    if (!g.services.includes(s.service) && g.services.length < 50) g.services.push(s.service);
    if (s.revision && !g.revisions.includes(s.revision) && g.revisions.length < 50) g.revisions.push(s.revision);
    const m = g.members.find((x) => x.fingerprint.hash === s.fingerprint);
    if (m) {
      m.count++;
      m.firstSeenMs = Math.min(m.firstSeenMs, s.atMs);
      m.lastSeenMs = Math.max(m.lastSeenMs, s.atMs);
    }
    g.samples.unshift(s);
    if (g.samples.length > this.opts.maxSamples) g.samples.length = this.opts.maxSamples;
    // Raw stacks are kept on the newest samples only: they dominate the saved state's size.
    for (let i = STACKS_KEPT; i < g.samples.length; i++) delete g.samples[i].stack;
  }

  private evictIfFull(): void {
    if (this.groups.size < this.opts.maxGroups) return;
    let oldest: ErrorGroupView | undefined;
    for (const g of this.groups.values()) if (!oldest || g.lastSeenMs < oldest.lastSeenMs) oldest = g;
    if (oldest) this.groups.delete(oldest.id);
  }

  /** new → ongoing once the group is older than `newForMs`. Returns whether anything changed. */
  tick(nowMs: number): boolean {
    let changed = false;
    for (const g of this.groups.values()) {
      if (g.state === 'new' && nowMs - g.firstSeenMs > this.opts.newForMs) {
        g.state = 'ongoing';
        g.stateReason = 'seen for longer than the "new" window';
        changed = true;
      }
    }
    return changed;
  }

  resolveId(id: string): string | undefined {
    if (this.groups.has(id)) return id;
    const a = this.aliases.get(id);
    return a && this.groups.has(a) ? a : undefined;
  }

  get(id: string): ErrorGroupView | undefined {
    const r = this.resolveId(id);
    return r ? this.groups.get(r) : undefined;
  }

  list(filter: ErrorFilter = {}): ErrorGroupView[] {
    const states = filter.state === undefined ? undefined : Array.isArray(filter.state) ? filter.state : [filter.state];
    const out = [...this.groups.values()].filter(
      (g) =>
        (!filter.service || g.services.includes(filter.service)) &&
        (!states || states.includes(g.state)) &&
        (!filter.file || g.location?.file === filter.file || g.samples.some((s) => s.location?.file === filter.file)),
    );
    out.sort((a, b) => b.lastSeenMs - a.lastSeenMs);
    return out.slice(0, filter.limit ?? 200);
  }

  action(a: ErrorAction, nowMs: number): ErrorGroupView[] {
    const g = this.get(a.groupId);
    if (!g) throw new ActionError('not_found', `no error group ${a.groupId}`);
    const setState = (s: ErrorGroupState, reason: string) => {
      g.state = s;
      g.stateReason = reason;
    };
    switch (a.action) {
      case 'resolve':
        setState('resolved', a.inRevision ? `resolved in revision ${a.inRevision}` : 'resolved by a user');
        g.resolvedAtMs = nowMs;
        g.resolvedInRevision = a.inRevision;
        this.resolvedRevisions.set(g.id, [...g.revisions]);
        return [g];
      case 'ignore':
        setState('ignored', 'ignored by a user');
        return [g];
      case 'unignore':
        setState('ongoing', 'un-ignored by a user');
        return [g];
      case 'merge':
        return [this.merge(g, a.otherIds)];
      case 'split':
        return this.split(g, a.fingerprint);
    }
  }

  private merge(g: ErrorGroupView, otherIds: string[]): ErrorGroupView {
    for (const oid of otherIds) {
      const o = this.get(oid);
      if (!o || o.id === g.id) continue;
      for (const m of o.members) {
        g.members.push(m);
        this.aliases.set(m.fingerprint.hash, g.id);
      }
      this.aliases.set(o.id, g.id);
      g.count += o.count;
      for (const [h, n] of o.hourly ?? []) addHourly(g, h, n);
      g.firstSeenMs = Math.min(g.firstSeenMs, o.firstSeenMs);
      g.lastSeenMs = Math.max(g.lastSeenMs, o.lastSeenMs);
      for (const s of o.services) if (!g.services.includes(s)) g.services.push(s);
      for (const r of o.revisions) if (!g.revisions.includes(r)) g.revisions.push(r);
      g.samples = [...g.samples, ...o.samples].sort((a, b) => b.atMs - a.atMs).slice(0, this.opts.maxSamples);
      this.groups.delete(o.id);
    }
    return g;
  }

  /** Moves one member fingerprint out into its own group. Services and revisions are copied
   *  (they are not tracked per member). */
  private split(g: ErrorGroupView, hash: string): ErrorGroupView[] {
    const member = g.members.find((m) => m.fingerprint.hash === hash);
    if (!member) throw new ActionError('not_found', `group ${g.id} has no member ${hash}`);
    if (g.members.length < 2) throw new ActionError('bad_request', `group ${g.id} has only one member`);
    const rest = g.members.filter((m) => m !== member);
    const samples = g.samples.filter((s) => s.fingerprint === hash);
    const first = samples[0];
    const ng: ErrorGroupView = {
      id: hash === g.id ? `${hash}-split` : hash,
      type: first?.type ?? g.type,
      title: first ? parameteriseMessage(first.message) || first.type : g.title,
      state: 'ongoing', stateReason: `split from ${g.id}`,
      count: member.count, firstSeenMs: member.firstSeenMs, lastSeenMs: member.lastSeenMs,
      services: [...g.services], revisions: [...g.revisions], location: first?.location ?? g.location,
      members: [member], samples,
    };
    g.members = rest;
    g.samples = g.samples.filter((s) => s.fingerprint !== hash);
    g.count -= member.count;
    g.firstSeenMs = Math.min(...rest.map((m) => m.firstSeenMs));
    g.lastSeenMs = Math.max(...rest.map((m) => m.lastSeenMs));
    this.groups.set(ng.id, ng);
    this.aliases.set(hash, ng.id);
    return [g, ng];
  }

  /** Forgets every group (Clear Data). */
  reset(): void {
    this.load({ groups: [], aliases: [], revisions: [], resolvedRevisions: [] });
  }

  toJSON(): ErrorsState {
    return {
      groups: [...this.groups.values()],
      aliases: [...this.aliases],
      revisions: [...this.revisions],
      resolvedRevisions: [...this.resolvedRevisions],
    };
  }

  load(s: ErrorsState): void {
    this.groups.clear();
    for (const g of s.groups) this.groups.set(g.id, g);
    this.aliases.clear();
    for (const [k, v] of s.aliases) this.aliases.set(k, v);
    this.revisions.clear();
    for (const [k, v] of s.revisions) this.revisions.set(k, v);
    this.resolvedRevisions.clear();
    for (const [k, v] of s.resolvedRevisions) this.resolvedRevisions.set(k, v);
  }
}

const HOUR_MS = 3_600_000;
const HOURLY_KEPT = 48;

/** Counts `n` occurrences at `atMs` into the group's hourly series (kept sorted, bounded). */
function addHourly(g: ErrorGroupView, atMs: number, n: number): void {
  const hour = Math.floor(atMs / HOUR_MS) * HOUR_MS;
  const list = (g.hourly ??= []);
  let i = list.length - 1;
  while (i >= 0 && list[i][0] > hour) i--;
  if (i >= 0 && list[i][0] === hour) list[i][1] += n;
  else list.splice(i + 1, 0, [hour, n]);
  const newest = list[list.length - 1][0];
  while (list.length && list[0][0] <= newest - HOURLY_KEPT * HOUR_MS) list.shift();
}
