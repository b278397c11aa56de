// Other areas' collector plugins (processors, live handlers, routes), used by both the
// spawned process (process/main.ts) and `vibewatch collect`. The lead appends here.
import type { CollectorPlugin } from '../server/run';

export const plugins: CollectorPlugin[] = [];
