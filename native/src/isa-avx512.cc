// AVX-512F micro-kernels (512-bit vectors, 32 registers), used when the CPU and OS support them
// (cpu-features.cc). Outer 8x32: 16 accumulators + 2 B vectors + 1 broadcast; dot 4x4: 16
// accumulators + 4 A vectors + 1 B vector. Full-width 512-bit FMA units (AMD Zen 5, Intel server
// cores) give twice the AVX2 peak per cycle.
#include "isa.h"
#include "outer-tile.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#endif

namespace csfnet {
namespace {

constexpr int kMr = kOuterTileAvx512.mr;
constexpr int kNr = kOuterTileAvx512.nr;

inline void storeRow(float* c, __m512 lo, __m512 hi, bool accumulate) {
  if (accumulate) {
    lo = _mm512_add_ps(lo, _mm512_loadu_ps(c));
    hi = _mm512_add_ps(hi, _mm512_loadu_ps(c + 16));
  }
  _mm512_storeu_ps(c, lo);
  _mm512_storeu_ps(c + 16, hi);
}

#define CSFNET_ROW(i)                         \
  a = _mm512_set1_ps(ap[i]);                  \
  c##i##0 = _mm512_fmadd_ps(a, b0, c##i##0); \
  c##i##1 = _mm512_fmadd_ps(a, b1, c##i##1);

void outerAvx512(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate) {
  __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  __m512 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
  for (int64_t k = 0; k < kc; k++) {
    const __m512 b0 = _mm512_loadu_ps(bp);
    const __m512 b1 = _mm512_loadu_ps(bp + 16);
    __m512 a;
    CSFNET_ROW(0)
    CSFNET_ROW(1)
    CSFNET_ROW(2)
    CSFNET_ROW(3)
    CSFNET_ROW(4)
    CSFNET_ROW(5)
    CSFNET_ROW(6)
    CSFNET_ROW(7)
    ap += kMr;
    bp += kNr;
  }
  storeRow(c, c00, c01, accumulate);
  storeRow(c + ldc, c10, c11, accumulate);
  storeRow(c + 2 * ldc, c20, c21, accumulate);
  storeRow(c + 3 * ldc, c30, c31, accumulate);
  storeRow(c + 4 * ldc, c40, c41, accumulate);
  storeRow(c + 5 * ldc, c50, c51, accumulate);
  storeRow(c + 6 * ldc, c60, c61, accumulate);
  storeRow(c + 7 * ldc, c70, c71, accumulate);
}
#undef CSFNET_ROW

#define CSFNET_IROW(i)                        \
  a = _mm512_set1_ps(ap[i]);                  \
  c##i##0 = _mm512_fmadd_ps(a, b0, c##i##0); \
  c##i##1 = _mm512_fmadd_ps(a, b1, c##i##1);

void outerIndirectAvx512(int64_t kc, const float* ap, const float* x, const int64_t* offLo, const int64_t* offHi, const uint32_t* masks, float* c, int64_t ldc, bool accumulate) {
  __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  __m512 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
  for (int64_t k = 0; k < kc; k++) {
    const uint32_t m = masks[k];
    const __m512 b0 = _mm512_maskz_loadu_ps(static_cast<__mmask16>(m), x + offLo[k]);
    const __m512 b1 = _mm512_maskz_loadu_ps(static_cast<__mmask16>(m >> 16), x + offHi[k]);
    __m512 a;
    CSFNET_IROW(0)
    CSFNET_IROW(1)
    CSFNET_IROW(2)
    CSFNET_IROW(3)
    CSFNET_IROW(4)
    CSFNET_IROW(5)
    CSFNET_IROW(6)
    CSFNET_IROW(7)
    ap += kMr;
  }
  storeRow(c, c00, c01, accumulate);
  storeRow(c + ldc, c10, c11, accumulate);
  storeRow(c + 2 * ldc, c20, c21, accumulate);
  storeRow(c + 3 * ldc, c30, c31, accumulate);
  storeRow(c + 4 * ldc, c40, c41, accumulate);
  storeRow(c + 5 * ldc, c50, c51, accumulate);
  storeRow(c + 6 * ldc, c60, c61, accumulate);
  storeRow(c + 7 * ldc, c70, c71, accumulate);
}
#undef CSFNET_IROW

constexpr int kDotMr = 4;
constexpr int kDotNr = 4;

void dotAvx512(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  __m512 acc[kDotMr][kDotNr];
  for (int i = 0; i < kDotMr; i++) {
    for (int j = 0; j < kDotNr; j++) acc[i][j] = _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < kc; k += 16) {
    const __m512 a0 = _mm512_loadu_ps(a + k);
    const __m512 a1 = _mm512_loadu_ps(a + lda + k);
    const __m512 a2 = _mm512_loadu_ps(a + 2 * lda + k);
    const __m512 a3 = _mm512_loadu_ps(a + 3 * lda + k);
    for (int j = 0; j < kDotNr; j++) {
      const __m512 bv = _mm512_loadu_ps(b + j * ldb + k);
      acc[0][j] = _mm512_fmadd_ps(a0, bv, acc[0][j]);
      acc[1][j] = _mm512_fmadd_ps(a1, bv, acc[1][j]);
      acc[2][j] = _mm512_fmadd_ps(a2, bv, acc[2][j]);
      acc[3][j] = _mm512_fmadd_ps(a3, bv, acc[3][j]);
    }
  }
  for (int i = 0; i < kDotMr; i++) {
    for (int j = 0; j < kDotNr; j++) c[i * ldc + j] += _mm512_reduce_add_ps(acc[i][j]);
  }
}

void copyAvx512(float* dst, const float* src, int64_t len) {
  int64_t i = 0;
  if (src == nullptr) {
    const __m512 z = _mm512_setzero_ps();
    for (; i + 16 <= len; i += 16) _mm512_storeu_ps(dst + i, z);
    if (i < len) _mm512_mask_storeu_ps(dst + i, static_cast<__mmask16>((1u << (len - i)) - 1), z);
    return;
  }
  for (; i + 16 <= len; i += 16) _mm512_storeu_ps(dst + i, _mm512_loadu_ps(src + i));
  if (i < len) {
    const __mmask16 m = static_cast<__mmask16>((1u << (len - i)) - 1);
    _mm512_mask_storeu_ps(dst + i, m, _mm512_maskz_loadu_ps(m, src + i));
  }
}

}  // namespace

const IsaKernels kAvx512Table = {"avx512", kMr, kNr, outerAvx512, kDotMr, kDotNr, dotAvx512, copyAvx512, outerIndirectAvx512};
const IsaKernels* const kAvx512Kernels = &kAvx512Table;

}  // namespace csfnet

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
namespace csfnet {
const IsaKernels* const kAvx512Kernels = nullptr;
}
#endif
