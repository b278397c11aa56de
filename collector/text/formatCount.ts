// One rule for counts shown to a person, shared by the collector, the extension and the
// panels (browser-safe: no imports). Rounds down, so a count never reads higher than it is
// (999,999 is "999k", not "1.0M").

/** 950 → "950", 1234 → "1.2k", 1999 → "1.9k", 15300 → "15k", 2.5e6 → "2.5M". */
export function formatCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  const [v, unit] = n < 1e6 ? [n / 1e3, 'k'] : n < 1e9 ? [n / 1e6, 'M'] : [n / 1e9, 'G'];
  return `${v < 10 ? (Math.floor(v * 10) / 10).toString() : Math.floor(v).toString()}${unit}`;
}
