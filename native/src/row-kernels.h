// Row primitives of the memory-bound kernels (reductions, batch norm, ReLU gradient): single passes
// over contiguous rows that keep float64 sums. Written once with GCC/Clang vector types in
// row-kernels-impl.h and compiled per instruction set (row-kernels-avx512.cc, -avx2.cc,
// -portable.cc), so each level gets its widest vectors while every level adds in the same lanes
// and the same order: results are identical across levels and thread counts.
#pragma once
#include <cstdint>

namespace csfnet {

struct RowKernels {
  /** sum of p[0..n) in float64 (16 lanes, element i in lane i % 16, lanes added pairwise). */
  double (*sum)(const float* p, int64_t n);
  /** sum of (p[i] - mean)^2 in float64, lanes as sum. */
  double (*sumSqDev)(const float* p, int64_t n, double mean);
  /** out[0] = sum dy, out[1] = sum dy * (x - mean), in float64, lanes as sum. */
  void (*sumDyDev)(const float* dy, const float* x, int64_t n, double mean, double* out);
  /** acc[i] += row[i] for i < n (acc in float64). */
  void (*addColumns)(double* acc, const float* row, int64_t n);
  /**
   * Maximum of p[0..n) and the index of its first occurrence; the first NaN wins (its value and
   * index). n >= 1.
   */
  void (*argmax)(const float* p, int64_t n, float* best, int64_t* at);
  /** Per column i < n: take row j's value when row[i] > best[i], or row[i] is the first NaN. */
  void (*maxColumns)(float* best, int32_t* at, const float* row, int64_t n, int32_t j);
  /** dx = dy * (x > 0 ? 1 : x <= 0 ? 0 : x): the ReLU gradient, NaN in x passed on. */
  void (*reluBackward)(const float* x, const float* dy, float* dx, int64_t n);
  /** y = 1 / (1 + exp(-x)) in float64 rounded once (x < 0: exp(x) / (1 + exp(x))); NaN passed on. */
  void (*sigmoid)(const float* x, float* y, int64_t n);
};

extern const RowKernels kRowsPortable;
// Null on builds without x86-64 support for them.
extern const RowKernels* const kRowsAvx2;
extern const RowKernels* const kRowsAvx512;

/** The table of the instruction-set level in use (isa()). */
const RowKernels& rowKernels();

}  // namespace csfnet
