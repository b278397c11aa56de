/** See layering.mjs: one line per finding, empty when the collector's layering holds. */
export function checkLayering(collectorDir: string): string[];
export function importGraph(collectorDir: string): Map<string, Set<string>>;
