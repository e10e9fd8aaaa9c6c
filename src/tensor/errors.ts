/** An op was called with tensors whose shapes or dtypes it cannot combine; the message names the op and the shapes. */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** Throws a ShapeError with `op: message` when the condition fails. */
export function check(condition: boolean, op: string, message: () => string): asserts condition {
  if (!condition) throw new ShapeError(`${op}: ${message()}`);
}
