// The three transforms of Winograd F(2x2x2, 3x3x3) (winograd.h), per instruction set: written once
// in winograd-kernels-impl.h and compiled with each level's vectors (winograd-avx512.cc, -avx2.cc,
// -portable.cc), like the row kernels. Transformed values are indexed xi = (a*4 + b)*4 + c, with a,
// b, c the positions along D, H and W of the 4x4x4 tile.
#pragma once
#include <cstdint>

#include "im2col.h"

namespace csfnet {

/**
 * Where the 3x3x3 filter of output channel o and input channel i lives: 27 taps (kd, kh, kw order)
 * at w + o*outStride + i*inStride, read backwards when flip (the data gradient's filter).
 */
struct WinogradWeights {
  const float* w;
  int64_t outStride, inStride;
  bool flip;
};

/** Tiles per block: the width of the B panels (every level's NR divides it) and of the products. */
constexpr int64_t kWinogradTiles = 32;

/**
 * Tiles j .. j+len-1 of a block: consecutive along W in one tile row, whose first tile has its
 * outputs from (oz, oy, ox) = 2 * (td, th, tw) of the sample whose input starts at x + in and
 * output at y + out (channel 0).
 */
struct WinogradRun {
  int64_t j, len, in, out, oz, oy, ox;
};

struct WinogradKernels {
  /** MR and NR of the outer micro-kernel this table's A and B panels are laid out for. */
  int64_t mr, nr;
  /**
   * U = G g G^T along each axis for output channels o0..o0+rows-1 (rows <= MR) and every input
   * channel, as one MR-row panel of the outer GEMM's packed A per xi: u[xi*xiStride + i*MR + r],
   * zero rows past `rows`.
   */
  void (*weights)(const WinogradWeights& w, int64_t o0, int64_t rows, int64_t cin, float* u, int64_t xiStride);
  /**
   * V = B^T d B along each axis of the 4x4x4 input tiles of one channel (xc: channel ci of sample
   * 0) for a block's runs, tile (run.j + k) reading from (oz - pd, oy - ph, ox + 2k - pw), zeros
   * outside the input. Value xi of block tile j goes to dst[xi*xiStride + (j/NR)*panelStride +
   * j%NR] (NR-wide B panels); tiles past the runs get zeros.
   */
  void (*input)(const float* xc, const ConvGeom& g, const WinogradRun* runs, int64_t nruns, float* dst, int64_t xiStride, int64_t panelStride);
  /**
   * Y = A^T m A along each axis of a block's products for one output channel (m[xi*xiStride + j]),
   * plus bias, then ReLU if asked (NaN kept), written to the 2x2x2 outputs of each run's tiles
   * (yc: channel co of sample 0), clipped to the output at odd sizes.
   */
  void (*output)(const float* m, int64_t xiStride, float bias, bool relu, float* yc, const ConvGeom& g, const WinogradRun* runs, int64_t nruns);
};

extern const WinogradKernels kWinogradPortable;
// Null on builds without x86-64 support for them.
extern const WinogradKernels* const kWinogradAvx2;
extern const WinogradKernels* const kWinogradAvx512;

/** The table of the instruction-set level in use (isa()). */
const WinogradKernels& winogradKernels();

}  // namespace csfnet
