// Outer-product GEMM driver. Work is split into (column block, row block) tasks decided by the
// problem size only, and each task runs its K blocks in order, so the result is bit-identical for
// any thread count.
#include "gemm-outer.h"

#include <algorithm>
#include <cstring>
#include <vector>
#include "workspace.h"

namespace csfnet {
namespace {

constexpr int64_t kKc = 256;
constexpr int64_t kNc = 256;
// Row blocks are split until there are this many tasks. Each task streams the whole packed B of its
// column block, so few large row blocks win where B is long (K up to 27648 at 2x8x8: 1.1-1.7x over 16
// tasks in conv micro-benchmarks, 2026-11-28); fixed, not the thread count, for determinism.
constexpr int64_t kMinTasks = 4;

float* cAddress(const OuterGemm& g, int64_t i, int64_t j) {
  return g.c + (j / g.groupCols) * g.groupStride + i * g.rowStride + j % g.groupCols;
}

void epilogue(const OuterGemm& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  if (g.bias == nullptr && !g.relu) return;
  for (int64_t i = i0; i < i1; i++) {
    const float b = g.bias != nullptr ? g.bias[i] : 0.0f;
    for (int64_t j = j0; j < j1;) {
      const int64_t seg = std::min(j1 - j, g.groupCols - j % g.groupCols);
      float* c = cAddress(g, i, j);
      for (int64_t t = 0; t < seg; t++) {
        const float v = c[t] + b;
        c[t] = (g.relu && v <= 0.0f) ? 0.0f : v;
      }
      j += seg;
    }
  }
}

}  // namespace

void scatterPanelRow(const float* row, int64_t cols, int64_t kk, int64_t kc, float* dst) {
  const int64_t nr = isa().outerNr;
  for (int64_t p = 0; p * nr < cols; p++) {
    float* out = dst + (p * kc + kk) * nr;
    const int64_t w = std::min(nr, cols - p * nr);
    std::memcpy(out, row + p * nr, sizeof(float) * w);
    if (w < nr) std::memset(out + w, 0, sizeof(float) * (nr - w));
  }
}

void runOuterGemm(const OuterGemm& g) {
  const IsaKernels& kern = isa();
  const int64_t mr = kern.outerMr;
  const int64_t nr = kern.outerNr;
  if (g.m == 0 || g.n == 0) return;
  if (g.k == 0) {
    for (int64_t i = 0; i < g.m; i++) {
      for (int64_t j = 0; j < g.n; j++) *cAddress(g, i, j) = 0.0f;
    }
    epilogue(g, 0, g.m, 0, g.n);
    return;
  }
  const int64_t nBlocks = (g.n + kNc - 1) / kNc;
  const int64_t kBlocks = (g.k + kKc - 1) / kKc;
  const int64_t panels = (g.m + mr - 1) / mr;
  const int64_t mSplit = std::min(panels, std::max<int64_t>(1, (kMinTasks + nBlocks - 1) / nBlocks));
  const int64_t panelsPerTask = (panels + mSplit - 1) / mSplit;
  const int64_t mBlocks = (panels + panelsPerTask - 1) / panelsPerTask;
  const int64_t ncPad = (kNc + nr - 1) / nr * nr;

  const int64_t blockFloats = kKc * ncPad;
  const bool indirect = g.indirectX != nullptr && kern.outerIndirect != nullptr;
  // One task: rows panels [p0, p1) of column block nb, B from `packed` (kBlocks blocks) or packed here.
  const auto task = [&](int64_t nb, int64_t mb, const float* packed) {
    const int64_t j0 = nb * kNc, cols = std::min(kNc, g.n - j0);
    const int64_t p0 = mb * panelsPerTask, p1 = std::min(panels, p0 + panelsPerTask);
    float* tile = threadScratch(0, mr * nr);
    float* own = packed != nullptr || indirect ? nullptr : threadScratch(1, blockFloats);
    static thread_local std::vector<int64_t> offLo, offHi;
    static thread_local std::vector<uint32_t> masks;
    if (indirect) {
      offLo.resize(kKc);
      offHi.resize(kKc);
      masks.resize(kKc);
    }
    for (int64_t kb = 0; kb < kBlocks; kb++) {
      const int64_t k0 = kb * kKc, kc = std::min(kKc, g.k - k0);
      const float* bp = own;
      if (packed != nullptr) bp = packed + kb * blockFloats;
      else if (!indirect) g.packB(k0, kc, j0, cols, own);
      const bool acc = kb > 0;
      for (int64_t jp = 0; jp * nr < cols; jp++) {
        const int64_t j = j0 + jp * nr;
        const int64_t w = std::min(nr, g.n - j);
        const bool colsDirect = w == nr && j % g.groupCols + nr <= g.groupCols;
        const float* b = indirect ? nullptr : bp + jp * kc * nr;
        if (indirect) g.indirect(k0, kc, j, offLo.data(), offHi.data(), masks.data());
        const auto run = [&](const float* a, float* c, int64_t ldc, bool accumulate) {
          if (indirect) kern.outerIndirect(kc, a, g.indirectX, offLo.data(), offHi.data(), masks.data(), c, ldc, accumulate);
          else kern.outer(kc, a, b, c, ldc, accumulate);
        };
        for (int64_t p = p0; p < p1; p++) {
          const int64_t i = p * mr;
          const int64_t h = std::min(mr, g.m - i);
          const float* a = g.ap + (p * g.k + k0) * mr;
          if (colsDirect && h == mr) {
            run(a, cAddress(g, i, j), g.rowStride, acc);
            continue;
          }
          run(a, tile, nr, false);
          for (int64_t r = 0; r < h; r++) {
            for (int64_t t = 0; t < w; t++) {
              float* dst = cAddress(g, i + r, j + t);
              *dst = acc ? *dst + tile[r * nr + t] : tile[r * nr + t];
            }
          }
        }
      }
    }
    epilogue(g, p0 * mr, std::min(g.m, p1 * mr), j0, j0 + cols);
  };

  if (mBlocks == 1 || indirect) {
    parallelFor(nBlocks * mBlocks, [&](int64_t t) { task(t / mBlocks, t % mBlocks, nullptr); });
    return;
  }
  // Few column blocks: pack each one's B once (in parallel over K blocks), then share it among the
  // row-block tasks, instead of every row block packing the same columns again.
  float* packed = workspace(Workspace::PackedB, kBlocks * blockFloats);
  for (int64_t nb = 0; nb < nBlocks; nb++) {
    const int64_t j0 = nb * kNc, cols = std::min(kNc, g.n - j0);
    parallelFor(kBlocks, [&](int64_t kb) {
      const int64_t k0 = kb * kKc;
      g.packB(k0, std::min(kKc, g.k - k0), j0, cols, packed + kb * blockFloats);
    });
    parallelFor(mBlocks, [&](int64_t mb) { task(nb, mb, packed); });
  }
}

}  // namespace csfnet
