// Element-wise kernels and reductions (Kernels.unary/unaryBackward/binary/axpby/reduceSum/reduceMax).
#pragma once
#include <cstdint>

namespace csfnet {

enum class UnaryOp { Neg, Exp, Log, Sqrt, Abs, Relu, Sigmoid, Tanh };
enum class BinaryOp { Add, Sub, Mul, Div, Max, Min };

void unary(UnaryOp op, const float* x, float* y, int64_t size);
void unaryBackward(UnaryOp op, const float* x, const float* y, const float* dy, float* dx, int64_t size);
/** out = op(a, b) over outShape (rank <= 8) with per-axis element strides (0 = broadcast). */
void binary(BinaryOp op, const float* a, const int64_t* aStrides, const float* b, const int64_t* bStrides, float* out, const int64_t* outShape, int rank);
void axpby(float alpha, const float* x, float beta, float* y, int64_t size);
void reduceSum(const float* x, float* y, int64_t outer, int64_t r, int64_t inner);
void reduceMax(const float* x, float* y, int32_t* arg, int64_t outer, int64_t r, int64_t inner);

}  // namespace csfnet
