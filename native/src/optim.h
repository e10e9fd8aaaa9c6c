// Optimiser update kernels (Kernels.adamStep in kernels.ts).
#pragma once
#include <cstdint>

namespace csfnet {

void adamStep(float* p, const float* grad, float* m, float* v, int64_t size, double lr, double beta1, double beta2, double eps, double weightDecay, double step, bool decoupled);

}  // namespace csfnet
