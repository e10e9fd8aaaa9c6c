// Batch normalisation over x viewed as (n, c, spatial), as Kernels.batchNorm* in kernels.ts.
#pragma once
#include <cstdint>

namespace csfnet {

struct BnGeom {
  int64_t n, c, spatial;
};

void batchNormStats(const float* x, float* mean, float* variance, const BnGeom& g);
void batchNormApply(const float* x, const float* mean, const float* invstd, const float* gamma, const float* beta, float* y, const BnGeom& g);
void batchNormBackward(const float* x, const float* dy, const float* mean, const float* invstd, const float* gamma, float* dx, float* dgamma, float* dbeta, const BnGeom& g, bool training);

}  // namespace csfnet
