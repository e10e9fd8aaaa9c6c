// 3-D convolution (cross-correlation, zero padding, dilation 1, groups 1) on NCDHW float32, the
// three passes of training. Same contract as src/tensor/kernels.ts: outputs overwritten.
#pragma once
#include "im2col.h"

namespace csfnet {

void conv3dForward(const float* x, const float* w, const float* bias, float* y, const ConvGeom& g, bool relu);
void conv3dBackwardData(const float* dy, const float* w, float* dx, const ConvGeom& g);
void conv3dBackwardWeight(const float* x, const float* dy, float* dw, float* db, const ConvGeom& g);

}  // namespace csfnet
