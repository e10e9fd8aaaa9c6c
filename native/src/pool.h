// 3-D max and average pooling over N*C planes (Kernels.maxPool3d*/avgPool3d* in kernels.ts).
#pragma once
#include <cstdint>

namespace csfnet {

struct PoolGeom {
  int64_t planes, id, ih, iw, kd, kh, kw, sd, sh, sw, pd, ph, pw, od, oh, ow;
};

void maxPool3dForward(const float* x, float* y, int32_t* arg, const PoolGeom& g);
void maxPool3dBackward(const float* dy, const int32_t* arg, float* dx, const PoolGeom& g);
void avgPool3dForward(const float* x, float* y, const PoolGeom& g);
void avgPool3dBackward(const float* dy, float* dx, const PoolGeom& g);

}  // namespace csfnet
