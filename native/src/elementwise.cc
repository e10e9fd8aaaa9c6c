// Element-wise kernels split into fixed 32k-element chunks (the chunking, not the thread count,
// fixes the work). Transcendental functions and derivatives run in float64 and round once, as the
// reference backend's Math calls do; NaN rules as the reference's.
#include "elementwise.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "row-kernels.h"
#include "thread-pool.h"

namespace csfnet {
namespace {

constexpr int64_t kChunk = 32768;

template <class F>
void chunked(int64_t size, F body) {
  parallelFor((size + kChunk - 1) / kChunk, size, [&](int64_t t) { body(t * kChunk, std::min(size, (t + 1) * kChunk)); });
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
  } else if (sa == 0 && sb == 0) {
    const float v = applyBinary(Op, a[0], b[0]);
    for (int64_t i = 0; i < inner; i++) out[i] = v;
  } else {
    for (int64_t i = 0; i < inner; i++) out[i] = applyBinary(Op, a[i * sa], b[i * sb]);
  }
}

/** Offsets into a and b of row `row` (rows = every index of the axes before the last). */
inline void rowOffsets(int64_t row, const int64_t* as, const int64_t* bs, const int64_t* shape, int last, int64_t& ao, int64_t& bo) {
  ao = 0, bo = 0;
  for (int d = last - 1; d >= 0; d--) {
    const int64_t i = row % shape[d];
    row /= shape[d];
    ao += i * as[d];
    bo += i * bs[d];
  }
}

/**
 * Broadcast loop after merging axes that are contiguous for both inputs (axis d-1 into d when each
 * stride of d-1 is the stride of d times its size, 0 = 0 included) and dropping size-1 axes, so that
 * a same-shape or per-channel product runs over long rows. Rows longer than a chunk are split.
 */
template <BinaryOp Op>
void binaryTyped(const float* a, const int64_t* as0, const float* b, const int64_t* bs0, float* out, const int64_t* shape0, int rank0) {
  int64_t shape[8], as[8], bs[8];
  int rank = 0;
  for (int d = 0; d < rank0; d++) {
    if (shape0[d] == 0) return;
    if (shape0[d] == 1) continue;
    if (rank > 0 && as[rank - 1] == as0[d] * shape0[d] && bs[rank - 1] == bs0[d] * shape0[d]) {
      shape[rank - 1] *= shape0[d];
      as[rank - 1] = as0[d];
      bs[rank - 1] = bs0[d];
      continue;
    }
    shape[rank] = shape0[d], as[rank] = as0[d], bs[rank] = bs0[d];
    rank++;
  }
  if (rank == 0) {
    out[0] = applyBinary(Op, a[0], b[0]);
    return;
  }
  const int last = rank - 1;
  const int64_t inner = shape[last];
  int64_t rows = 1;
  for (int d = 0; d < last; d++) rows *= shape[d];
  if (inner > kChunk) {
    const int64_t pieces = (inner + kChunk - 1) / kChunk;
    parallelFor(rows * pieces, rows * inner, [&](int64_t t) {
      const int64_t r = t / pieces, i0 = (t % pieces) * kChunk, len = std::min(kChunk, inner - i0);
      int64_t ao = 0, bo = 0;
      rowOffsets(r, as, bs, shape, last, ao, bo);
      binaryRow<Op>(a + ao + i0 * as[last], as[last], b + bo + i0 * bs[last], bs[last], out + r * inner + i0, len);
    });
    return;
  }
  const int64_t rowsPerTask = std::max<int64_t>(1, kChunk / inner);
  parallelFor((rows + rowsPerTask - 1) / rowsPerTask, rows * inner, [&](int64_t t) {
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
    case UnaryOp::Sigmoid: {
      const RowKernels& rows = rowKernels();
      return chunked(size, [&](int64_t a, int64_t b) { rows.sigmoid(x + a, y + a, b - a); });
    }
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
    case UnaryOp::Relu: {
      // dy times 1, 0 or NaN is exact in float32: the same bits as the float64 product rounded.
      const RowKernels& rows = rowKernels();
      return chunked(size, [&](int64_t a, int64_t b) { rows.reluBackward(x + a, dy + a, dx + a, b - a); });
    }
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
  if (outer == 0 || inner == 0) return;
  const RowKernels& rows = rowKernels();
  if (inner == 1) {
    // Row sums: long rows split into fixed chunks whose float64 partials are added in order.
    const int64_t chunks = std::max<int64_t>(1, (r + kChunk - 1) / kChunk);
    if (chunks == 1) {
      const int64_t perTask = std::max<int64_t>(1, kChunk / std::max<int64_t>(1, r));
      parallelFor((outer + perTask - 1) / perTask, outer * r, [&](int64_t t) {
        for (int64_t o = t * perTask; o < std::min(outer, (t + 1) * perTask); o++) y[o] = static_cast<float>(rows.sum(x + o * r, r));
      });
      return;
    }
    std::vector<double> part(outer * chunks);
    parallelFor(outer * chunks, outer * r, [&](int64_t t) {
      const int64_t o = t / chunks, c = t % chunks, j0 = c * kChunk;
      part[t] = rows.sum(x + o * r + j0, std::min(kChunk, r - j0));
    });
    for (int64_t o = 0; o < outer; o++) {
      double s = 0.0;
      for (int64_t c = 0; c < chunks; c++) s += part[o * chunks + c];
      y[o] = static_cast<float>(s);
    }
    return;
  }
  // Column sums over r rows of `inner` floats: blocks of columns, the rows split into fixed groups
  // when the blocks alone give too few tasks; group partials added in order.
  const int64_t width = std::min<int64_t>(inner, 2048), blocks = (inner + width - 1) / width;
  const int64_t rowsPerGroup = std::max<int64_t>({int64_t(1), kChunk / width, (r + 63) / 64});
  const int64_t groups = outer * blocks >= 8 ? 1 : (r + rowsPerGroup - 1) / rowsPerGroup;
  std::vector<double> part(outer * blocks * groups * width, 0.0);
  parallelFor(outer * blocks * groups, outer * r * inner, [&](int64_t t) {
    const int64_t g = t % groups, b = (t / groups) % blocks, o = t / (groups * blocks);
    const int64_t i0 = b * width, len = std::min(width, inner - i0);
    const int64_t j0 = groups == 1 ? 0 : g * rowsPerGroup, j1 = groups == 1 ? r : std::min(r, j0 + rowsPerGroup);
    double* acc = part.data() + t * width;
    for (int64_t j = j0; j < j1; j++) rows.addColumns(acc, x + (o * r + j) * inner + i0, len);
  });
  parallelFor(outer * blocks, outer * groups * inner, [&](int64_t ob) {
    const int64_t o = ob / blocks, i0 = (ob % blocks) * width, len = std::min(width, inner - i0);
    for (int64_t i = 0; i < len; i++) {
      double s = 0.0;
      for (int64_t g = 0; g < groups; g++) s += part[(ob * groups + g) * width + i];
      y[o * inner + i0 + i] = static_cast<float>(s);
    }
  });
}

void reduceMax(const float* x, float* y, int32_t* arg, int64_t outer, int64_t r, int64_t inner) {
  if (outer == 0 || inner == 0) return;
  const RowKernels& rows = rowKernels();
  if (inner == 1) {
    // Row arg-max: chunks in order; a later chunk wins only with a larger value, or the first NaN.
    const int64_t chunks = std::max<int64_t>(1, (r + kChunk - 1) / kChunk);
    std::vector<float> best(outer * chunks);
    std::vector<int64_t> at(outer * chunks);
    parallelFor(outer * chunks, outer * r, [&](int64_t t) {
      const int64_t o = t / chunks, j0 = (t % chunks) * kChunk;
      rows.argmax(x + o * r + j0, std::min(kChunk, r - j0), &best[t], &at[t]);
      at[t] += j0;
    });
    for (int64_t o = 0; o < outer; o++) {
      float b = best[o * chunks];
      int64_t a = at[o * chunks];
      for (int64_t c = 1; c < chunks && b == b; c++) {
        const float v = best[o * chunks + c];
        if (v > b || v != v) {
          b = v;
          a = at[o * chunks + c];
        }
      }
      y[o] = b;
      arg[o] = static_cast<int32_t>(a);
    }
    return;
  }
  const int64_t width = std::min<int64_t>(inner, 4096), blocks = (inner + width - 1) / width;
  parallelFor(outer * blocks, outer * r * inner, [&](int64_t t) {
    const int64_t o = t / blocks, i0 = (t % blocks) * width, len = std::min(width, inner - i0);
    float* best = y + o * inner + i0;
    int32_t* at = arg + o * inner + i0;
    for (int64_t i = 0; i < len; i++) {
      best[i] = -INFINITY;
      at[i] = 0;
    }
    for (int64_t j = 0; j < r; j++) rows.maxColumns(best, at, x + (o * r + j) * inner + i0, len, static_cast<int32_t>(j));
  });
}

}  // namespace csfnet
