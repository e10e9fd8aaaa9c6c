// Batch norm kernels. Statistics and gradient sums are single passes over fixed chunks of each
// (n, c) plane with float64 row primitives (row-kernels.h); the chunk partials of a channel are
// combined in chunk order, so results are the same for any thread count. Statistics per chunk k of
// count n_k: its sum S_k and M2_k = sum (x - S_k/n_k)^2 (the second pass reads the chunk from L1);
// then mean = sum S_k / N and M2 = sum M2_k + n_k (S_k/n_k - mean)^2 (Chan, Golub and LeVeque 1983,
// "Algorithms for computing the sample variance"). Formulas as PyTorch's (Ioffe and Szegedy 2015;
// the training-mode gradient as in the reference backend's docstring).
#include "batch-norm.h"

#include <algorithm>
#include <vector>

#include "row-kernels.h"
#include "thread-pool.h"

namespace csfnet {
namespace {

/** Floats per chunk: 32 KB, so a chunk read twice stays in L1. */
constexpr int64_t kChunk = 8192;

/** Chunks of channel c, in order: plane n, then position within the plane. */
struct Chunks {
  int64_t perPlane, perChannel;
  explicit Chunks(const BnGeom& g) : perPlane(std::max<int64_t>(1, (g.spatial + kChunk - 1) / kChunk)), perChannel(g.n * perPlane) {}
  /** Offset and length of chunk k of channel c. */
  void at(const BnGeom& g, int64_t c, int64_t k, int64_t& off, int64_t& len) const {
    const int64_t n = k / perPlane, i0 = (k % perPlane) * kChunk;
    off = (n * g.c + c) * g.spatial + i0;
    len = std::min(kChunk, g.spatial - i0);
  }
};

}  // namespace

void batchNormStats(const float* x, float* mean, float* variance, const BnGeom& g) {
  const RowKernels& rows = rowKernels();
  const Chunks chunks(g);
  std::vector<double> sums(g.c * chunks.perChannel), m2(sums.size());
  parallelFor(g.c * chunks.perChannel, g.n * g.c * g.spatial, [&](int64_t t) {
    int64_t off = 0, len = 0;
    chunks.at(g, t / chunks.perChannel, t % chunks.perChannel, off, len);
    sums[t] = rows.sum(x + off, len);
    m2[t] = len > 0 ? rows.sumSqDev(x + off, len, sums[t] / static_cast<double>(len)) : 0.0;
  });
  const double count = static_cast<double>(g.n * g.spatial);
  for (int64_t c = 0; c < g.c; c++) {
    const int64_t base = c * chunks.perChannel;
    double s = 0.0;
    for (int64_t k = 0; k < chunks.perChannel; k++) s += sums[base + k];
    const double mu = s / count;
    double v = 0.0;
    for (int64_t k = 0; k < chunks.perChannel; k++) {
      int64_t off = 0, len = 0;
      chunks.at(g, c, k, off, len);
      if (len == 0) continue;
      const double d = sums[base + k] / static_cast<double>(len) - mu;
      v += m2[base + k] + static_cast<double>(len) * d * d;
    }
    mean[c] = static_cast<float>(mu);
    variance[c] = static_cast<float>(v / count);
  }
}

void batchNormApply(const float* x, const float* mean, const float* invstd, const float* gamma, const float* beta, float* y, const BnGeom& g) {
  parallelFor(g.n * g.c, g.n * g.c * g.spatial, [&](int64_t plane) {
    const int64_t c = plane % g.c;
    const float scale = static_cast<float>(static_cast<double>(invstd[c]) * (gamma != nullptr ? gamma[c] : 1.0f));
    const float shift = static_cast<float>((beta != nullptr ? beta[c] : 0.0f) - static_cast<double>(mean[c]) * scale);
    const float* p = x + plane * g.spatial;
    float* q = y + plane * g.spatial;
    for (int64_t i = 0; i < g.spatial; i++) q[i] = p[i] * scale + shift;
  });
}

void batchNormBackward(const float* x, const float* dy, const float* mean, const float* invstd, const float* gamma, float* dx, float* dgamma, float* dbeta, const BnGeom& g, bool training) {
  const RowKernels& rows = rowKernels();
  const Chunks chunks(g);
  // Pass 1: per channel, sum dy and sum dy * (x - mean) (times invstd: dgamma).
  std::vector<double> part(2 * g.c * chunks.perChannel, 0.0);
  if (training || dgamma != nullptr || dbeta != nullptr) {
    parallelFor(g.c * chunks.perChannel, g.n * g.c * g.spatial, [&](int64_t t) {
      const int64_t c = t / chunks.perChannel;
      int64_t off = 0, len = 0;
      chunks.at(g, c, t % chunks.perChannel, off, len);
      rows.sumDyDev(dy + off, x + off, len, mean[c], &part[2 * t]);
    });
  }
  std::vector<float> a(g.c), b(g.c), e(g.c);
  const double count = static_cast<double>(g.n * g.spatial);
  for (int64_t c = 0; c < g.c; c++) {
    double sdy = 0.0, sdev = 0.0;
    for (int64_t k = 0; k < chunks.perChannel; k++) {
      sdy += part[2 * (c * chunks.perChannel + k)];
      sdev += part[2 * (c * chunks.perChannel + k) + 1];
    }
    const double is = invstd[c], sdyx = sdev * is;
    if (dgamma != nullptr) dgamma[c] = static_cast<float>(sdyx);
    if (dbeta != nullptr) dbeta[c] = static_cast<float>(sdy);
    const double gm = gamma != nullptr ? gamma[c] : 1.0;
    if (training) {
      // dx = k*(count*dy - sdy - xhat*sdyx) = a*dy + b + e*(x - mean), k = gamma*invstd/count
      const double k = gm * is / count;
      a[c] = static_cast<float>(k * count);
      b[c] = static_cast<float>(-k * sdy);
      e[c] = static_cast<float>(-k * sdyx * is);
    } else {
      a[c] = static_cast<float>(gm * is);
      b[c] = 0.0f;
      e[c] = 0.0f;
    }
  }
  // Pass 2: dx element-wise, per plane.
  parallelFor(g.n * g.c, g.n * g.c * g.spatial, [&](int64_t plane) {
    const int64_t c = plane % g.c;
    const float ac = a[c], bc = b[c], ec = e[c], mu = mean[c];
    const float* px = x + plane * g.spatial;
    const float* pdy = dy + plane * g.spatial;
    float* out = dx + plane * g.spatial;
    if (training) {
      for (int64_t i = 0; i < g.spatial; i++) out[i] = ac * pdy[i] + bc + ec * (px[i] - mu);
    } else {
      for (int64_t i = 0; i < g.spatial; i++) out[i] = pdy[i] * ac;
    }
  });
}

}  // namespace csfnet
