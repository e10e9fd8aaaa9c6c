// The row primitives of row-kernels.h, written with GCC/Clang generic vector types (16 floats, 8
// doubles) and included inside the anonymous namespace of each instruction-set file after its
// target pragma: the compiler maps a 16-float vector to one AVX-512 register, two AVX2 registers or
// four SSE2 registers. Products and sums are separate statements (no FMA contraction), so every
// level computes the same bits. No standard-library headers: the including file brings them in
// before its pragma.

typedef float F8 __attribute__((vector_size(32)));
typedef float F16 __attribute__((vector_size(64)));
typedef double D8 __attribute__((vector_size(64)));
typedef int32_t I16 __attribute__((vector_size(64)));

inline F8 load8(const float* p) {
  F8 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

inline F16 load16(const float* p) {
  F16 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

inline D8 wide(const float* p) { return __builtin_convertvector(load8(p), D8); }

inline F16 select(I16 mask, F16 a, F16 b) { return reinterpret_cast<F16>((reinterpret_cast<I16>(a) & mask) | (reinterpret_cast<I16>(b) & ~mask)); }

/** Lanes [a0 | a1] plus the scalar tail (element i into lane i % 16), added pairwise. */
inline double fold(D8 a0, D8 a1, const float* tail, int64_t from, int64_t n, double mean, bool squared) {
  double lanes[16];
  __builtin_memcpy(lanes, &a0, sizeof a0);
  __builtin_memcpy(lanes + 8, &a1, sizeof a1);
  for (int64_t i = from; i < n; i++) {
    const double d = static_cast<double>(tail[i]) - mean;
    const double term = squared ? d * d : d;
    lanes[i % 16] += term;
  }
  for (int w = 8; w > 0; w /= 2) {
    for (int l = 0; l < w; l++) lanes[l] += lanes[l + w];
  }
  return lanes[0];
}

double rowSum(const float* p, int64_t n) {
  D8 a0 = {}, a1 = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 += wide(p + i);
    a1 += wide(p + i + 8);
  }
  return fold(a0, a1, p, i, n, 0.0, false);
}

double rowSumSqDev(const float* p, int64_t n, double mean) {
  const D8 m = D8{} + mean;
  D8 a0 = {}, a1 = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const D8 d0 = wide(p + i) - m;
    const D8 d1 = wide(p + i + 8) - m;
    const D8 s0 = d0 * d0;
    const D8 s1 = d1 * d1;
    a0 += s0;
    a1 += s1;
  }
  return fold(a0, a1, p, i, n, mean, true);
}

void rowSumDyDev(const float* dy, const float* x, int64_t n, double mean, double* out) {
  const D8 m = D8{} + mean;
  D8 s0 = {}, s1 = {}, p0 = {}, p1 = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const D8 d0 = wide(dy + i), d1 = wide(dy + i + 8);
    const D8 q0 = d0 * (wide(x + i) - m);
    const D8 q1 = d1 * (wide(x + i + 8) - m);
    s0 += d0;
    s1 += d1;
    p0 += q0;
    p1 += q1;
  }
  double lanes[2][16];
  __builtin_memcpy(lanes[0], &s0, sizeof s0);
  __builtin_memcpy(lanes[0] + 8, &s1, sizeof s1);
  __builtin_memcpy(lanes[1], &p0, sizeof p0);
  __builtin_memcpy(lanes[1] + 8, &p1, sizeof p1);
  for (; i < n; i++) {
    const double d = dy[i];
    const double q = d * (static_cast<double>(x[i]) - mean);
    lanes[0][i % 16] += d;
    lanes[1][i % 16] += q;
  }
  for (int k = 0; k < 2; k++) {
    for (int w = 8; w > 0; w /= 2) {
      for (int l = 0; l < w; l++) lanes[k][l] += lanes[k][l + w];
    }
    out[k] = lanes[k][0];
  }
}

void rowAddColumns(double* acc, const float* row, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    D8 a;
    __builtin_memcpy(&a, acc + i, sizeof a);
    a += wide(row + i);
    __builtin_memcpy(acc + i, &a, sizeof a);
  }
  for (; i < n; i++) acc[i] += row[i];
}

void rowArgmax(const float* p, int64_t n, float* best, int64_t* at) {
  F16 b = F16{} - __builtin_inff();
  I16 a = {}, nan = {};
  I16 index = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const F16 v = load16(p + i);
    const I16 gt = v > b;
    nan |= v != v;
    b = select(gt, v, b);
    a = (index & gt) | (a & ~gt);
    index += 16;
  }
  bool anyNan = false;
  for (int l = 0; l < 16; l++) anyNan = anyNan || nan[l] != 0;
  if (anyNan) {
    for (int64_t k = 0; k < i; k++) {
      if (p[k] != p[k]) {
        *best = p[k];
        *at = k;
        return;
      }
    }
  }
  // Every lane holds its first maximum; ties between lanes go to the smaller index. Lanes that saw
  // nothing larger than -inf stand for index 0, as the scalar rule does.
  float bv = b[0];
  int64_t bi = a[0];
  for (int l = 1; l < 16; l++) {
    if (b[l] > bv || (b[l] == bv && a[l] < bi)) {
      bv = b[l];
      bi = a[l];
    }
  }
  for (; i < n; i++) {
    const float v = p[i];
    if (v != v) {
      *best = v;
      *at = i;
      return;
    }
    if (v > bv) {
      bv = v;
      bi = i;
    }
  }
  *best = bv;
  *at = bi;
}

void rowMaxColumns(float* best, int32_t* at, const float* row, int64_t n, int32_t j) {
  const I16 jj = I16{} + j;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const F16 v = load16(row + i);
    F16 b = load16(best + i);
    I16 a;
    __builtin_memcpy(&a, at + i, sizeof a);
    const I16 take = (v > b) | ((v != v) & (b == b));
    b = select(take, v, b);
    a = (jj & take) | (a & ~take);
    __builtin_memcpy(best + i, &b, sizeof b);
    __builtin_memcpy(at + i, &a, sizeof a);
  }
  for (; i < n; i++) {
    const float v = row[i];
    if (v > best[i] || (v != v && best[i] == best[i])) {
      best[i] = v;
      at[i] = j;
    }
  }
}

void rowReluBackward(const float* x, const float* dy, float* dx, int64_t n) {
  const F16 one = F16{} + 1.0f, zero = {};
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const F16 v = load16(x + i);
    const F16 f = select(v > zero, one, select(v <= zero, zero, v));
    const F16 d = load16(dy + i) * f;
    __builtin_memcpy(dx + i, &d, sizeof d);
  }
  for (; i < n; i++) {
    const float v = x[i];
    dx[i] = dy[i] * (v > 0.0f ? 1.0f : v <= 0.0f ? 0.0f : v);
  }
}

const RowKernels kRowTable = {rowSum, rowSumSqDev, rowSumDyDev, rowAddColumns, rowArgmax, rowMaxColumns, rowReluBackward};
