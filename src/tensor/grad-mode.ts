let enabled = true;

/** Whether ops record themselves for autograd right now. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` without recording any op (inference, optimizer updates, gradient formulas). */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
