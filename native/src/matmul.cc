// Batched matmul on the outer-product GEMM: op(A) packed into panels, op(B) packed by blocks.
// Small products (under ~64k multiply-adds) run a plain loop, since packing would dominate.
#include "matmul.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "gemm-outer.h"
#include "thread-pool.h"

namespace csfnet {
namespace {

void smallProduct(const float* a, const float* b, float* c, int64_t m, int64_t k, int64_t n, bool transA, bool transB) {
  std::vector<float> row(n);
  for (int64_t i = 0; i < m; i++) {
    std::fill(row.begin(), row.end(), 0.0f);
    for (int64_t p = 0; p < k; p++) {
      const float av = transA ? a[p * m + i] : a[i * k + p];
      if (transB) {
        for (int64_t j = 0; j < n; j++) row[j] += av * b[j * k + p];
      } else {
        const float* br = b + p * n;
        for (int64_t j = 0; j < n; j++) row[j] += av * br[j];
      }
    }
    std::copy(row.begin(), row.end(), c + i * n);
  }
}

}  // namespace

void matmul(const float* a, const float* b, float* c, int64_t batch, int64_t m, int64_t k, int64_t n, bool transA, bool transB, int64_t strideA, int64_t strideB) {
  if (m * k * n <= 65536) {
    // Products grouped so that a task holds at least kSerialWork multiply-adds.
    const int64_t per = std::max<int64_t>(1, kSerialWork / std::max<int64_t>(1, m * k * n));
    parallelFor((batch + per - 1) / per, batch * m * k * n, [&](int64_t t) {
      for (int64_t bi = t * per; bi < std::min(batch, (t + 1) * per); bi++) smallProduct(a + bi * strideA, b + bi * strideB, c + bi * m * n, m, k, n, transA, transB);
    });
    return;
  }
  std::unique_ptr<float[]> ap(new float[packedOuterASize(m, k)]);
  const float* packedFor = nullptr;
  for (int64_t bi = 0; bi < batch; bi++) {
    const float* ab = a + bi * strideA;
    const float* bb = b + bi * strideB;
    if (ab != packedFor) {
      packOuterA(m, k, [&](int64_t i, int64_t p) { return transA ? ab[p * m + i] : ab[i * k + p]; }, ap.get());
      packedFor = ab;
    }
    OuterGemm gemm;
    gemm.m = m, gemm.n = n, gemm.k = k;
    gemm.ap = ap.get();
    gemm.packB = [&](int64_t k0, int64_t kc, int64_t j0, int64_t cols, float* dst) {
      float* row = threadScratch(2, cols);
      for (int64_t kk = 0; kk < kc; kk++) {
        const int64_t p = k0 + kk;
        if (transB) {
          for (int64_t j = 0; j < cols; j++) row[j] = bb[(j0 + j) * k + p];
        } else {
          std::copy(bb + p * n + j0, bb + p * n + j0 + cols, row);
        }
        scatterPanelRow(row, cols, kk, kc, dst);
      }
    };
    gemm.c = c + bi * m * n, gemm.groupCols = n, gemm.groupStride = 0, gemm.rowStride = n;
    runOuterGemm(gemm);
  }
}

}  // namespace csfnet
