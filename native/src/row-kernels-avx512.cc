// The row primitives (row-kernels-impl.h) compiled for AVX-512F: 64-byte vectors (16 floats).
#include <cstdint>

#include "row-kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx2,fma")
#endif

namespace csfnet {
namespace {

constexpr int kVecBytes = 64;

#include "row-kernels-impl.h"

}  // namespace

const RowKernels* const kRowsAvx512 = &kRowTable;

}  // namespace csfnet

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#else
namespace csfnet {
const RowKernels* const kRowsAvx512 = nullptr;
}
#endif
