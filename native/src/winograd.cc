// Winograd F(2x2x2, 3x3x3) driver (see winograd.h). The weights are transformed chunk by chunk of
// output channels into the outer GEMM's packed-A layout (one panel set per xi); then each task, a
// block of tiles and a range of output-channel panels, transforms its input tiles into B panels,
// runs the 64 GEMMs on the outer micro-kernel and transforms the products into the output. Tasks
// are decided by the problem size only and every sum runs in a fixed order, so results do not
// depend on the thread count.
#include "winograd.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "isa.h"
#include "thread-pool.h"
#include "workspace.h"

namespace csfnet {
namespace {

constexpr int64_t kXi = 64;
// Input channels transformed at a time (the GEMMs' K block): 512 KB of V at 32 tiles.
constexpr int64_t kKc = 64;
// Transformed weights (64/27 of the filter size, 128 MB for the 1024->512 layer) are made and used
// in chunks of output channels of about this size: every block of tiles streams the whole chunk,
// which then stays in the last-level cache (4 MB: 1.3x faster than 16 MB on the 256-channel
// layers, 2026-11-28).
constexpr int64_t kChunkBytes = int64_t(4) << 20;
// Transformed input kept for a group of blocks when the weights come in several chunks (all of the
// 1024->512 layer's at 2x8x8, batch 4: 16 MB, no larger than the workspaces kept between calls),
// and the K block then (B panels read in place).
constexpr int64_t kSharedInputBytes = int64_t(16) << 20;
constexpr int64_t kKcShared = 256;
// Padding between the matrices of consecutive xi (V and M): the transforms touch all 64 at once,
// and power-of-two distances would put them all in the same L1 sets.
constexpr int64_t kSkew = 32;
// Blocks are split over output-channel panels until there are this many tasks (few tiles).
constexpr int64_t kMinTasks = 4;
// Fewer channels leave the 64 GEMMs too short to pay for the transforms; fewer tiles leave most of
// a block's panel empty while the weights still need their transform (64->64 at 1x2x2, batch 2:
// 2.5x slower than the GEMM path; 16->16 at 2x4x4, batch 2, 8 tiles: even).
constexpr int64_t kMinChannels = 16;
constexpr int64_t kMinTiles = 16;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

bool enabledByEnv() {
  const char* v = std::getenv("CSFNET_WINOGRAD");
  return v == nullptr || std::strcmp(v, "0") != 0;
}

/** Output tiles per axis and in all (2x2x2 outputs each, the last partial at odd sizes). */
struct Tiles {
  int64_t d, h, w, total;
  explicit Tiles(const ConvGeom& g) : d((g.od + 1) / 2), h((g.oh + 1) / 2), w((g.ow + 1) / 2), total(g.n * d * h * w) {}
};

/** fn(n, td, th, tw, len, j) for the runs of tiles t0 .. t0+count-1 along W (j: offset from t0). */
template <class Fn>
void forEachRun(const Tiles& t, int64_t t0, int64_t count, Fn fn) {
  for (int64_t j = 0; j < count;) {
    const int64_t tile = t0 + j, tw = tile % t.w, row = tile / t.w;
    const int64_t len = std::min(count - j, t.w - tw);
    fn(row / (t.h * t.d), (row / t.h) % t.d, row % t.h, tw, len, j);
    j += len;
  }
}

}  // namespace

bool winogradSuits(const ConvGeom& g) {
  static const bool enabled = enabledByEnv();
  const bool k3 = g.kd == 3 && g.kh == 3 && g.kw == 3;
  const bool s1 = g.sd == 1 && g.sh == 1 && g.sw == 1;
  const bool sized = g.od == g.id + 2 * g.pd - 2 && g.oh == g.ih + 2 * g.ph - 2 && g.ow == g.iw + 2 * g.pw - 2;
  const bool worth = g.cin >= kMinChannels && g.cout >= kMinChannels && Tiles(g).total >= kMinTiles;
  // The transforms lay out A and B panels for the level's outer micro-kernel (always true for the
  // tables built here; checked so that a new level cannot pair mismatched tables).
  const bool panels = winogradKernels().mr == isa().outerMr && winogradKernels().nr == isa().outerNr;
  return enabled && k3 && s1 && sized && worth && panels;
}

void winogradForward(const float* x, const WinogradWeights& w, const float* bias, float* y, const ConvGeom& g, bool relu) {
  const IsaKernels& kern = isa();
  const WinogradKernels& wk = winogradKernels();
  const int64_t mr = kern.outerMr, nr = kern.outerNr, tb = kWinogradTiles;
  const Tiles tiles(g);
  const int64_t blocks = ceilDiv(tiles.total, tb);
  const int64_t inPlane = g.inPlane(), outPlane = g.outPlane(), oPlane = g.oh * g.ow;
  const auto blockRuns = [&](int64_t b, WinogradRun* runs) {
    int64_t count = 0;
    forEachRun(tiles, b * tb, std::min(tb, tiles.total - b * tb), [&](int64_t n, int64_t td, int64_t th, int64_t tw, int64_t len, int64_t j) {
      runs[count++] = {j, len, n * g.cin * inPlane, n * g.cout * outPlane + 2 * td * oPlane + 2 * th * g.ow + 2 * tw, 2 * td, 2 * th, 2 * tw};
    });
    return count;
  };
  const int64_t allPanels = ceilDiv(g.cout, mr);
  const int64_t chunkPanels = std::clamp<int64_t>(kChunkBytes / (kXi * g.cin * mr * int64_t(sizeof(float))), 1, allPanels);
  float* u = workspace(Workspace::PackedA, kXi * chunkPanels * mr * g.cin);
  // With the weights in several chunks, every chunk needs the whole transformed input: rather than
  // transforming it again per chunk, transform it once for groups of blocks that fit the kept
  // workspace (all of them for the deep layers with few tiles) and go through the chunks per group.
  // No skew here: it would take the 1024->512 layer's buffer past the kept size (page faults on
  // every call), and this buffer is streamed from memory anyway.
  const int64_t sharedStride = g.cin * tb, blockFloats = kXi * sharedStride;
  const int64_t groupBlocks = kSharedInputBytes / (blockFloats * int64_t(sizeof(float)));
  const bool shared = chunkPanels < allPanels && groupBlocks >= 1;
  const int64_t kc = std::min(g.cin, shared ? kKcShared : kKc);
  float* vAll = shared ? workspace(Workspace::Columns, blockFloats * std::min(blocks, groupBlocks)) : nullptr;

  for (int64_t b0 = 0; b0 < blocks; b0 += shared ? groupBlocks : blocks) {
    const int64_t b1 = shared ? std::min(blocks, b0 + groupBlocks) : blocks;
    if (shared) {
      const int64_t groups = ceilDiv(g.cin, kKc);
      parallelFor((b1 - b0) * groups, [&](int64_t task) {
        const int64_t b = b0 + task / groups, c0 = (task % groups) * kKc;
        WinogradRun runs[kWinogradTiles];
        const int64_t nruns = blockRuns(b, runs);
        float* v = vAll + (b - b0) * blockFloats;
        for (int64_t ci = c0; ci < std::min(g.cin, c0 + kKc); ci++) wk.input(x + ci * inPlane, g, runs, nruns, v + ci * nr, sharedStride, g.cin * nr);
      });
    }
    for (int64_t co0 = 0; co0 < g.cout; co0 += chunkPanels * mr) {
      const int64_t rows = std::min(chunkPanels * mr, g.cout - co0), panels = ceilDiv(rows, mr);
      const int64_t uStride = panels * mr * g.cin;  // between the A matrices of consecutive xi
      parallelFor(panels, [&](int64_t p) { wk.weights(w, co0 + p * mr, std::min(mr, rows - p * mr), g.cin, u + p * g.cin * mr, uStride); });

      const int64_t perPart = ceilDiv(panels, std::min(panels, std::max<int64_t>(1, ceilDiv(kMinTasks, b1 - b0))));
      const int64_t parts = ceilDiv(panels, perPart);
      parallelFor((b1 - b0) * parts, [&](int64_t task) {
        const int64_t b = b0 + task / parts;
        const int64_t p0 = (task % parts) * perPart, p1 = std::min(panels, p0 + perPart), mRows = (p1 - p0) * mr;
        WinogradRun runs[kWinogradTiles];
        const int64_t nruns = blockRuns(b, runs);
        const int64_t mStride = mRows * tb + kSkew;
        float* m = threadScratch(3, kXi * (mStride + (shared ? 0 : kc * tb + kSkew)));
        float* local = m + kXi * mStride;
        for (int64_t k0 = 0; k0 < g.cin; k0 += kc) {
          const int64_t kcur = std::min(kc, g.cin - k0);
          // B of channels k0 .. k0+kcur: xi's matrix at v + xi*vStride, panels pStride apart.
          const float* v = shared ? vAll + (b - b0) * blockFloats + k0 * nr : local;
          const int64_t vStride = shared ? sharedStride : kcur * tb + kSkew, pStride = shared ? g.cin * nr : kcur * nr;
          if (!shared) {
            for (int64_t ci = k0; ci < k0 + kcur; ci++) wk.input(x + ci * inPlane, g, runs, nruns, local + (ci - k0) * nr, vStride, pStride);
          }
          for (int64_t xi = 0; xi < kXi; xi++) {
            const float* a = u + xi * uStride + k0 * mr;
            float* c = m + xi * mStride;
            for (int64_t p = p0; p < p1; p++) {
              for (int64_t q = 0; q < tb / nr; q++) kern.outer(kcur, a + p * g.cin * mr, v + xi * vStride + q * pStride, c + (p - p0) * mr * tb + q * nr, tb, k0 > 0);
            }
          }
        }
        const int64_t coA = co0 + p0 * mr, coB = std::min(co0 + rows, co0 + p1 * mr);
        for (int64_t co = coA; co < coB; co++) {
          wk.output(m + (co - coA) * tb, mStride, bias != nullptr ? bias[co] : 0.0f, relu, y + co * outPlane, g, runs, nruns);
        }
      });
    }
  }
}

}  // namespace csfnet
