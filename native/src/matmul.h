// Batched matrix product with optional transposes (contract of Kernels.matmul in kernels.ts).
#pragma once
#include <cstdint>

namespace csfnet {

void matmul(const float* a, const float* b, float* c, int64_t batch, int64_t m, int64_t k, int64_t n, bool transA, bool transB, int64_t strideA, int64_t strideB);

}  // namespace csfnet
