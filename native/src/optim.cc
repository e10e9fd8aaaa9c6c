// Adam (Kingma and Ba 2015) / AdamW (Loshchilov and Hutter 2019) in the order torch.optim applies
// them, per element in float64 like the reference backend, in fixed 32k-element chunks.
#include "optim.h"

#include <algorithm>
#include <cmath>

#include "thread-pool.h"

namespace csfnet {

void adamStep(float* p, const float* grad, float* m, float* v, int64_t size, double lr, double beta1, double beta2, double eps, double weightDecay, double step, bool decoupled) {
  const double bc1 = 1.0 - std::pow(beta1, step);
  const double bc2Sqrt = std::sqrt(1.0 - std::pow(beta2, step));
  const double stepSize = lr / bc1;
  const double decay = decoupled ? 1.0 - lr * weightDecay : 1.0;
  constexpr int64_t kChunk = 32768;
  parallelFor((size + kChunk - 1) / kChunk, 8 * size, [&](int64_t t) {
    const int64_t a = t * kChunk, b = std::min(size, a + kChunk);
    for (int64_t i = a; i < b; i++) {
      double gr = grad[i];
      double w = p[i];
      if (decoupled) w *= decay;
      else if (weightDecay != 0.0) gr += weightDecay * w;
      const double mi = beta1 * m[i] + (1.0 - beta1) * gr;
      const double vi = beta2 * v[i] + (1.0 - beta2) * gr * gr;
      m[i] = static_cast<float>(mi);
      v[i] = static_cast<float>(vi);
      p[i] = static_cast<float>(w - (stepSize * mi) / (std::sqrt(vi) / bc2Sqrt + eps));
    }
  });
}

}  // namespace csfnet
