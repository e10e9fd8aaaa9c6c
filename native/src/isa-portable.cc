// Portable micro-kernels: plain loops the compiler may vectorise for the build's baseline ISA.
// Used on CPUs without AVX2/FMA (when the native backend is forced there) and as a cross-check.
#include "isa.h"
#include "outer-tile.h"

#include <cstring>

namespace csfnet {
namespace {

constexpr int kMr = kOuterTilePortable.mr;
constexpr int kNr = kOuterTilePortable.nr;

void outerPortable(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate) {
  float acc[kMr][kNr] = {};
  for (int64_t k = 0; k < kc; k++) {
    for (int i = 0; i < kMr; i++) {
      const float a = ap[k * kMr + i];
      for (int j = 0; j < kNr; j++) acc[i][j] += a * bp[k * kNr + j];
    }
  }
  for (int i = 0; i < kMr; i++) {
    for (int j = 0; j < kNr; j++) c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc[i][j] : acc[i][j];
  }
}

constexpr int kDotMr = 2;
constexpr int kDotNr = 2;
constexpr int kLanes = 8;

void dotPortable(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc) {
  float acc[kDotMr][kDotNr][kLanes] = {};
  for (int64_t k = 0; k < kc; k += kLanes) {
    for (int i = 0; i < kDotMr; i++) {
      for (int j = 0; j < kDotNr; j++) {
        for (int l = 0; l < kLanes; l++) acc[i][j][l] += a[i * lda + k + l] * b[j * ldb + k + l];
      }
    }
  }
  for (int i = 0; i < kDotMr; i++) {
    for (int j = 0; j < kDotNr; j++) {
      float s = 0.0f;
      for (int l = 0; l < kLanes; l++) s += acc[i][j][l];
      c[i * ldc + j] += s;
    }
  }
}

void copyPortable(float* dst, const float* src, int64_t len) {
  if (src == nullptr) std::memset(dst, 0, sizeof(float) * len);
  else std::memcpy(dst, src, sizeof(float) * len);
}

}  // namespace

const IsaKernels kPortableKernels = {"portable", kMr, kNr, outerPortable, kDotMr, kDotNr, dotPortable, copyPortable, nullptr};

}  // namespace csfnet
