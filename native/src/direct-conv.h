// Direct 3-D convolutions for layers with few channels on one side (CSF-Net's full-resolution stem:
// conv1 1->4, conv2 4->4, the ResCBAM spatial conv 2->1 k5, the stride-2 4->4; the small variant's
// 4->8 and 8->8 at 8x32x32), where a GEMM with M or N of 1-8 leaves most of the micro-kernel idle.
// Taken when the side kept in registers has at most 4 channels, or 8 on rows of 32 or more. The
// input is first copied into a zero-padded source whose rows are split into stride phases, so that
// every tap of every output row is a contiguous, unmasked vector load:
//   forward        y[co, z, y, x] = sum_{ci, t} w[co, ci, t] src[ci, z*sd + kd, y*sh + kh, x*sw + kw]
//   data, stride 1 the forward convolution of dy (padded by k-1-p) with the flipped,
//                  channel-transposed weights (Dumoulin and Visin 2016, "A guide to convolution
//                  arithmetic", section 4)
//   data, strided  per output parity, the stride-1 convolution of dy with the taps that reach
//                  that parity (the sub-pixel split of a transposed convolution, Shi et al. 2016,
//                  "Is the deconvolution layer the same as a convolutional layer?")
//   weight         dw[co, ci, t] = sum_{n, o} dy[n, co, o] src[n, ci, o*s + t], one partial sum per
//                  (n, output plane) task, the partials added in task order
// Vectorised along W (kernels in direct-conv-kernels.h, instantiated per instruction set), parallel
// over (sample, output plane) slabs, every sum in a fixed order whatever the thread count.
#pragma once
#include <cstdint>

#include "im2col.h"

namespace csfnet {

/** Largest kernel width the direct kernels take (their per-tap offset tables are this long). */
constexpr int64_t kDirectMaxKw = 32;

/**
 * A convolution read from a padded, phase-split source: sample n, channel ci, padded plane z, row
 * y, padded column c lives at src[((n*cin + ci)*srcD + z)*srcH*rowLen + y*rowLen + (c % sw)*phaseLen
 * + c / sw]. Output (oz, oy, ox) of tap (kd, kh, kw) reads padded (oz*sd + kd, oy*sh + kh, ox*sw +
 * kw). phaseLen leaves room for whole vectors past the last output column (zeros there).
 */
struct DirectSpec {
  const float* src = nullptr;
  int64_t n = 0, cin = 0, cout = 0;
  int64_t srcD = 0, srcH = 0, rowLen = 0, phaseLen = 0;
  int64_t kd = 0, kh = 0, kw = 0, sd = 1, sh = 1, sw = 1;
  int64_t od = 0, oh = 0, ow = 0;
  // Forward: weights packed as [co / 4][ci][kd][kh][kw][co % 4] (zeros past cout), optional bias,
  // relu after the bias (NaN kept), output y in NCDHW.
  const float* w = nullptr;
  const float* bias = nullptr;
  bool relu = false;
  float* y = nullptr;
  // Weight gradient: dy in NCDHW; partial sums written as [co][ci][kd][kh][kw].
  const float* dy = nullptr;
};

/** Per-instruction-set slab kernels (direct-conv-kernels.h). */
struct DirectKernels {
  /** Forward outputs of every channel on output plane oz of sample n. */
  void (*forwardSlab)(const DirectSpec& s, int64_t n, int64_t oz);
  /** Weight-gradient contributions of output plane oz of sample n, written to part (cout*cin*taps). */
  void (*weightSlab)(const DirectSpec& s, int64_t n, int64_t oz, float* part);
};

extern const DirectKernels kDirectPortable;
// Null on builds without x86-64 support for them.
extern const DirectKernels* const kDirectAvx2;
extern const DirectKernels* const kDirectAvx512;

/** Turns the direct kernels on or off (off: every convolution goes through the GEMM paths). */
void setDirectConv(bool enabled);
bool directConvEnabled();

/** Whether the direct kernels take this pass (few channels on the side they keep in registers). */
bool directForwardSuits(const ConvGeom& g);
bool directBackwardDataSuits(const ConvGeom& g);
bool directBackwardWeightSuits(const ConvGeom& g);

void directForward(const float* x, const float* w, const float* bias, float* y, const ConvGeom& g, bool relu);
void directBackwardData(const float* dy, const float* w, float* dx, const ConvGeom& g);
/** dw only; the caller adds the bias gradient. */
void directBackwardWeight(const float* x, const float* dy, float* dw, const ConvGeom& g);

}  // namespace csfnet
