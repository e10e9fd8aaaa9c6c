// Element-wise kernels split into fixed 32k-element chunks (the chunking, not the thread count,
// fixes the work). Transcendental functions and derivatives run in float64 and round once, as the
// reference backend's Math calls do; NaN rules as the reference's.
#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "thread-pool.h"

namespace csfnet {
namespace {

constexpr int64_t kChunk = 32768;

template <class F>
void chunked(int64_t size, F body) {
  parallelFor((size + kChunk - 1) / kChunk, [&](int64_t t) { body(t * kChunk, std::min(size, (t + 1) * kChunk)); });
}

inline float sigmoid(float f) {
  const double v = f;
  if (v >= 0.0) return static_cast<float>(1.0 / (1.0 + std::exp(-v)));
  const double e = std::exp(v);
  return static_cast<float>(e / (1.0 + e));
}

template <class F>
void map1(const float* x, float* y, int64_t size, F f) {
  chunked(size, [&](int64_t a, int64_t b) {
    for (int64_t i = a; i < b; i++) y[i] = f(x[i]);
  });
}

/** dx = dy * f(x, y) with the product in float64 (f may return double), rounded once. */
template <class F>
void map2(const float* x, const float* y, const float* dy, float* dx, int64_t size, F f) {
  chunked(size, [&](int64_t a, int64_t b) {
    for (int64_t i = a; i < b; i++) dx[i] = static_cast<float>(static_cast<double>(dy[i]) * f(x[i], y[i]));
  });
}

inline float applyBinary(BinaryOp op, float a, float b) {
  switch (op) {
    case BinaryOp::Add: return a + b;
    case BinaryOp::Sub: return a - b;
    case BinaryOp::Mul: return a * b;
    case BinaryOp::Div: return a / b;
    case BinaryOp::Max: return (std::isnan(a) || std::isnan(b)) ? NAN : (a > b ? a : b);
    case BinaryOp::Min: return (std::isnan(a) || std::isnan(b)) ? NAN : (a < b ? a : b);
  }
  return 0.0f;
}

template <BinaryOp Op>
void binaryRow(const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t inner) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < inner; i++) out[i] = applyBinary(Op, a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = b[0];
    for (int64_t i = 0; i < inner; i++) out[i] = applyBinary(Op, a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = a[0];
    for (int64_t i = 0; i < inner; i++) out[i] = applyBinary(Op, av, b[i]);
  } else {
    for (int64_t i = 0; i < inner; i++) out[i] = applyBinary(Op, a[i * sa], b[i * sb]);
  }
}

template <BinaryOp Op>
void binaryTyped(const float* a, const int64_t* as, const float* b, const int64_t* bs, float* out, const int64_t* shape, int rank) {
  if (rank == 0) {
    out[0] = applyBinary(Op, a[0], b[0]);
    return;
  }
  const int last = rank - 1;
  const int64_t inner = shape[last];
  int64_t rows = 1;
  for (int d = 0; d < last; d++) rows *= shape[d];
  if (inner == 0 || rows == 0) return;
  const int64_t rowsPerTask = std::max<int64_t>(1, kChunk / inner);
  parallelFor((rows + rowsPerTask - 1) / rowsPerTask, [&](int64_t t) {
    const int64_t r0 = t * rowsPerTask, r1 = std::min(rows, r0 + rowsPerTask);
    int64_t index[8] = {};
    int64_t rem = r0, ao = 0, bo = 0;
    for (int d = last - 1; d >= 0; d--) {
      index[d] = rem % shape[d];
      rem /= shape[d];
      ao += index[d] * as[d];
      bo += index[d] * bs[d];
    }
    for (int64_t r = r0; r < r1; r++) {
      binaryRow<Op>(a + ao, as[last], b + bo, bs[last], out + r * inner, inner);
      for (int d = last - 1; d >= 0; d--) {
        index[d]++;
        ao += as[d];
        bo += bs[d];
        if (index[d] < shape[d]) break;
        ao -= as[d] * shape[d];
        bo -= bs[d] * shape[d];
        index[d] = 0;
      }
    }
  });
}

}  // namespace

void unary(UnaryOp op, const float* x, float* y, int64_t size) {
  switch (op) {
    case UnaryOp::Neg: return map1(x, y, size, [](float v) { return -v; });
    case UnaryOp::Exp: return map1(x, y, size, [](float v) { return static_cast<float>(std::exp(static_cast<double>(v))); });
    case UnaryOp::Log: return map1(x, y, size, [](float v) { return static_cast<float>(std::log(static_cast<double>(v))); });
    case UnaryOp::Sqrt: return map1(x, y, size, [](float v) { return std::sqrt(v); });
    case UnaryOp::Abs: return map1(x, y, size, [](float v) { return std::fabs(v); });
    case UnaryOp::Relu: return map1(x, y, size, [](float v) { return v <= 0.0f ? 0.0f : v; });
    case UnaryOp::Sigmoid: return map1(x, y, size, sigmoid);
    case UnaryOp::Tanh: return map1(x, y, size, [](float v) { return static_cast<float>(std::tanh(static_cast<double>(v))); });
  }
}

void unaryBackward(UnaryOp op, const float* x, const float* y, const float* dy, float* dx, int64_t size) {
  switch (op) {
    case UnaryOp::Neg: return map2(x, y, dy, dx, size, [](float, float) { return -1.0; });
    case UnaryOp::Exp: return map2(x, y, dy, dx, size, [](float, float o) { return static_cast<double>(o); });
    case UnaryOp::Log: return map2(x, y, dy, dx, size, [](float v, float) { return 1.0 / v; });
    case UnaryOp::Sqrt: return map2(x, y, dy, dx, size, [](float, float o) { return 0.5 / o; });
    case UnaryOp::Abs: return map2(x, y, dy, dx, size, [](float v, float) { return v > 0.0f ? 1.0 : v < 0.0f ? -1.0 : v == 0.0f ? 0.0 : static_cast<double>(v); });
    case UnaryOp::Relu: return map2(x, y, dy, dx, size, [](float v, float) { return v > 0.0f ? 1.0 : v <= 0.0f ? 0.0 : static_cast<double>(v); });
    case UnaryOp::Sigmoid: return map2(x, y, dy, dx, size, [](float, float o) { return static_cast<double>(o) * (1.0 - o); });
    case UnaryOp::Tanh: return map2(x, y, dy, dx, size, [](float, float o) { return 1.0 - static_cast<double>(o) * o; });
  }
}

void binary(BinaryOp op, const float* a, const int64_t* as, const float* b, const int64_t* bs, float* out, const int64_t* shape, int rank) {
  switch (op) {
    case BinaryOp::Add: return binaryTyped<BinaryOp::Add>(a, as, b, bs, out, shape, rank);
    case BinaryOp::Sub: return binaryTyped<BinaryOp::Sub>(a, as, b, bs, out, shape, rank);
    case BinaryOp::Mul: return binaryTyped<BinaryOp::Mul>(a, as, b, bs, out, shape, rank);
    case BinaryOp::Div: return binaryTyped<BinaryOp::Div>(a, as, b, bs, out, shape, rank);
    case BinaryOp::Max: return binaryTyped<BinaryOp::Max>(a, as, b, bs, out, shape, rank);
    case BinaryOp::Min: return binaryTyped<BinaryOp::Min>(a, as, b, bs, out, shape, rank);
  }
}

void axpby(float alpha, const float* x, float beta, float* y, int64_t size) {
  if (beta == 1.0f) {
    chunked(size, [&](int64_t a, int64_t b) {
      for (int64_t i = a; i < b; i++) y[i] += alpha * x[i];
    });
  } else {
    chunked(size, [&](int64_t a, int64_t b) {
      for (int64_t i = a; i < b; i++) y[i] = alpha * x[i] + beta * y[i];
    });
  }
}

void reduceSum(const float* x, float* y, int64_t outer, int64_t r, int64_t inner) {
  const int64_t innerBlock = 4096;
  const int64_t iBlocks = (inner + innerBlock - 1) / innerBlock;
  parallelFor(outer * iBlocks, [&](int64_t t) {
    const int64_t o = t / iBlocks, i0 = (t % iBlocks) * innerBlock, i1 = std::min(inner, i0 + innerBlock);
    std::vector<double> acc(i1 - i0, 0.0);
    for (int64_t j = 0; j < r; j++) {
      const float* row = x + (o * r + j) * inner;
      for (int64_t i = i0; i < i1; i++) acc[i - i0] += row[i];
    }
    for (int64_t i = i0; i < i1; i++) y[o * inner + i] = static_cast<float>(acc[i - i0]);
  });
}

void reduceMax(const float* x, float* y, int32_t* arg, int64_t outer, int64_t r, int64_t inner) {
  const int64_t innerBlock = 4096;
  const int64_t iBlocks = (inner + innerBlock - 1) / innerBlock;
  parallelFor(outer * iBlocks, [&](int64_t t) {
    const int64_t o = t / iBlocks, i0 = (t % iBlocks) * innerBlock, i1 = std::min(inner, i0 + innerBlock);
    float* best = y + o * inner;
    int32_t* at = arg + o * inner;
    for (int64_t i = i0; i < i1; i++) {
      best[i] = -INFINITY;
      at[i] = 0;
    }
    for (int64_t j = 0; j < r; j++) {
      const float* row = x + (o * r + j) * inner;
      for (int64_t i = i0; i < i1; i++) {
        const float v = row[i];
        // The first NaN of a slice wins and stays (the reference stops scanning there).
        if (v > best[i] || (std::isnan(v) && !std::isnan(best[i]))) {
          best[i] = v;
          at[i] = static_cast<int32_t>(j);
        }
      }
    }
  });
}

}  // namespace csfnet
