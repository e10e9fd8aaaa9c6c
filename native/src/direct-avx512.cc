// The direct-convolution slab kernels (direct-conv-kernels.h) on AVX-512F: 16 lanes, 32 registers,
// masked loads and stores for the last columns of a row.
#include <cstdint>

#include "direct-conv.h"

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

struct V {
  using T = __m512;
  static constexpr int W = 16;
  static constexpr int kRegs = 32;
  static T zero() { return _mm512_setzero_ps(); }
  static T set1(float f) { return _mm512_set1_ps(f); }
  static T load(const float* p) { return _mm512_loadu_ps(p); }
  static __mmask16 mask(int n) { return static_cast<__mmask16>((1u << n) - 1u); }
  static T loadPartial(const float* p, int n) { return _mm512_maskz_loadu_ps(mask(n), p); }
  static void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static void storePartial(float* p, T v, int n) { _mm512_mask_storeu_ps(p, mask(n), v); }
  static T fma(T a, T b, T c) { return _mm512_fmadd_ps(a, b, c); }
  static T relu(T v) { return _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LE_OQ), _mm512_setzero_ps()); }
  static float hsum(T v) {
    // Through memory: GCC 12's 512->256 extract intrinsics warn of an uninitialised operand.
    alignas(64) float t[16];
    _mm512_store_ps(t, v);
    for (int w = 8; w > 0; w /= 2) {
      for (int i = 0; i < w; i++) t[i] += t[i + w];
    }
    return t[0];
  }
};

#include "direct-conv-kernels.h"

}  // namespace

const DirectKernels kDirectAvx512Table = {forwardSlab, weightSlab};
const DirectKernels* const kDirectAvx512 = &kDirectAvx512Table;

}  // namespace csfnet

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
namespace csfnet {
const DirectKernels* const kDirectAvx512 = nullptr;
}
#endif
