import { foldIn, type Key, randomBits, uniformValues } from '@genoise/core';

/**
 * A sequential stream of uniform numbers from a key, drawn in blocks of 64 (`uniformValues(foldIn(key,
 * block), 64)`), for generators whose number of draws is not known ahead (rejection sampling).
 */
export class RandomStream {
  readonly #key: Key;
  #block = 0;
  #values: Float32Array = new Float32Array(0);
  #next = 0;

  constructor(key: Key) {
    this.#key = key;
  }

  /** A uniform number in `[min, max)`. */
  uniform(min = 0, max = 1): number {
    if (this.#next >= this.#values.length) {
      this.#values = uniformValues(foldIn(this.#key, this.#block++), 64);
      this.#next = 0;
    }
    return min + (max - min) * this.#values[this.#next++]!;
  }

  /** An integer in `[low, high)`. */
  int(low: number, high: number): number {
    return Math.min(high - 1, low + Math.floor(this.uniform() * (high - low)));
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)]!;
  }

  /** A uint32 seed. */
  seed(): number {
    return randomBits(foldIn(this.#key, 0x7fffffff - this.#block++), 1)[0]!;
  }
}
