// Blocked GEMM with an outer-product micro-kernel (Goto/BLIS loop order): C = A B (+ bias, relu).
// A is packed once per call into MR-row panels; B is packed per (KC x NC) block by a callback, so
// convolutions feed im2col rows straight into the panels without materialising the matrix.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "isa.h"
#include "thread-pool.h"

namespace csfnet {

/** Fills rows [k0, k0+kc) x columns [j0, j0+cols) of B into NR-wide panels: dst[(p*kc + k)*NR + j]. */
using PackOuterB = std::function<void(int64_t k0, int64_t kc, int64_t j0, int64_t cols, float* dst)>;

/**
 * Describes rows [k0, k0+kc) of the NR-column panel starting at column j of B for the indirect
 * micro-kernel (see IsaKernels::outerIndirect): per row, the offsets of its two half-panels in the
 * source array and their lane masks.
 */
using IndirectB = std::function<void(int64_t k0, int64_t kc, int64_t j, int64_t* offLo, int64_t* offHi, uint32_t* masks)>;

struct OuterGemm {
  int64_t m = 0, n = 0, k = 0;
  const float* ap = nullptr;  // from packOuterA
  PackOuterB packB;
  // When set (and the ISA has an indirect kernel), B is read in place from indirectX instead of
  // packed; every NR-column panel must lie inside one column group.
  const float* indirectX = nullptr;
  IndirectB indirect;
  // Element (i, j) of C lives at c + (j / groupCols) * groupStride + i * rowStride + j % groupCols.
  float* c = nullptr;
  int64_t groupCols = 0, groupStride = 0, rowStride = 0;
  const float* bias = nullptr;  // per row, added after the product
  bool relu = false;            // clamp at 0 after the bias (NaN kept)
};

/** C overwritten with A B (+ bias, relu). Deterministic: every element's sum runs in a fixed order. */
void runOuterGemm(const OuterGemm& g);

/** Floats of packOuterA's output for an m x k matrix. */
inline int64_t packedOuterASize(int64_t m, int64_t k) {
  const int64_t mr = isa().outerMr;
  return (m + mr - 1) / mr * mr * k;
}

/** Packs A(i, p) (an accessor) into MR-row panels, zero rows past m: dst[(panel*k + p)*MR + i]. */
template <class Access>
void packOuterA(int64_t m, int64_t k, Access a, float* dst) {
  const int64_t mr = isa().outerMr;
  const int64_t panels = (m + mr - 1) / mr;
  parallelFor(panels, [&](int64_t panel) {
    float* out = dst + panel * k * mr;
    for (int64_t p = 0; p < k; p++) {
      for (int64_t i = 0; i < mr; i++) {
        const int64_t row = panel * mr + i;
        out[p * mr + i] = row < m ? a(row, p) : 0.0f;
      }
    }
  });
}

/** Scatters one row of `cols` values into NR-wide panels at depth kk of a kc-deep block. */
void scatterPanelRow(const float* row, int64_t cols, int64_t kk, int64_t kc, float* dst);

}  // namespace csfnet
