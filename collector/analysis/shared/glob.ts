// Glob matching for rule files (alerts, status components, runbooks, limits): `*` is any run
// of characters, `?` one character, everything else literal, case-sensitive.
// Patterns come from workspace files and values from telemetry, so neither may make matching
// slow: no regex is built. The pattern is split at `*`; the first piece must be a prefix, the
// last a suffix, and each middle piece is found at its leftmost position after the previous
// one (leftmost is always safe for star-separated pieces, so there is no backtracking).
// Cost: O(value length × pattern length) in the worst case, whatever the pattern.

/** A piece between stars matches at `at` (with `?` matching any one character). */
function pieceAt(piece: string, value: string, at: number): boolean {
  if (at + piece.length > value.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost position ≥ `from` where `piece` matches, or -1. */
function findPiece(piece: string, value: string, from: number): number {
  if (!piece.includes('?')) return value.indexOf(piece, from);
  for (let at = from; at + piece.length <= value.length; at++) if (pieceAt(piece, value, at)) return at;
  return -1;
}

export function globMatch(glob: string | undefined, value: string): boolean {
  if (glob === undefined || glob === '*') return true;
  const pieces = glob.split('*');
  if (pieces.length === 1) return glob.length === value.length && pieceAt(glob, value, 0);
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.length + last.length > value.length) return false;
  if (!pieceAt(first, value, 0) || !pieceAt(last, value, value.length - last.length)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    if (piece === '') continue;
    const found = findPiece(piece, value, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}
