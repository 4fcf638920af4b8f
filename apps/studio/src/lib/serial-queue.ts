/** Runs one job at a time, in the order given (see {@link serialQueue}). */
export type SerialQueue = <T>(job: () => T | Promise<T>) => Promise<T>;

/**
 * A queue that runs each job after every job queued before it has settled, so tensor work (a step, an
 * evaluation, a reset) never overlaps. A failed job rejects its own promise only; the queue goes on.
 *
 * @example
 * ```ts
 * const exclusive = serialQueue();
 * void exclusive(() => session.trainStep());
 * await exclusive(() => session.reset()); // after the step
 * ```
 */
export function serialQueue(): SerialQueue {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(job: () => T | Promise<T>): Promise<T> => {
    const next = queue.then(job);
    queue = next.catch(() => undefined);
    return next;
  };
}
