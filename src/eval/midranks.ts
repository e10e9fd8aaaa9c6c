/**
 * Midranks (1-based, ties get the mean of the ranks they span): the ranks of the Mann-Whitney
 * statistic with ties, and the building block of the fast DeLong algorithm of Sun & Xu, "Fast
 * implementation of DeLong's algorithm for comparing the areas under correlated receiver operating
 * characteristic curves", IEEE Signal Processing Letters 2014;21(11):1389-1393 (Algorithm 1).
 * O(n log n).
 */
export function midranks(values: readonly number[]): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]!] === values[order[i]!]) j++;
    // positions i..j (0-based) share the ranks i+1..j+1, whose mean is (i + j) / 2 + 1
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = r;
    i = j + 1;
  }
  return ranks;
}
