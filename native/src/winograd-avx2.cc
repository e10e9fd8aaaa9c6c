// The Winograd transforms (winograd-kernels-impl.h) compiled for AVX2: 8-float vectors.
#include <algorithm>
#include <cstdint>

#include "outer-tile.h"
#include "winograd-kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

namespace csfnet {
namespace {

constexpr int64_t kMr = kOuterTileAvx2.mr;
constexpr int64_t kNr = kOuterTileAvx2.nr;

#include "winograd-kernels-impl.h"

}  // namespace

const WinogradKernels* const kWinogradAvx2 = &kWinogradTable;

}  // namespace csfnet

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
namespace csfnet {
const WinogradKernels* const kWinogradAvx2 = nullptr;
}
#endif
