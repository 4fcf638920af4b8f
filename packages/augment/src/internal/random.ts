/** Python's `round` (half to even), as torchvision's `int(round(x))` uses. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Indices where `applied` is 1. */
export function appliedIndices(applied: Uint8Array): number[] {
  const out: number[] = [];
  applied.forEach((a, i) => {
    if (a === 1) out.push(i);
  });
  return out;
}
