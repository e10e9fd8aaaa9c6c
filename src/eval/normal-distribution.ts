/**
 * The standard normal distribution's tail, for the p-values of z statistics.
 *
 * erfc is computed to near double precision without a table of fitted coefficients:
 * - |x| < 3: erf(x) = (2 / sqrt(pi)) exp(-x^2) sum_{k>=0} 2^k x^(2k+1) / (1 * 3 * ... * (2k+1))
 *   (Abramowitz & Stegun 7.1.6; every term positive, so no cancellation), erfc = 1 - erf;
 * - |x| >= 3: the continued fraction erfc(x) = exp(-x^2) / sqrt(pi) * 1 / (x + (1/2) / (x + 1 /
 *   (x + (3/2) / (x + 2 / (x + ...))))) (A&S 7.1.14), evaluated bottom-up with a fixed depth.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let k = 1; k < 200; k++) {
      term *= (2 * x * x) / (2 * k + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0;
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Two-sided p-value of a z statistic: P(|Z| >= |z|). */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** The z with P(Z <= z) = p, 0 < p < 1, by bisection on normalCdf (to about 1e-12). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return Number.NaN;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 100 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
