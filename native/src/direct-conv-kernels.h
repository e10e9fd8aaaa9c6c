// Slab kernels of the direct convolutions (direct-conv.h), written once over a vector type and
// included by each instruction-set file (direct-avx512.cc, direct-avx2.cc, direct-portable.cc)
// inside its anonymous namespace, after it defines `V`:
//   using T; static constexpr int W (lanes), kRegs (vector registers);
//   zero(), set1(f), load(p), loadPartial(p, n) (lanes >= n read as 0), store(p, v),
//   storePartial(p, v, n), fma(a, b, c) = a*b + c, relu(v) (v <= 0 -> 0, NaN kept), hsum(v).
// Accumulators live in registers: CO output channels x U vectors (forward) or CO x KB taps (weight
// gradient); all index arithmetic is per row, the inner loops are loads and FMAs only.
// No standard-library headers here: the including file brings them in before its target pragma.
// Loops over CO, U, KB and lanes are unrolled completely (CSFNET_UNROLL), so that the accumulator
// arrays become registers for the whole row loop instead of being stored and reloaded per row.

#ifndef CSFNET_UNROLL
#define CSFNET_UNROLL _Pragma("GCC unroll 32")
#endif

/** Output columns [x0, x0 + U*W) of one output row for CO channels: bias + sum over (ci, taps). */
template <int CO, int U>
inline void forwardChunk(const DirectSpec& s, const float* base, const float* wg, const int64_t* kwOff, const float* bias, float* const* yrow, int64_t x0) {
  using T = typename V::T;
  T acc[CO][U];
  CSFNET_UNROLL for (int c = 0; c < CO; c++) {
    const T b = V::set1(bias[c]);
    CSFNET_UNROLL for (int u = 0; u < U; u++) acc[c][u] = b;
  }
  const int64_t plane = s.srcH * s.rowLen;
  const float* wp = wg;
  for (int64_t ci = 0; ci < s.cin; ci++) {
    for (int64_t kd = 0; kd < s.kd; kd++) {
      const float* rows = base + (ci * s.srcD + kd) * plane + x0;
      for (int64_t kh = 0; kh < s.kh; kh++) {
        const float* row = rows + kh * s.rowLen;
        for (int64_t kw = 0; kw < s.kw; kw++, wp += 4) {
          const float* r = row + kwOff[kw];
          T xv[U];
          CSFNET_UNROLL for (int u = 0; u < U; u++) xv[u] = V::load(r + u * V::W);
          CSFNET_UNROLL for (int c = 0; c < CO; c++) {
            const T wv = V::set1(wp[c]);
            CSFNET_UNROLL for (int u = 0; u < U; u++) acc[c][u] = V::fma(wv, xv[u], acc[c][u]);
          }
        }
      }
    }
  }
  CSFNET_UNROLL for (int c = 0; c < CO; c++) {
    CSFNET_UNROLL for (int u = 0; u < U; u++) {
      const T v = s.relu ? V::relu(acc[c][u]) : acc[c][u];
      const int64_t col = x0 + u * V::W;
      if (col + V::W <= s.ow) V::store(yrow[c] + col, v);
      else if (col < s.ow) V::storePartial(yrow[c] + col, v, static_cast<int>(s.ow - col));
    }
  }
}

/** Vectors per chunk: as many as the accumulators (CO x U) leave registers for. */
template <int CO>
constexpr int forwardUnroll() {
  return V::kRegs >= 32 ? 4 : (CO <= 2 ? 4 : 2);
}

/** Output channels [co0, co0 + CO) of output plane oz of sample n. */
template <int CO>
void forwardGroup(const DirectSpec& s, int64_t n, int64_t oz, int64_t co0) {
  constexpr int U = forwardUnroll<CO>();
  const int64_t taps = s.kd * s.kh * s.kw;
  const float* wg = s.w + (co0 / 4) * s.cin * taps * 4;
  int64_t kwOff[kDirectMaxKw];
  for (int64_t kw = 0; kw < s.kw; kw++) kwOff[kw] = (kw % s.sw) * s.phaseLen + kw / s.sw;
  float bias[CO];
  CSFNET_UNROLL for (int c = 0; c < CO; c++) bias[c] = s.bias != nullptr ? s.bias[co0 + c] : 0.0f;
  const float* slab = s.src + (n * s.cin * s.srcD + oz * s.sd) * s.srcH * s.rowLen;
  for (int64_t oy = 0; oy < s.oh; oy++) {
    const float* base = slab + oy * s.sh * s.rowLen;
    float* yrow[CO];
    CSFNET_UNROLL for (int c = 0; c < CO; c++) yrow[c] = s.y + (((n * s.cout + co0 + c) * s.od + oz) * s.oh + oy) * s.ow;
    int64_t x0 = 0;
    for (; x0 + U * V::W <= s.ow; x0 += U * V::W) forwardChunk<CO, U>(s, base, wg, kwOff, bias, yrow, x0);
    if constexpr (U > 2) {
      for (; x0 + 2 * V::W <= s.ow; x0 += 2 * V::W) forwardChunk<CO, 2>(s, base, wg, kwOff, bias, yrow, x0);
    }
    for (; x0 < s.ow; x0 += V::W) forwardChunk<CO, 1>(s, base, wg, kwOff, bias, yrow, x0);
  }
}

void forwardSlab(const DirectSpec& s, int64_t n, int64_t oz) {
  for (int64_t co0 = 0; co0 < s.cout; co0 += 4) {
    switch (s.cout - co0 >= 4 ? 4 : s.cout - co0) {
      case 1: forwardGroup<1>(s, n, oz, co0); break;
      case 2: forwardGroup<2>(s, n, oz, co0); break;
      case 3: forwardGroup<3>(s, n, oz, co0); break;
      default: forwardGroup<4>(s, n, oz, co0); break;
    }
  }
}

/**
 * Weight-gradient taps (ci, kd, kh0 .. kh0+KH, kw0 .. kw0+KB) of channels [co0, co0+CO) over output
 * plane oz of sample n: sum over its rows and columns of dy * src, one vector accumulator per (co,
 * tap). Each pass over the plane's dy rows serves KH x KB taps (fewer passes over dy, and with
 * stride 1 the source rows of tap row kh0+1 are the next output row's tap row kh0).
 */
template <int CO, int KB, int KH>
void weightTaps(const DirectSpec& s, int64_t n, int64_t oz, int64_t co0, int64_t ci, int64_t kd, int64_t kh0, int64_t kw0, float* part) {
  using T = typename V::T;
  T acc[CO][KH][KB];
  CSFNET_UNROLL for (int c = 0; c < CO; c++) {
    CSFNET_UNROLL for (int j = 0; j < KH; j++) {
      CSFNET_UNROLL for (int b = 0; b < KB; b++) acc[c][j][b] = V::zero();
    }
  }
  int64_t off[KH][KB];
  CSFNET_UNROLL for (int j = 0; j < KH; j++) {
    CSFNET_UNROLL for (int b = 0; b < KB; b++) off[j][b] = j * s.rowLen + ((kw0 + b) % s.sw) * s.phaseLen + (kw0 + b) / s.sw;
  }
  const float* plane = s.src + (((n * s.cin + ci) * s.srcD + oz * s.sd + kd) * s.srcH + kh0) * s.rowLen;
  const int64_t dyChannel = s.od * s.oh * s.ow;
  const float* dyPlane = s.dy + ((n * s.cout + co0) * s.od + oz) * s.oh * s.ow;
  for (int64_t oy = 0; oy < s.oh; oy++) {
    const float* xr = plane + oy * s.sh * s.rowLen;
    const float* dr = dyPlane + oy * s.ow;
    int64_t x0 = 0;
    // The KH x KB source vectors first, then each dy vector once against all of them.
    for (; x0 + V::W <= s.ow; x0 += V::W) {
      T xv[KH][KB];
      CSFNET_UNROLL for (int j = 0; j < KH; j++) {
        CSFNET_UNROLL for (int b = 0; b < KB; b++) xv[j][b] = V::load(xr + off[j][b] + x0);
      }
      CSFNET_UNROLL for (int c = 0; c < CO; c++) {
        const T d = V::load(dr + c * dyChannel + x0);
        CSFNET_UNROLL for (int j = 0; j < KH; j++) {
          CSFNET_UNROLL for (int b = 0; b < KB; b++) acc[c][j][b] = V::fma(d, xv[j][b], acc[c][j][b]);
        }
      }
    }
    if (x0 < s.ow) {
      // Both operands zero-filled past the last column, so padding values never enter the sum.
      const int rem = static_cast<int>(s.ow - x0);
      T xv[KH][KB];
      CSFNET_UNROLL for (int j = 0; j < KH; j++) {
        CSFNET_UNROLL for (int b = 0; b < KB; b++) xv[j][b] = V::loadPartial(xr + off[j][b] + x0, rem);
      }
      CSFNET_UNROLL for (int c = 0; c < CO; c++) {
        const T d = V::loadPartial(dr + c * dyChannel + x0, rem);
        CSFNET_UNROLL for (int j = 0; j < KH; j++) {
          CSFNET_UNROLL for (int b = 0; b < KB; b++) acc[c][j][b] = V::fma(d, xv[j][b], acc[c][j][b]);
        }
      }
    }
  }
  const int64_t taps = s.kd * s.kh * s.kw;
  CSFNET_UNROLL for (int c = 0; c < CO; c++) {
    CSFNET_UNROLL for (int j = 0; j < KH; j++) {
      const int64_t tap0 = (kd * s.kh + kh0 + j) * s.kw + kw0;
      CSFNET_UNROLL for (int b = 0; b < KB; b++) part[((co0 + c) * s.cin + ci) * taps + tap0 + b] = V::hsum(acc[c][j][b]);
    }
  }
}

/**
 * Tap rows per pass: 2 where CO x 2 x KB accumulators, 2 x KB source vectors and a dy vector fit the
 * registers (AVX-512 with 2 to 4 channels and up to 3 taps, or 2 channels and 5), else 1.
 */
template <int CO, int KB>
constexpr int weightKh() {
  return CO >= 2 && CO * 2 * KB + 2 * KB + 1 <= V::kRegs - 1 ? 2 : 1;
}

/** Taps [kw0, kw0+KB) of every kernel row, KH rows per pass. */
template <int CO, int KB>
void weightColumns(const DirectSpec& s, int64_t n, int64_t oz, int64_t co0, int64_t ci, int64_t kd, int64_t kw0, float* part) {
  constexpr int KH = weightKh<CO, KB>();
  int64_t kh = 0;
  for (; kh + KH <= s.kh; kh += KH) weightTaps<CO, KB, KH>(s, n, oz, co0, ci, kd, kh, kw0, part);
  for (; kh < s.kh; kh++) weightTaps<CO, KB, 1>(s, n, oz, co0, ci, kd, kh, kw0, part);
}

/** Taps per accumulator block: up to 5 along W, fewer where CO x KB accumulators would not fit. */
template <int CO>
void weightPlane(const DirectSpec& s, int64_t n, int64_t oz, int64_t co0, int64_t ci, int64_t kd, float* part) {
  constexpr int64_t kMaxKb = (V::kRegs >= 32 || CO <= 2) ? 5 : 3;
  for (int64_t kw0 = 0; kw0 < s.kw;) {
    const int64_t kb = s.kw - kw0 < kMaxKb ? s.kw - kw0 : kMaxKb;
    switch (kb) {
      case 1: weightColumns<CO, 1>(s, n, oz, co0, ci, kd, kw0, part); break;
      case 2: weightColumns<CO, 2>(s, n, oz, co0, ci, kd, kw0, part); break;
      case 3: weightColumns<CO, 3>(s, n, oz, co0, ci, kd, kw0, part); break;
      case 4: weightColumns<CO, 4>(s, n, oz, co0, ci, kd, kw0, part); break;
      default: weightColumns<CO, 5>(s, n, oz, co0, ci, kd, kw0, part); break;
    }
    kw0 += kb;
  }
}

void weightSlab(const DirectSpec& s, int64_t n, int64_t oz, float* part) {
  for (int64_t co0 = 0; co0 < s.cout; co0 += 4) {
    const int64_t co = s.cout - co0 >= 4 ? 4 : s.cout - co0;
    for (int64_t ci = 0; ci < s.cin; ci++) {
      for (int64_t kd = 0; kd < s.kd; kd++) {
        switch (co) {
          case 1: weightPlane<1>(s, n, oz, co0, ci, kd, part); break;
          case 2: weightPlane<2>(s, n, oz, co0, ci, kd, part); break;
          case 3: weightPlane<3>(s, n, oz, co0, ci, kd, part); break;
          default: weightPlane<4>(s, n, oz, co0, ci, kd, part); break;
        }
      }
    }
  }
}
