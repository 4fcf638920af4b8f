/**
 * Runs `task` on a later macrotask (Node's `setImmediate`, else `setTimeout(0)` in browsers), so
 * prefetching fills idle event-loop time instead of the current step.
 */
export function scheduleTask(task: () => void): void {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') immediate(task);
  else setTimeout(task, 0);
}
