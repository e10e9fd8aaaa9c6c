// Pooling, one task per plane (windows never cross planes, so scatter-adds stay in one task and
// the order of additions is fixed). PyTorch semantics: -inf padding for max (NaN wins, first
// maximum kept), zero padding counted in the average's divisor (count_include_pad=True).
#include "pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "thread-pool.h"

namespace csfnet {
namespace {

template <class F>
void forEachWindow(const PoolGeom& g, int64_t plane, F fn) {
  for (int64_t od = 0; od < g.od; od++) {
    const int64_t d0 = od * g.sd - g.pd, d1 = std::min(d0 + g.kd, g.id);
    for (int64_t oh = 0; oh < g.oh; oh++) {
      const int64_t h0 = oh * g.sh - g.ph, h1 = std::min(h0 + g.kh, g.ih);
      for (int64_t ow = 0; ow < g.ow; ow++) {
        const int64_t w0 = ow * g.sw - g.pw, w1 = std::min(w0 + g.kw, g.iw);
        fn(((plane * g.od + od) * g.oh + oh) * g.ow + ow, std::max<int64_t>(d0, 0), d1, std::max<int64_t>(h0, 0), h1, std::max<int64_t>(w0, 0), w1);
      }
    }
  }
}

}  // namespace

void maxPool3dForward(const float* x, float* y, int32_t* arg, const PoolGeom& g) {
  const int64_t inPlane = g.id * g.ih * g.iw;
  parallelFor(g.planes, g.planes * (inPlane + g.od * g.oh * g.ow), [&](int64_t p) {
    const float* src = x + p * inPlane;
    forEachWindow(g, p, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
      float best = -INFINITY;
      int64_t at = -1;
      // Same scan as the reference backend: a NaN ends the scan of its row only.
      for (int64_t d = d0; d < d1; d++) {
        for (int64_t h = h0; h < h1; h++) {
          for (int64_t w = w0; w < w1; w++) {
            const int64_t idx = (d * g.ih + h) * g.iw + w;
            const float v = src[idx];
            if (v > best || std::isnan(v) || at < 0) {
              best = v;
              at = idx;
              if (std::isnan(v)) break;
            }
          }
        }
      }
      y[o] = best;
      arg[o] = static_cast<int32_t>(at);
    });
  });
}

void maxPool3dBackward(const float* dy, const int32_t* arg, float* dx, const PoolGeom& g) {
  const int64_t inPlane = g.id * g.ih * g.iw, outPlane = g.od * g.oh * g.ow;
  parallelFor(g.planes, g.planes * (inPlane + outPlane), [&](int64_t p) {
    float* dst = dx + p * inPlane;
    std::memset(dst, 0, sizeof(float) * inPlane);
    for (int64_t o = 0; o < outPlane; o++) {
      const int32_t at = arg[p * outPlane + o];
      if (at >= 0) dst[at] += dy[p * outPlane + o];
    }
  });
}

void avgPool3dForward(const float* x, float* y, const PoolGeom& g) {
  const int64_t inPlane = g.id * g.ih * g.iw;
  const float divisor = static_cast<float>(g.kd * g.kh * g.kw);
  parallelFor(g.planes, g.planes * (inPlane + g.od * g.oh * g.ow * g.kd * g.kh * g.kw), [&](int64_t p) {
    const float* src = x + p * inPlane;
    forEachWindow(g, p, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
      double s = 0.0;
      for (int64_t d = d0; d < d1; d++) {
        for (int64_t h = h0; h < h1; h++) {
          for (int64_t w = w0; w < w1; w++) s += src[(d * g.ih + h) * g.iw + w];
        }
      }
      y[o] = static_cast<float>(s / divisor);
    });
  });
}

void avgPool3dBackward(const float* dy, float* dx, const PoolGeom& g) {
  const int64_t inPlane = g.id * g.ih * g.iw;
  const double divisor = static_cast<double>(g.kd * g.kh * g.kw);
  parallelFor(g.planes, g.planes * (inPlane + g.od * g.oh * g.ow * g.kd * g.kh * g.kw), [&](int64_t p) {
    float* dst = dx + p * inPlane;
    std::memset(dst, 0, sizeof(float) * inPlane);
    forEachWindow(g, p, [&](int64_t o, int64_t d0, int64_t d1, int64_t h0, int64_t h1, int64_t w0, int64_t w1) {
      const float share = static_cast<float>(dy[o] / divisor);
      for (int64_t d = d0; d < d1; d++) {
        for (int64_t h = h0; h < h1; h++) {
          for (int64_t w = w0; w < w1; w++) dst[(d * g.ih + h) * g.iw + w] += share;
        }
      }
    });
  });
}

}  // namespace csfnet
