// 3x3x3 stride-1 convolutions by Winograd's minimal filtering F(2x2x2, 3x3x3) (Lavin and Gray 2016,
// "Fast Algorithms for Convolutional Neural Networks", extended to 3-D by applying the 1-D F(2, 3)
// transforms along D, H and W). Each 2x2x2 output tile is A^T [ (G g G^T) . (B^T d B) ] A of its
// 4x4x4 input tile d (stride 2 between tiles), so the channel sums become 64 independent GEMMs
//   M_xi[cout x tiles] = U_xi[cout x cin] . V_xi[cin x tiles],   xi = 0..63,
// 64 multiplications per tile where direct convolution needs 8*27 = 216 (3.375x fewer).
// The GEMMs run on the outer micro-kernel (isa.h), U_xi packed as its A panels and V_xi as its B
// panels; tiles go in blocks whose transformed input and output stay in cache.
#pragma once
#include "im2col.h"
#include "winograd-kernels.h"

namespace csfnet {

/**
 * Whether g is a convolution this path computes (kernel 3x3x3, stride 1, output size in + 2p - 2
 * per axis) and where it was measured faster than the GEMM path (enough channels on both sides).
 * CSFNET_WINOGRAD=0 in the environment turns the path off (for comparisons).
 */
bool winogradSuits(const ConvGeom& g);

/** y (NCDHW) = conv(x, w over g) (+ bias per output channel, then ReLU if relu; NaN kept). */
void winogradForward(const float* x, const WinogradWeights& w, const float* bias, float* y, const ConvGeom& g, bool relu);

}  // namespace csfnet
