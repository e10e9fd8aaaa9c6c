// The row primitives of row-kernels.h, written with GCC/Clang generic vector types of the level's
// native width and included inside the anonymous namespace of each instruction-set file after its
// target pragma and a `constexpr int kVecBytes` (64 AVX-512, 32 AVX2, 16 SSE2): wider generic
// vectors than the target has would be split into scalar code. The float64 sums keep 16 logical
// lanes on every level (element i in lane i % 16, a level with narrower vectors holds the lanes in
// more registers) and add products and sums as separate statements (no FMA contraction), so every
// level computes the same bits. No standard-library headers: the including file brings them in.

typedef float FV __attribute__((vector_size(kVecBytes)));
typedef float FH __attribute__((vector_size(kVecBytes / 2)));
typedef double DV __attribute__((vector_size(kVecBytes)));
typedef int32_t IV __attribute__((vector_size(kVecBytes)));

/** Floats per vector, doubles per vector, logical lanes of the sums, double vectors holding them. */
constexpr int kF = kVecBytes / 4;
constexpr int kD = kVecBytes / 8;
constexpr int kLanes = 16;
constexpr int kDv = kLanes / kD;

template <class T>
inline T loadv(const void* p) {
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

template <class T>
inline void storev(void* p, T v) {
  __builtin_memcpy(p, &v, sizeof v);
}

/** kD floats from p as doubles. */
inline DV wide(const float* p) { return __builtin_convertvector(loadv<FH>(p), DV); }

inline FV select(IV mask, FV a, FV b) { return reinterpret_cast<FV>((reinterpret_cast<IV>(a) & mask) | (reinterpret_cast<IV>(b) & ~mask)); }

/** The 16 logical lanes of acc, added pairwise. */
inline double fold(double* lanes) {
  for (int w = kLanes / 2; w > 0; w /= 2) {
    for (int l = 0; l < w; l++) lanes[l] += lanes[l + w];
  }
  return lanes[0];
}

inline void spill(const DV* acc, double* lanes) {
  for (int v = 0; v < kDv; v++) storev(lanes + v * kD, acc[v]);
}

double rowSum(const float* p, int64_t n) {
  DV acc[kDv] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int v = 0; v < kDv; v++) acc[v] += wide(p + i + v * kD);
  }
  double lanes[kLanes];
  spill(acc, lanes);
  for (; i < n; i++) lanes[i % kLanes] += p[i];
  return fold(lanes);
}

double rowSumSqDev(const float* p, int64_t n, double mean) {
  const DV m = DV{} + mean;
  DV acc[kDv] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int v = 0; v < kDv; v++) {
      const DV d = wide(p + i + v * kD) - m;
      const DV sq = d * d;
      acc[v] += sq;
    }
  }
  double lanes[kLanes];
  spill(acc, lanes);
  for (; i < n; i++) {
    const double d = static_cast<double>(p[i]) - mean;
    const double sq = d * d;
    lanes[i % kLanes] += sq;
  }
  return fold(lanes);
}

void rowSumDyDev(const float* dy, const float* x, int64_t n, double mean, double* out) {
  const DV m = DV{} + mean;
  DV sum[kDv] = {}, dev[kDv] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int v = 0; v < kDv; v++) {
      const DV d = wide(dy + i + v * kD);
      const DV q = d * (wide(x + i + v * kD) - m);
      sum[v] += d;
      dev[v] += q;
    }
  }
  double lanes[2][kLanes];
  spill(sum, lanes[0]);
  spill(dev, lanes[1]);
  for (; i < n; i++) {
    const double d = dy[i];
    const double q = d * (static_cast<double>(x[i]) - mean);
    lanes[0][i % kLanes] += d;
    lanes[1][i % kLanes] += q;
  }
  out[0] = fold(lanes[0]);
  out[1] = fold(lanes[1]);
}

void rowAddColumns(double* acc, const float* row, int64_t n) {
  int64_t i = 0;
  for (; i + kD <= n; i += kD) storev(acc + i, loadv<DV>(acc + i) + wide(row + i));
  for (; i < n; i++) acc[i] += row[i];
}

void rowArgmax(const float* p, int64_t n, float* best, int64_t* at) {
  FV b = FV{} - __builtin_inff();
  IV a = {}, nan = {}, index;
  for (int l = 0; l < kF; l++) index[l] = l;
  int64_t i = 0;
  for (; i + kF <= n; i += kF) {
    const FV v = loadv<FV>(p + i);
    const IV gt = v > b;
    nan |= v != v;
    b = select(gt, v, b);
    a = (index & gt) | (a & ~gt);
    index += kF;
  }
  bool anyNan = false;
  for (int l = 0; l < kF; l++) anyNan = anyNan || nan[l] != 0;
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
  for (int l = 1; l < kF; l++) {
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
  const IV jj = IV{} + j;
  int64_t i = 0;
  for (; i + kF <= n; i += kF) {
    const FV v = loadv<FV>(row + i);
    const FV b = loadv<FV>(best + i);
    const IV take = (v > b) | ((v != v) & (b == b));
    storev(best + i, select(take, v, b));
    storev(at + i, (jj & take) | (loadv<IV>(at + i) & ~take));
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
  const FV one = FV{} + 1.0f, zero = {};
  int64_t i = 0;
  for (; i + kF <= n; i += kF) {
    const FV v = loadv<FV>(x + i);
    const FV f = select(v > zero, one, select(v <= zero, zero, v));
    storev(dx + i, loadv<FV>(dy + i) * f);
  }
  for (; i < n; i++) {
    const float v = x[i];
    dx[i] = dy[i] * (v > 0.0f ? 1.0f : v <= 0.0f ? 0.0f : v);
  }
}

const RowKernels kRowTable = {rowSum, rowSumSqDev, rowSumDyDev, rowAddColumns, rowArgmax, rowMaxColumns, rowReluBackward};
