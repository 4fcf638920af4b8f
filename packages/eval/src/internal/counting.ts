/** Share of positions where `predictions[i] === labels[i]`; equal lengths, at least one entry. */
export function accuracyOf(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) hits++;
  return hits / labels.length;
}

/** `numClasses x numClasses` counts: row = true label, column = predicted label. Values already checked. */
export function confusionOf(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  numClasses: number,
): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predictions[i]!]! += 1;
  return matrix;
}
