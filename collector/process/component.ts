// One lifecycle for every part of the collector process that the composition root
// (process/app.ts) builds. A component gets what it needs through its constructor function;
// it never reaches into another component's state.
import type { HandlerTable } from '../live/handlers';
import type { Processor } from '../pipeline';
import type { Route } from '../server/collector';

export interface Component {
  name: string;
  /** Run on every batch before it is stored, in composition order. */
  processors?: { name: string; fn: Processor }[];
  handlers?: HandlerTable;
  routes?: Route[];
  /** Once the store is open, before ingest is admitted: load saved state here. */
  start?(): Promise<void> | void;
  /** Clear Data: forget every derived figure (the store is already empty). */
  reset?(): Promise<void> | void;
  /** At shutdown, after ingest stopped and before the store closes (reverse order). */
  shutdown?(): Promise<void> | void;
}
