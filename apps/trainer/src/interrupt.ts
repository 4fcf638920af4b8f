/**
 * Ctrl-C during training: the first SIGINT aborts `signal` (the loop stops after the current step and
 * writes a checkpoint), a second one exits at once with code 130 (the last checkpoint stays intact,
 * since checkpoints are written atomically). Call `release()` when training ends.
 */
export function interruptOnSigint(): { readonly signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(
        '\nstopping after this step and writing a checkpoint (Ctrl-C again to quit now; the last checkpoint stays intact)\n',
      );
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}
