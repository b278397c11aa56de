// Calls, errors and latency per code location *per running revision*, one cell each, so an
// AI diff can be compared before and after it shipped. Fed from the same rows as the lens
// lines (after source mapping and line remapping: locations are today's lines), with the
// same error rule and the same counted location, so before/after and the lens agree.
// Two roles are kept apart: a unit's own spans and the queries it issues (client / database
// spans), so an N+1 added to a function never dilutes the function's latency.
// Bounded: at most `maxLocations` (role, file, line) × `maxRevisions` revisions each (the
// least recently seen revision of a location is dropped first).
import type { Attributes } from '../model/types';
import { SpanKind } from '../model/types';
import { revisionOf } from '../model/revision';
import type { SpanRole } from '../model/spanOutcome';
import { rowFailed, type RowBatch, type SpanRow } from '../store/rows';
import type { Cell, CellJson } from './cell';
import { cellFromJson, cellToJson, newCell, observe } from './cell';
import { revisionKey } from './seriesKey';
import { SeriesTable } from './seriesTable';

export type { SpanRole } from '../model/spanOutcome';

export interface RevisionCell {
  role: SpanRole;
  file: string;
  line: number;
  revision: string;
  cell: Cell & { hist: NonNullable<Cell['hist']> };
  lastMs: number;
}

/** `[role, file, line, revision, cell, lastMs]`. */
export type RevisionCellJson = [SpanRole, string, number, string, CellJson, number];

export interface RevisionCellsOptions {
  maxLocations?: number;
  maxRevisions?: number;
}

export class RevisionCells {
  private readonly maxLocations: number;
  private readonly maxRevisions: number;
  private readonly table: SeriesTable<RevisionCell>;
  private locations = 0;
  /** Spans not counted because `maxLocations` locations were already tracked. */
  overflow = 0;

  constructor(opts: RevisionCellsOptions = {}) {
    this.maxLocations = opts.maxLocations ?? 20_000;
    this.maxRevisions = opts.maxRevisions ?? 8;
    this.table = new SeriesTable({ max: this.maxLocations * this.maxRevisions, policy: 'refuse', groupOf: (e) => e.file });
  }

  /** Counts the spans of one journal record that have a counted location and a revision. */
  addRows(rb: RowBatch): void {
    const revs = rb.rv ?? rb.res.map(revisionOfResourceJson);
    for (const s of rb.sp) {
      const rev = revs[s.ri];
      if (s.f && s.l && rev) this.add(s.f, s.l, rev, rowRole(s, rb.rv !== undefined), s.d, rowFailed(s), s.s + s.d);
    }
  }

  /** Counts one span of `role` at `file:line` run by `revision`. */
  add(file: string, line: number, revision: string, role: SpanRole, ms: number, error: boolean, endMs: number): void {
    const c = this.cellFor(file, line, revision, role);
    if (!c) return;
    observe(c.cell, ms, error);
    if (endMs > c.lastMs) c.lastMs = endMs;
  }

  has(key: string): boolean {
    return this.table.has(key);
  }

  /** Keys (`revisionKey`) of every cell kept now. */
  keys(): Set<string> {
    return new Set(this.table.keys());
  }

  /** Cells of `file`. */
  *inFile(file: string): IterableIterator<RevisionCell> {
    for (const [, c] of this.table.group(file)) yield c;
  }

  clear(): void {
    this.table.clear();
    this.locations = 0;
    this.overflow = 0;
  }

  toJSON(): RevisionCellJson[] {
    return [...this.table.values()].map((c) => [c.role, c.file, c.line, c.revision, cellToJson(c.cell), c.lastMs]);
  }

  load(rows: RevisionCellJson[]): void {
    this.clear();
    for (const [role, file, line, revision, cell, lastMs] of rows) this.merge(role, file, line, revision, cellFromJson(cell), lastMs);
  }

  /** Adds a whole cell's figures (loading, or migrating an older saved table). */
  merge(role: SpanRole, file: string, line: number, revision: string, from: Cell, lastMs: number): void {
    const c = this.cellFor(file, line, revision, role);
    if (!c) return;
    c.cell.count += from.count;
    c.cell.errors += from.errors;
    c.cell.sum += from.sum;
    if (from.max > c.cell.max) c.cell.max = from.max;
    if (from.hist) c.cell.hist.merge(from.hist);
    if (lastMs > c.lastMs) c.lastMs = lastMs;
  }

  private cellFor(file: string, line: number, revision: string, role: SpanRole): RevisionCell | undefined {
    const key = revisionKey(role, file, line, revision);
    const found = this.table.get(key);
    if (found) return found;
    // A new revision at this location: the location's other revisions, oldest first.
    const siblings: [string, RevisionCell][] = [];
    for (const [k, c] of this.table.group(file)) if (c.line === line && c.role === role) siblings.push([k, c]);
    if (!siblings.length) {
      if (this.locations >= this.maxLocations) {
        this.overflow++;
        return undefined;
      }
      this.locations++;
    } else if (siblings.length >= this.maxRevisions) {
      siblings.sort((a, b) => a[1].lastMs - b[1].lastMs);
      for (const [k] of siblings.slice(0, siblings.length - this.maxRevisions + 1)) this.table.delete(k);
    }
    const c: RevisionCell = { role, file, line, revision, cell: newCell(true) as RevisionCell['cell'], lastMs: 0 };
    this.table.set(key, c);
    return c;
  }
}

/** The role of a row (model/spanOutcome.ts `spanRole`); rows journaled before the `db` flag
 *  are read from their attributes. */
function rowRole(s: SpanRow, hasDbFlag: boolean): SpanRole {
  if (s.k === SpanKind.Client) return 'query';
  if (hasDbFlag) return s.db === 1 ? 'query' : 'own';
  return /"db\.(system|system\.name|statement|query\.text)"/.test(s.a) ? 'query' : 'own';
}

function revisionOfResourceJson(json: string): string {
  try {
    const attrs = JSON.parse(json) as unknown;
    return (attrs && typeof attrs === 'object' ? revisionOf(attrs as Attributes) : undefined) ?? '';
  } catch {
    return ''; // a resource that is not JSON carries no revision
  }
}
