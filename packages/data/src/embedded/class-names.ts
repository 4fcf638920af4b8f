// The class names of the embedded sets: plain constants, browser-safe, in the main entry (the loaders
// that read the files are Node-only, in `@genoise/data/node`).

/**
 * The ten MNIST classes, `'0'` to `'9'`, indexed by label.
 *
 * @example
 * ```ts
 * MNIST_CLASS_NAMES[7]; // '7'
 * ```
 */
export const MNIST_CLASS_NAMES = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const);

/**
 * The ten Fashion-MNIST classes, indexed by label.
 *
 * @example
 * ```ts
 * FASHION_MNIST_CLASS_NAMES[9]; // 'Ankle boot'
 * ```
 */
export const FASHION_MNIST_CLASS_NAMES = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const);
