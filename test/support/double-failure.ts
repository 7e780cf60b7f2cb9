import { DoubleFailure } from '../runtime';

/** The message of the failure `fn` makes the double raise; throws if it raises none. */
export function failureOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DoubleFailure || e instanceof Error) return e.message;
  }
  throw new Error('expected the double to fail');
}
