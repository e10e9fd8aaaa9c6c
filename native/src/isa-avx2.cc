// AVX2 + FMA micro-kernels (256-bit vectors, 16 registers). Enabled per function with a target
// pragma so the rest of the addon stays portable; only called after cpu-features.cc checked the CPU.
// Register budget after the BLIS Haswell kernels: outer 6x16 = 12 accumulators + 2 B vectors + 1
// broadcast; dot 4x3 = 12 accumulators + 3 B vectors + 1 A vector.
#include "isa.h"
#include "outer-tile.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

namespace csfnet {
namespace {

constexpr int kMr = kOuterTileAvx2.mr;
constexpr int kNr = kOuterTileAvx2.nr;

inline void storeRow(float* c, __m256 lo, __m256 hi, bool accumulate) {
  if (accumulate) {
    lo = _mm256_add_ps(lo, _mm256_loadu_ps(c));
    hi = _mm256_add_ps(hi, _mm256_loadu_ps(c + 8));
  }
  _mm256_storeu_ps(c, lo);
  _mm256_storeu_ps(c + 8, hi);
}

void outerAvx2(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int64_t k = 0; k < kc; k++) {
    const __m256 b0 = _mm256_loadu_ps(bp);
    const __m256 b1 = _mm256_loadu_ps(bp + 8);
    __m256 a = _mm256_broadcast_ss(ap);
    c00 = _mm256_fmadd_ps(a, b0, c00);
    c01 = _mm256_fmadd_ps(a, b1, c01);
    a = _mm256_broadcast_ss(ap + 1);
    c10 = _mm256_fmadd_ps(a, b0, c10);
    c11 = _mm256_fmadd_ps(a, b1, c11);
    a = _mm256_broadcast_ss(ap + 2);
    c20 = _mm256_fmadd_ps(a, b0, c20);
    c21 = _mm256_fmadd_ps(a, b1, c21);
    a = _mm256_broadcast_ss(ap + 3);
    c30 = _mm256_fmadd_ps(a, b0, c30);
    c31 = _mm256_fmadd_ps(a, b1, c31);
    a = _mm256_broadcast_ss(ap + 4);
    c40 = _mm256_fmadd_ps(a, b0, c40);
    c41 = _mm256_fmadd_ps(a, b1, c41);
    a = _mm256_broadcast_ss(ap + 5);
    c50 = _mm256_fmadd_ps(a, b0, c50);
    c51 = _mm256_fmadd_ps(a, b1, c51);
    ap += kMr;
    bp += kNr;
  }
  storeRow(c, c00, c01, accumulate);
  storeRow(c + ldc, c10, c11, accumulate);
  storeRow(c + 2 * ldc, c20, c21, accumulate);
  storeRow(c + 3 * ldc, c30, c31, accumulate);
  storeRow(c + 4 * ldc, c40, c41, accumulate);
  storeRow(c + 5 * ldc, c50, c51, accumulate);
}

/** Lane mask vector (all ones where bit l of bits is set) for _mm256_maskload_ps. */
inline __m256i laneMask(uint32_t bits) {
  const __m256i lanes = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  const __m256i b = _mm256_set1_epi32(static_cast<int>(bits & 0xffu));
  return _mm256_cmpeq_epi32(_mm256_and_si256(b, lanes), lanes);
}

void outerIndirectAvx2(int64_t kc, const float* ap, const float* x, const int64_t* offLo, const int64_t* offHi, const uint32_t* masks, float* c, int64_t ldc, bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int64_t k = 0; k < kc; k++) {
    const uint32_t m = masks[k];
    const __m256 b0 = (m & 0xffu) == 0xffu ? _mm256_loadu_ps(x + offLo[k]) : _mm256_maskload_ps(x + offLo[k], laneMask(m));
    const __m256 b1 = ((m >> 8) & 0xffu) == 0xffu ? _mm256_loadu_ps(x + offHi[k]) : _mm256_maskload_ps(x + offHi[k], laneMask(m >> 8));
    __m256 a = _mm256_broadcast_ss(ap);
    c00 = _mm256_fmadd_ps(a, b0, c00);
    c01 = _mm256_fmadd_ps(a, b1, c01);
    a = _mm256_broadcast_ss(ap + 1);
    c10 = _mm256_fmadd_ps(a, b0, c10);
    c11 = _mm256_fmadd_ps(a, b1, c11);
    a = _mm256_broadcast_ss(ap + 2);
    c20 = _mm256_fmadd_ps(a, b0, c20);
    c21 = _mm256_fmadd_ps(a, b1, c21);
    a = _mm256_broadcast_ss(ap + 3);
    c30 = _mm256_fmadd_ps(a, b0, c30);
    c31 = _mm256_fmadd_ps(a, b1, c31);
    a = _mm256_broadcast_ss(ap + 4);
    c40 = _mm256_fmadd_ps(a, b0, c40);
    c41 = _mm256_fmadd_ps(a, b1, c41);
    a = _mm256_broadcast_ss(ap + 5);
    c50 = _mm256_fmadd_ps(a, b0, c50);
    c51 = _mm256_fmadd_ps(a, b1, c51);
    ap += kMr;
  }
  storeRow(c, c00, c01, accumulate);
  storeRow(c + ldc, c10, c11, accumulate);
  storeRow(c + 2 * ldc, c20, c21, accumulate);
  storeRow(c + 3 * ldc, c30, c31, accumulate);
  storeRow(c + 4 * ldc, c40, c41, accumulate);
  storeRow(c + 5 * ldc, c50, c51, accumulate);
}

inline float hsum(__m256 v) {
  const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
  return _mm_cvtss_f32(_mm_add_ss(t, _mm_movehdup_ps(t)));
}

constexpr int kDotMr = 4;
constexpr int kDotNr = 3;

void dotAvx2(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  __m256 acc[kDotMr][kDotNr];
  for (int i = 0; i < kDotMr; i++) {
    for (int j = 0; j < kDotNr; j++) acc[i][j] = _mm256_setzero_ps();
  }
  for (int64_t k = 0; k < kc; k += 8) {
    const __m256 b0 = _mm256_loadu_ps(b + k);
    const __m256 b1 = _mm256_loadu_ps(b + ldb + k);
    const __m256 b2 = _mm256_loadu_ps(b + 2 * ldb + k);
    for (int i = 0; i < kDotMr; i++) {
      const __m256 av = _mm256_loadu_ps(a + i * lda + k);
      acc[i][0] = _mm256_fmadd_ps(av, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(av, b1, acc[i][1]);
      acc[i][2] = _mm256_fmadd_ps(av, b2, acc[i][2]);
    }
  }
  for (int i = 0; i < kDotMr; i++) {
    for (int j = 0; j < kDotNr; j++) c[i * ldc + j] += hsum(acc[i][j]);
  }
}

void copyAvx2(float* dst, const float* src, int64_t len) {
  int64_t i = 0;
  if (src == nullptr) {
    const __m256 z = _mm256_setzero_ps();
    for (; i + 8 <= len; i += 8) _mm256_storeu_ps(dst + i, z);
    for (; i < len; i++) dst[i] = 0.0f;
    return;
  }
  for (; i + 8 <= len; i += 8) _mm256_storeu_ps(dst + i, _mm256_loadu_ps(src + i));
  for (; i < len; i++) dst[i] = src[i];
}

}  // namespace

const IsaKernels kAvx2Table = {"avx2", kMr, kNr, outerAvx2, kDotMr, kDotNr, dotAvx2, copyAvx2, outerIndirectAvx2};
const IsaKernels* const kAvx2Kernels = &kAvx2Table;

}  // namespace csfnet

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
namespace csfnet {
const IsaKernels* const kAvx2Kernels = nullptr;
}
#endif
