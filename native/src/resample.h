// Adaptive average pooling and trilinear interpolation over N*C planes (Kernels.adaptiveAvgPool3d*,
// upsampleTrilinear* in kernels.ts), PyTorch's index rules.
#pragma once
#include <cstdint>

namespace csfnet {

struct ResampleGeom {
  int64_t planes, id, ih, iw, od, oh, ow;
};

void adaptiveAvgPool3dForward(const float* x, float* y, const ResampleGeom& g);
void adaptiveAvgPool3dBackward(const float* dy, float* dx, const ResampleGeom& g);
void upsampleTrilinearForward(const float* x, float* y, const ResampleGeom& g, bool alignCorners);
void upsampleTrilinearBackward(const float* dy, float* dx, const ResampleGeom& g, bool alignCorners);

}  // namespace csfnet
