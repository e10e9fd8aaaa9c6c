// The Winograd transforms (winograd-kernels-impl.h) compiled for AVX-512F: 16-float vectors.
#include <algorithm>
#include <cstdint>

#include "outer-tile.h"
#include "winograd-kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#endif

namespace csfnet {
namespace {

constexpr int64_t kMr = kOuterTileAvx512.mr;
constexpr int64_t kNr = kOuterTileAvx512.nr;

#include "winograd-kernels-impl.h"

}  // namespace

const WinogradKernels* const kWinogradAvx512 = &kWinogradTable;

}  // namespace csfnet

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
namespace csfnet {
const WinogradKernels* const kWinogradAvx512 = nullptr;
}
#endif
