// The public status page's data is the analysis StatusView (collector/analysis/types.ts):
// components with status and 90 days of uptime, public incidents with public updates.
// Contract: producers put only public text in it — no stack traces, file paths, attributes.
// The renderer escapes all text and additionally scrubs anything that looks like a path or
// a stack frame (defence in depth; see collector/status/scrub.ts).
import type { StatusView } from '../analysis/types';

export type PublicStatus = StatusView;

export interface StatusPageOptions {
  /** Heading and <title>, e.g. the team or product name. */
  title: string;
  /** Seconds between automatic refreshes of the HTML page (0 = never). */
  refreshSec: number;
  /** Absolute base URL for the Atom feed's links, e.g. `http://127.0.0.1:4318`. */
  baseUrl?: string;
}
