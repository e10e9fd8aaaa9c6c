// Resampling kernels, one task per plane, with the reference backend's arithmetic: weights and sums
// in float64, every accumulation into a float32 gradient rounded as the reference's `+=` does, in the
// same order, so results match it to the last bit or nearly. Index rules (PyTorch): adaptive bins
// [floor(i*in/out), ceil((i+1)*in/out)); trilinear source o*(in-1)/(out-1) with align_corners, else
// max(0, (o+0.5)*in/out - 0.5).
#include "resample.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "thread-pool.h"

namespace csfnet {
namespace {

struct Bin {
  int64_t lo, hi;
};

std::vector<Bin> adaptiveBins(int64_t in, int64_t out) {
  std::vector<Bin> bins(out);
  for (int64_t i = 0; i < out; i++) {
    bins[i] = {static_cast<int64_t>(std::floor(static_cast<double>(i * in) / out)), static_cast<int64_t>(std::ceil(static_cast<double>((i + 1) * in) / out))};
  }
  return bins;
}

struct Tap {
  int64_t i0, i1;
  double w1;  // weight of i1; i0 gets 1 - w1
};

std::vector<Tap> linearTaps(int64_t in, int64_t out, bool alignCorners) {
  std::vector<Tap> taps(out);
  for (int64_t o = 0; o < out; o++) {
    double src;
    if (alignCorners) src = out > 1 ? static_cast<double>(o * (in - 1)) / static_cast<double>(out - 1) : 0.0;
    else src = std::max(0.0, (o + 0.5) * static_cast<double>(in) / static_cast<double>(out) - 0.5);
    const int64_t i0 = std::min(static_cast<int64_t>(std::floor(src)), in - 1);
    taps[o] = {i0, std::min(i0 + 1, in - 1), src - static_cast<double>(i0)};
  }
  return taps;
}

/** fn(o, idx[8], w[8]) for each output of plane p, in the reference's corner order. */
template <class Fn>
void forEachTrilinear(const ResampleGeom& g, const std::vector<Tap>& td, const std::vector<Tap>& th, const std::vector<Tap>& tw, int64_t p, Fn fn) {
  int64_t idx[8];
  double wts[8];
  for (int64_t od = 0; od < g.od; od++) {
    const Tap& a = td[od];
    for (int64_t oh = 0; oh < g.oh; oh++) {
      const Tap& b = th[oh];
      for (int64_t ow = 0; ow < g.ow; ow++) {
        const Tap& c = tw[ow];
        int k = 0;
        for (int zd = 0; zd < 2; zd++) {
          const int64_t d = zd == 0 ? a.i0 : a.i1;
          const double wd = zd == 0 ? 1.0 - a.w1 : a.w1;
          for (int zh = 0; zh < 2; zh++) {
            const int64_t h = zh == 0 ? b.i0 : b.i1;
            const double wh = zh == 0 ? 1.0 - b.w1 : b.w1;
            for (int zw = 0; zw < 2; zw++) {
              idx[k] = (d * g.ih + h) * g.iw + (zw == 0 ? c.i0 : c.i1);
              wts[k] = wd * wh * (zw == 0 ? 1.0 - c.w1 : c.w1);
              k++;
            }
          }
        }
        fn(((p * g.od + od) * g.oh + oh) * g.ow + ow, idx, wts);
      }
    }
  }
}

/** fn(o, d0, d1, h0, h1, w0, w1) for each adaptive bin of plane p. */
template <class Fn>
void forEachBin(const ResampleGeom& g, const std::vector<Bin>& bd, const std::vector<Bin>& bh, const std::vector<Bin>& bw, int64_t p, Fn fn) {
  for (int64_t od = 0; od < g.od; od++) {
    for (int64_t oh = 0; oh < g.oh; oh++) {
      for (int64_t ow = 0; ow < g.ow; ow++) fn(((p * g.od + od) * g.oh + oh) * g.ow + ow, bd[od], bh[oh], bw[ow]);
    }
  }
}

}  // namespace

void adaptiveAvgPool3dForward(const float* x, float* y, const ResampleGeom& g) {
  const auto bd = adaptiveBins(g.id, g.od), bh = adaptiveBins(g.ih, g.oh), bw = adaptiveBins(g.iw, g.ow);
  const int64_t plane = g.id * g.ih * g.iw;
  parallelFor(g.planes, 8 * g.planes * (plane + g.od * g.oh * g.ow), [&](int64_t p) {
    const float* src = x + p * plane;
    forEachBin(g, bd, bh, bw, p, [&](int64_t o, const Bin& d, const Bin& h, const Bin& w) {
      double s = 0.0;
      for (int64_t i = d.lo; i < d.hi; i++) {
        for (int64_t j = h.lo; j < h.hi; j++) {
          for (int64_t k = w.lo; k < w.hi; k++) s += src[(i * g.ih + j) * g.iw + k];
        }
      }
      y[o] = static_cast<float>(s / static_cast<double>((d.hi - d.lo) * (h.hi - h.lo) * (w.hi - w.lo)));
    });
  });
}

void adaptiveAvgPool3dBackward(const float* dy, float* dx, const ResampleGeom& g) {
  const auto bd = adaptiveBins(g.id, g.od), bh = adaptiveBins(g.ih, g.oh), bw = adaptiveBins(g.iw, g.ow);
  const int64_t plane = g.id * g.ih * g.iw;
  parallelFor(g.planes, 8 * g.planes * (plane + g.od * g.oh * g.ow), [&](int64_t p) {
    float* dst = dx + p * plane;
    std::memset(dst, 0, sizeof(float) * plane);
    forEachBin(g, bd, bh, bw, p, [&](int64_t o, const Bin& d, const Bin& h, const Bin& w) {
      const double share = dy[o] / static_cast<double>((d.hi - d.lo) * (h.hi - h.lo) * (w.hi - w.lo));
      for (int64_t i = d.lo; i < d.hi; i++) {
        for (int64_t j = h.lo; j < h.hi; j++) {
          for (int64_t k = w.lo; k < w.hi; k++) {
            float& v = dst[(i * g.ih + j) * g.iw + k];
            v = static_cast<float>(v + share);
          }
        }
      }
    });
  });
}

void upsampleTrilinearForward(const float* x, float* y, const ResampleGeom& g, bool alignCorners) {
  const auto td = linearTaps(g.id, g.od, alignCorners), th = linearTaps(g.ih, g.oh, alignCorners), tw = linearTaps(g.iw, g.ow, alignCorners);
  const int64_t plane = g.id * g.ih * g.iw;
  parallelFor(g.planes, 8 * g.planes * (plane + g.od * g.oh * g.ow), [&](int64_t p) {
    const float* src = x + p * plane;
    forEachTrilinear(g, td, th, tw, p, [&](int64_t o, const int64_t* idx, const double* w) {
      double s = 0.0;
      for (int c = 0; c < 8; c++) s += w[c] * src[idx[c]];
      y[o] = static_cast<float>(s);
    });
  });
}

void upsampleTrilinearBackward(const float* dy, float* dx, const ResampleGeom& g, bool alignCorners) {
  const auto td = linearTaps(g.id, g.od, alignCorners), th = linearTaps(g.ih, g.oh, alignCorners), tw = linearTaps(g.iw, g.ow, alignCorners);
  const int64_t plane = g.id * g.ih * g.iw;
  parallelFor(g.planes, 8 * g.planes * (plane + g.od * g.oh * g.ow), [&](int64_t p) {
    float* dst = dx + p * plane;
    std::memset(dst, 0, sizeof(float) * plane);
    forEachTrilinear(g, td, th, tw, p, [&](int64_t o, const int64_t* idx, const double* w) {
      const double d = dy[o];
      for (int c = 0; c < 8; c++) dst[idx[c]] = static_cast<float>(dst[idx[c]] + w[c] * d);
    });
  });
}

}  // namespace csfnet
