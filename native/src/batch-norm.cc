// Batch norm kernels, one task per channel (or per (n, c) plane for the element-wise apply), with
// float64 sums in a fixed order: deterministic for any thread count. Formulas as PyTorch's
// (Ioffe and Szegedy 2015; the training-mode gradient as in the reference backend's docstring).
#include "batch-norm.h"

#include "thread-pool.h"

namespace csfnet {

void batchNormStats(const float* x, float* mean, float* variance, const BnGeom& g) {
  const double count = static_cast<double>(g.n * g.spatial);
  parallelFor(g.c, [&](int64_t c) {
    double s = 0.0;
    for (int64_t n = 0; n < g.n; n++) {
      const float* p = x + (n * g.c + c) * g.spatial;
      for (int64_t i = 0; i < g.spatial; i++) s += p[i];
    }
    const double mu = s / count;
    double v = 0.0;
    for (int64_t n = 0; n < g.n; n++) {
      const float* p = x + (n * g.c + c) * g.spatial;
      for (int64_t i = 0; i < g.spatial; i++) {
        const double d = p[i] - mu;
        v += d * d;
      }
    }
    mean[c] = static_cast<float>(mu);
    variance[c] = static_cast<float>(v / count);
  });
}

void batchNormApply(const float* x, const float* mean, const float* invstd, const float* gamma, const float* beta, float* y, const BnGeom& g) {
  parallelFor(g.n * g.c, [&](int64_t plane) {
    const int64_t c = plane % g.c;
    const float scale = static_cast<float>(static_cast<double>(invstd[c]) * (gamma != nullptr ? gamma[c] : 1.0f));
    const float shift = static_cast<float>((beta != nullptr ? beta[c] : 0.0f) - static_cast<double>(mean[c]) * scale);
    const float* p = x + plane * g.spatial;
    float* q = y + plane * g.spatial;
    for (int64_t i = 0; i < g.spatial; i++) q[i] = p[i] * scale + shift;
  });
}

void batchNormBackward(const float* x, const float* dy, const float* mean, const float* invstd, const float* gamma, float* dx, float* dgamma, float* dbeta, const BnGeom& g, bool training) {
  const int64_t count = g.n * g.spatial;
  parallelFor(g.c, [&](int64_t c) {
    const float mu = mean[c], is = invstd[c];
    double sdy = 0.0, sdyx = 0.0;
    for (int64_t n = 0; n < g.n; n++) {
      const int64_t off = (n * g.c + c) * g.spatial;
      for (int64_t i = 0; i < g.spatial; i++) {
        const double d = dy[off + i];
        sdy += d;
        sdyx += d * ((static_cast<double>(x[off + i]) - mu) * is);
      }
    }
    if (dgamma != nullptr) dgamma[c] = static_cast<float>(sdyx);
    if (dbeta != nullptr) dbeta[c] = static_cast<float>(sdy);
    const double gm = gamma != nullptr ? gamma[c] : 1.0;
    if (training) {
      const double k = gm * is / static_cast<double>(count);
      const float a = static_cast<float>(k * static_cast<double>(count));
      const float b = static_cast<float>(-k * sdy);
      const float e = static_cast<float>(-k * sdyx * is);
      // dx = k*(count*dy - sdy - xhat*sdyx) = a*dy + b + e*(x - mu)
      for (int64_t n = 0; n < g.n; n++) {
        const int64_t off = (n * g.c + c) * g.spatial;
        for (int64_t i = 0; i < g.spatial; i++) dx[off + i] = a * dy[off + i] + b + e * (x[off + i] - mu);
      }
    } else {
      const float k = static_cast<float>(gm * is);
      for (int64_t n = 0; n < g.n; n++) {
        const int64_t off = (n * g.c + c) * g.spatial;
        for (int64_t i = 0; i < g.spatial; i++) dx[off + i] = dy[off + i] * k;
      }
    }
  });
}

}  // namespace csfnet
