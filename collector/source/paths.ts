// Normalising the paths telemetry carries (deployed paths, file:// URLs, browser URLs,
// webpack:// sources, Windows paths) into forward-slash segments for suffix matching.
import { fileUrlToPath } from './stack/lines';

export interface DeployedPath {
  /** Forward slashes, no origin or query. */
  path: string;
  /** Drive letters or backslashes: compare case-insensitively. */
  windows: boolean;
  /** Non-empty segments, `.` removed. */
  segments: string[];
}

const URL_ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i;

export function normaliseDeployedPath(raw: string): DeployedPath {
  let p = raw.trim();
  const windows = /^[A-Za-z]:[\\/]/.test(p) || p.includes('\\') || /^file:\/\/\/[A-Za-z]:/.test(p);
  if (p.startsWith('file://')) p = fileUrlToPath(p);
  else if (/^webpack(?:-internal)?:\/\//.test(p)) p = p.replace(/^webpack(?:-internal)?:\/\/[^/]*\/?/, '/');
  else if (URL_ORIGIN.test(p)) {
    // Browser URL: the path after the origin, without query or fragment.
    p = p.replace(URL_ORIGIN, '');
    const q = p.search(/[?#]/);
    if (q >= 0) p = p.slice(0, q);
    try {
      p = decodeURIComponent(p);
    } catch {
      // Keep the raw path: a bad escape does not make the rest unusable.
    }
  }
  p = p.replace(/\\/g, '/');
  const segments = p.split('/').filter((s) => s && s !== '.');
  return { path: p, windows, segments };
}

/** Absolute paths the resolver returns: forward slashes, no trailing slash. */
export function toForwardSlashes(p: string): string {
  const s = p.replace(/\\/g, '/');
  return s.length > 1 && s.endsWith('/') ? s.slice(0, -1) : s;
}

export function isAbsoluteLike(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}
