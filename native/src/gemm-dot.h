// Blocked GEMM with a dot-product micro-kernel: C = A B^T where the rows of A and of B both run
// along the reduction (as dy and im2col rows do in a convolution's weight gradient), so neither
// operand needs a transpose. A is packed once (rows padded to kDotAlign); B by blocks.
#pragma once
#include <cstdint>
#include <functional>

namespace csfnet {

/** Writes rows [j0, j0+rows) of B over reduction [k0, k0+kc) to dst (row stride ldd). */
using PackDotB = std::function<void(int64_t j0, int64_t rows, int64_t k0, int64_t kc, float* dst, int64_t ldd)>;

/**
 * Rows of A over reduction block [k0, k0+kc): returns the first row's pointer and sets lda. The
 * rows must be readable for roundUp(m, 4) rows and roundUp(kc, kDotAlign) columns, zero past m
 * and past kc.
 */
using DotABlock = std::function<const float*(int64_t k0, int64_t kc, int64_t& lda)>;

struct DotGemm {
  int64_t m = 0, n = 0, k = 0;
  DotABlock aBlock;
  PackDotB packB;
  float* c = nullptr;  // m x n, row stride ldc, overwritten
  int64_t ldc = 0;
};

inline int64_t roundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

/** Rows of A a DotGemm needs (every ISA's dot MR divides 4). */
inline int64_t dotRowsPadded(int64_t m) { return roundUp(m, 4); }

/** Reduction block length of runDotGemm (a multiple of kDotAlign). */
constexpr int64_t kDotKc = 512;

void runDotGemm(const DotGemm& g);

}  // namespace csfnet
