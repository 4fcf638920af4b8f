import type { BackendName } from '@genoise/core';
import { demo } from './demo';

const args = process.argv.slice(2);
const backendFlag = args.indexOf('--backend');
const backend = backendFlag >= 0 ? (args[backendFlag + 1] as BackendName | undefined) : undefined;

try {
  await demo(backend);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
