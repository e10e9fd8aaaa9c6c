// Dot-product GEMM driver: tasks are (row block, column block) tiles of C, each reducing over all of
// K in fixed-size blocks in order, so results are the same for every thread count.
#include "gemm-dot.h"

#include <algorithm>
#include <cstring>

#include "isa.h"
#include "thread-pool.h"

namespace csfnet {
namespace {

constexpr int64_t kKc = kDotKc;
constexpr int64_t kNb = 96;   // multiple of every dot NR (2, 3, 4)
constexpr int64_t kMb = 256;  // multiple of every dot MR (2, 4)

}  // namespace

void runDotGemm(const DotGemm& g) {
  const IsaKernels& kern = isa();
  const int64_t mr = kern.dotMr, nr = kern.dotNr;
  if (g.m == 0 || g.n == 0) return;
  const int64_t mBlocks = (g.m + kMb - 1) / kMb;
  const int64_t nBlocks = (g.n + kNb - 1) / kNb;
  const int64_t kBlocks = std::max<int64_t>(1, (g.k + kKc - 1) / kKc);
  parallelFor(mBlocks * nBlocks, [&](int64_t task) {
    const int64_t mb = task % mBlocks, nb = task / mBlocks;
    const int64_t i0 = mb * kMb, rows = std::min(kMb, g.m - i0);
    const int64_t j0 = nb * kNb, cols = std::min(kNb, g.n - j0);
    const int64_t rowsPad = roundUp(rows, mr), colsPad = roundUp(cols, nr);
    float* acc = threadScratch(0, kMb * kNb);
    float* bp = threadScratch(1, kNb * kKc);
    std::memset(acc, 0, sizeof(float) * rowsPad * colsPad);
    for (int64_t kb = 0; kb < kBlocks; kb++) {
      const int64_t k0 = kb * kKc, kc = std::min(kKc, g.k - k0);
      if (kc <= 0) break;
      const int64_t kcPad = roundUp(kc, kDotAlign);
      g.packB(j0, cols, k0, kc, bp, kcPad);
      for (int64_t r = 0; r < cols; r++) std::memset(bp + r * kcPad + kc, 0, sizeof(float) * (kcPad - kc));
      std::memset(bp + cols * kcPad, 0, sizeof(float) * (colsPad - cols) * kcPad);
      int64_t lda = 0;
      const float* ablock = g.aBlock(k0, kc, lda);
      for (int64_t i = 0; i < rowsPad; i += mr) {
        const float* a = ablock + (i0 + i) * lda;
        for (int64_t j = 0; j < colsPad; j += nr) kern.dot(kcPad, a, lda, bp + j * kcPad, kcPad, acc + i * colsPad + j, colsPad);
      }
    }
    for (int64_t r = 0; r < rows; r++) std::memcpy(g.c + (i0 + r) * g.ldc + j0, acc + r * colsPad, sizeof(float) * cols);
  });
}

}  // namespace csfnet
