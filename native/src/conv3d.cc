// Convolutions as GEMMs over implicit im2col matrices (Chellapilla et al. 2006, "High performance
// convolutional neural networks for document processing"), packed block by block:
//   forward        y[co, (n,o)]   = W[co, (ci,t)] . col_x[(ci,t), (n,o)]            (outer form)
//   data, stride 1 dx[ci, (n,i)]  = W'[ci, (co,t)] . col_dy[(co,t), (n,i)], W' = W transposed in
//                  channels and flipped in taps, padding k-1-p: the transposed convolution is a
//                  convolution of dy (Dumoulin and Visin 2016, "A guide to convolution arithmetic")
//   data, strided  col[(ci,t), (n,o)] = W^T . dy, then col2im scatter-add per (n, ci) plane
//   weight         dW[co, (ci,t)] = sum_(n,o) dy[co, (n,o)] col_x[(ci,t), (n,o)]     (dot form)
// When input rows are contiguous and output rows are a multiple of half a panel wide, the outer
// form reads B in place (indirect GEMM: per-row offsets and lane masks instead of packed panels,
// as in Dukhan 2019, "The Indirect Convolution Algorithm"); otherwise B is packed block by block.
#include "conv3d.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "direct-conv.h"
#include "gemm-dot.h"
#include "gemm-outer.h"
#include "row-kernels.h"
#include "thread-pool.h"
#include "winograd.h"
#include "workspace.h"

namespace csfnet {
namespace {

/** Rows of the im2col matrix of x over g, by segment copies or through a tap table (small rows). */
class Im2col {
 public:
  Im2col(const float* x, const ConvGeom& g, bool table = true) : x_(x), g_(g) {
    if (table && useTapTable(g)) {
      table_.resize(g.taps() * g.outPlane());
      buildTapTable(g, table_.data());
    }
  }
  /**
   * Rows [k0, k0+kc) of (channel, tap) over columns [j0, j0+width), written into nr-wide panels:
   * dst[(panel*kc + kk)*nr + r]. The column pieces are planned once for all rows.
   */
  void panels(int64_t k0, int64_t kc, int64_t j0, int64_t width, int64_t nr, float* dst) const {
    const int64_t taps = g_.taps();
    if (!table_.empty()) {
      float* row = threadScratch(2, width);
      for (int64_t kk = 0; kk < kc; kk++) {
        im2colRowTable(x_, g_, table_.data(), (k0 + kk) / taps, (k0 + kk) % taps, j0, width, row);
        scatterPanelRow(row, width, kk, kc, dst);
      }
      return;
    }
    static thread_local RunPlan plan;
    planRuns(g_, j0, width, nr, plan);
    const auto copy = isa().copy;
    for (int64_t kk = 0; kk < kc; kk++) {
      forEachPlannedRun(g_, plan, (k0 + kk) / taps, (k0 + kk) % taps, [&](const RunPlan::Piece& p, int64_t t, int64_t len, int64_t src, int64_t stride) {
        float* out = dst + (p.panel * kc + kk) * nr + p.r0 + (t - p.t);
        if (src < 0) copy(out, nullptr, len);
        else if (stride == 1) copy(out, x_ + src, len);
        else for (int64_t i = 0; i < len; i++) out[i] = x_[src + i * stride];
      });
    }
  }

  /** Rows j0..j0+count of (channel, tap) over reduction positions [k0, k0+kc), row stride ldd. */
  void rows(int64_t j0, int64_t count, int64_t k0, int64_t kc, float* dst, int64_t ldd) const {
    const int64_t taps = g_.taps();
    if (!table_.empty()) {
      for (int64_t r = 0; r < count; r++) im2colRowTable(x_, g_, table_.data(), (j0 + r) / taps, (j0 + r) % taps, k0, kc, dst + r * ldd);
      return;
    }
    static thread_local RunPlan plan;
    planRuns(g_, k0, kc, 0, plan);
    const auto copy = isa().copy;
    for (int64_t r = 0; r < count; r++) {
      float* out = dst + r * ldd;
      forEachPlannedRun(g_, plan, (j0 + r) / taps, (j0 + r) % taps, [&](const RunPlan::Piece&, int64_t t, int64_t len, int64_t src, int64_t stride) {
        if (src < 0) copy(out + t, nullptr, len);
        else if (stride == 1) copy(out + t, x_ + src, len);
        else for (int64_t i = 0; i < len; i++) out[t + i] = x_[src + i * stride];
      });
    }
  }

 private:
  const float* x_;
  const ConvGeom& g_;
  std::vector<int32_t> table_;
};

/**
 * The outer form's B read in place from x (no packing): row k = (channel, tap) of an NR-column
 * panel is two half-panels, each a contiguous run of one input row, with lanes that fall in the
 * padding masked off. Usable when input rows are contiguous (stride 1 along W) and every half-panel
 * lies inside one output row and every panel inside one sample.
 */
class IndirectSource {
 public:
  static bool usable(const ConvGeom& g) {
    const IsaKernels& k = isa();
    if (k.outerIndirect == nullptr || g.sw != 1 || g.kw > 32) return false;
    return g.ow % (k.outerNr / 2) == 0 && g.outPlane() % k.outerNr == 0;
  }

  explicit IndirectSource(const ConvGeom& g) : g_(g) {
    const int64_t taps = g.taps(), k = g.cin * taps;
    rel_.resize(k);
    kz_.resize(k);
    ky_.resize(k);
    kx_.resize(k);
    for (int64_t i = 0; i < k; i++) {
      const int64_t ci = i / taps, t = i % taps;
      kx_[i] = static_cast<int32_t>(t % g.kw);
      ky_[i] = static_cast<int32_t>((t / g.kw) % g.kh);
      kz_[i] = static_cast<int32_t>(t / (g.kw * g.kh));
      rel_[i] = ci * g.inPlane() + (kz_[i] * g.ih + ky_[i]) * g.iw + kx_[i];
    }
  }

  void operator()(int64_t k0, int64_t kc, int64_t j, int64_t* offLo, int64_t* offHi, uint32_t* masks) const {
    const ConvGeom& g = g_;
    const int64_t half = isa().outerNr / 2, outPlane = g.outPlane();
    int64_t z0[2], y0[2], base[2];
    uint32_t wmask[2][32];
    for (int h = 0; h < 2; h++) {
      const int64_t col = j + h * half, n = col / outPlane, o = col % outPlane;
      const int64_t ow0 = o % g.ow, row = o / g.ow;
      z0[h] = (row / g.oh) * g.sd - g.pd;
      y0[h] = (row % g.oh) * g.sh - g.ph;
      base[h] = n * g.cin * g.inPlane() + (z0[h] * g.ih + y0[h]) * g.iw + ow0 - g.pw;
      for (int64_t kx = 0; kx < g.kw; kx++) {
        uint32_t bits = 0;
        for (int64_t l = 0; l < half; l++) {
          const int64_t w = ow0 + l + kx - g.pw;
          if (w >= 0 && w < g.iw) bits |= 1u << l;
        }
        wmask[h][kx] = bits;
      }
    }
    for (int64_t kk = 0; kk < kc; kk++) {
      const int64_t k = k0 + kk;
      uint32_t m = 0;
      int64_t off[2] = {0, 0};
      for (int h = 0; h < 2; h++) {
        const int64_t z = z0[h] + kz_[k], y = y0[h] + ky_[k];
        if (z < 0 || z >= g.id || y < 0 || y >= g.ih) continue;
        m |= wmask[h][kx_[k]] << (h * half);
        off[h] = base[h] + rel_[k];
      }
      offLo[kk] = off[0];
      offHi[kk] = off[1];
      masks[kk] = m;
    }
  }

 private:
  const ConvGeom& g_;
  std::vector<int64_t> rel_;
  std::vector<int32_t> kz_, ky_, kx_;
};

/** B packer for the outer form: rows are (channel, tap) of an im2col matrix. */
PackOuterB im2colPacker(const Im2col& cols) {
  return [&cols](int64_t k0, int64_t kc, int64_t j0, int64_t width, float* dst) {
    const int64_t nr = isa().outerNr;
    cols.panels(k0, kc, j0, width, nr, dst);
    const int64_t tail = width % nr;
    if (tail != 0) {
      float* last = dst + (width / nr) * kc * nr;
      for (int64_t kk = 0; kk < kc; kk++) std::memset(last + kk * nr + tail, 0, sizeof(float) * (nr - tail));
    }
  };
}

/**
 * y (g's output, NCDHW) = A . col(x over g) (+ bias, relu) with A packed by packOuterA (g.cout rows,
 * g.cin * taps columns); B read in place where IndirectSource allows, else packed from im2col rows.
 */
void convOuter(const float* x, const float* ap, const float* bias, float* y, const ConvGeom& g, bool relu) {
  const bool inPlace = IndirectSource::usable(g);
  const Im2col cols(x, g, !inPlace);
  OuterGemm gemm;
  gemm.m = g.cout, gemm.n = g.n * g.outPlane(), gemm.k = g.cin * g.taps();
  gemm.ap = ap;
  std::unique_ptr<IndirectSource> source;
  if (inPlace) {
    source = std::make_unique<IndirectSource>(g);
    gemm.indirectX = x;
    gemm.indirect = [&](int64_t k0, int64_t kc, int64_t j, int64_t* lo, int64_t* hi, uint32_t* m) { (*source)(k0, kc, j, lo, hi, m); };
  } else {
    gemm.packB = im2colPacker(cols);
  }
  gemm.c = y, gemm.groupCols = g.outPlane(), gemm.groupStride = g.cout * g.outPlane(), gemm.rowStride = g.outPlane();
  gemm.bias = bias;
  gemm.relu = relu;
  runOuterGemm(gemm);
}

/** The geometry whose forward convolution is the stride-1 data gradient of g. */
ConvGeom transposedStride1(const ConvGeom& g) {
  ConvGeom t = g;
  t.cin = g.cout;
  t.cout = g.cin;
  t.id = g.od, t.ih = g.oh, t.iw = g.ow;
  t.od = g.id, t.oh = g.ih, t.ow = g.iw;
  t.pd = g.kd - 1 - g.pd, t.ph = g.kh - 1 - g.ph, t.pw = g.kw - 1 - g.pw;
  return t;
}

void backwardDataStride1(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  const ConvGeom t = transposedStride1(g);
  // The transposed filter of (ci, co) is w[co, ci] with its taps reversed.
  if (winogradSuits(t)) return winogradForward(dy, WinogradWeights{w, g.taps(), g.cin * g.taps(), true}, nullptr, dx, t, false);
  const int64_t taps = g.taps(), k = g.cout * taps;
  float* ap = workspace(Workspace::PackedA, packedOuterASize(g.cin, k));
  packOuterA(g.cin, k, [&](int64_t ci, int64_t p) { return w[((p / taps) * g.cin + ci) * taps + (taps - 1 - p % taps)]; }, ap);
  convOuter(dy, ap, nullptr, dx, t, false);
}

void backwardDataStrided(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  const int64_t taps = g.taps(), m = g.cin * taps, outPlane = g.outPlane(), inPlane = g.inPlane();
  float* ap = workspace(Workspace::PackedA, packedOuterASize(m, g.cout));
  packOuterA(m, g.cout, [&](int64_t r, int64_t co) { return w[(co * g.cin + r / taps) * taps + r % taps]; }, ap);
  // Samples per chunk so that the column buffer stays near 8 MB.
  const int64_t perSample = m * outPlane;
  const int64_t chunk = std::max<int64_t>(1, std::min(g.n, (int64_t(2) << 20) / std::max<int64_t>(1, perSample)));
  float* col = workspace(Workspace::Columns, chunk * perSample);
  for (int64_t n0 = 0; n0 < g.n; n0 += chunk) {
    const int64_t nc = std::min(chunk, g.n - n0), cols = nc * outPlane;
    const float* dyChunk = dy + n0 * g.cout * outPlane;
    OuterGemm gemm;
    gemm.m = m, gemm.n = cols, gemm.k = g.cout;
    gemm.ap = ap;
    gemm.packB = [&](int64_t k0, int64_t kc, int64_t j0, int64_t width, float* dst) {
      float* row = threadScratch(2, width);
      for (int64_t kk = 0; kk < kc; kk++) {
        const int64_t co = k0 + kk;
        for (int64_t j = j0; j < j0 + width;) {
          const int64_t s = j / outPlane, o = j % outPlane, seg = std::min(j0 + width - j, outPlane - o);
          std::memcpy(row + (j - j0), dyChunk + (s * g.cout + co) * outPlane + o, sizeof(float) * seg);
          j += seg;
        }
        scatterPanelRow(row, width, kk, kc, dst);
      }
    };
    gemm.c = col, gemm.groupCols = cols, gemm.groupStride = 0, gemm.rowStride = cols;
    runOuterGemm(gemm);
    parallelFor(nc * g.cin, [&](int64_t task) {
      const int64_t s = task / g.cin, ci = task % g.cin;
      float* plane = dx + ((n0 + s) * g.cin + ci) * inPlane;
      std::memset(plane, 0, sizeof(float) * inPlane);
      for (int64_t t = 0; t < taps; t++) col2imRowAdd(col + (ci * taps + t) * cols + s * outPlane, g, t, 0, outPlane, plane);
    });
  }
}

/** The weight gradient as a dot-form GEMM: dW = dy (cout x (n,o)) . col_x^T. */
void gemmBackwardWeight(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  const int64_t outPlane = g.outPlane(), kTotal = g.n * outPlane, taps = g.taps();
  DotGemm gemm;
  gemm.m = g.cout, gemm.n = g.cin * taps, gemm.k = kTotal;
  // A = dy as (cout) x (n, o). When reduction blocks never straddle samples and the channel count
  // needs no padding rows, each block is read in place (row stride outPlane); otherwise dy is
  // copied once into padded rows.
  const bool inPlace = outPlane % kDotKc == 0 && g.cout % 4 == 0;
  const int64_t lda = roundUp(kTotal, kDotAlign), rows = dotRowsPadded(g.cout);
  float* a = nullptr;
  if (inPlace) {
    gemm.aBlock = [&](int64_t k0, int64_t, int64_t& ld) {
      ld = outPlane;
      return dy + (k0 / outPlane) * g.cout * outPlane + k0 % outPlane;
    };
  } else {
    a = workspace(Workspace::Rows, rows * lda);
    parallelFor(rows, [&](int64_t co) {
      float* out = a + co * lda;
      if (co >= g.cout) {
        std::memset(out, 0, sizeof(float) * lda);
        return;
      }
      for (int64_t s = 0; s < g.n; s++) std::memcpy(out + s * outPlane, dy + (s * g.cout + co) * outPlane, sizeof(float) * outPlane);
      std::memset(out + kTotal, 0, sizeof(float) * (lda - kTotal));
    });
    gemm.aBlock = [&](int64_t k0, int64_t, int64_t& ld) {
      ld = lda;
      return a + k0;
    };
  }
  const Im2col cols(x, g);
  gemm.packB = [&](int64_t j0, int64_t count, int64_t k0, int64_t kc, float* dst, int64_t ldd) { cols.rows(j0, count, k0, kc, dst, ldd); };
  gemm.c = dw, gemm.ldc = g.cin * taps;
  runDotGemm(gemm);
}

}  // namespace

void conv3dForward(const float* x, const float* w, const float* bias, float* y, const ConvGeom& g, bool relu) {
  if (directForwardSuits(g)) return directForward(x, w, bias, y, g, relu);
  if (winogradSuits(g)) return winogradForward(x, WinogradWeights{w, g.cin * g.taps(), g.taps(), false}, bias, y, g, relu);
  const int64_t k = g.cin * g.taps();
  float* ap = workspace(Workspace::PackedA, packedOuterASize(g.cout, k));
  packOuterA(g.cout, k, [&](int64_t i, int64_t p) { return w[i * k + p]; }, ap);
  convOuter(x, ap, bias, y, g, relu);
}

void conv3dBackwardData(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  if (directBackwardDataSuits(g)) return directBackwardData(dy, w, dx, g);
  const bool stride1 = g.sd == 1 && g.sh == 1 && g.sw == 1;
  const bool padOk = g.pd <= g.kd - 1 && g.ph <= g.kh - 1 && g.pw <= g.kw - 1;
  const bool exact = g.od == g.id + 2 * g.pd - g.kd + 1 && g.oh == g.ih + 2 * g.ph - g.kh + 1 && g.ow == g.iw + 2 * g.pw - g.kw + 1;
  if (stride1 && padOk && exact) backwardDataStride1(dy, w, dx, g);
  else backwardDataStrided(dy, w, dx, g);
}

void conv3dBackwardWeight(const float* x, const float* dy, float* dw, float* db, const ConvGeom& g) {
  if (directBackwardWeightSuits(g)) directBackwardWeight(x, dy, dw, g);
  else gemmBackwardWeight(x, dy, dw, g);
  if (db != nullptr) {
    const int64_t outPlane = g.outPlane();
    const RowKernels& rows = rowKernels();
    parallelFor(g.cout, g.n * g.cout * outPlane, [&](int64_t co) {
      double s = 0.0;
      for (int64_t n = 0; n < g.n; n++) s += rows.sum(dy + (n * g.cout + co) * outPlane, outPlane);
      db[co] = static_cast<float>(s);
    });
  }
}

}  // namespace csfnet
