// The row primitives (row-kernels-impl.h) compiled for AVX2: 32-byte vectors (8 floats).
#include <cstdint>

#include "row-kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif

namespace csfnet {
namespace {

constexpr int kVecBytes = 32;

#include "row-kernels-impl.h"

}  // namespace

const RowKernels* const kRowsAvx2 = &kRowTable;

}  // namespace csfnet

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
namespace csfnet {
const RowKernels* const kRowsAvx2 = nullptr;
}
#endif
