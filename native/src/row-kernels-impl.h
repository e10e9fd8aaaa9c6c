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
typedef int64_t LV __attribute__((vector_size(kVecBytes)));

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

inline DV dselect(LV mask, DV a, DV b) { return reinterpret_cast<DV>((reinterpret_cast<LV>(a) & mask) | (reinterpret_cast<LV>(b) & ~mask)); }

/**
 * exp(t) for t in [-110, 0] in float64, about 1e-15 relative: t = k ln2 + r with |r| <= ln2/2 (ln2
 * in two parts, Cody and Waite 1980), e^r by its Taylor polynomial to r^12 / 12! (Horner), times
 * 2^k built from exponent bits. Adding 1.5 * 2^52 rounds t / ln2 to the integer k and leaves k in
 * the low mantissa bits. Below -110 the callers' float results no longer depend on it.
 */
inline DV expNonPositive(DV t) {
  const DV shifter = DV{} + 6755399441055744.0;
  const DV scaled = t * 1.4426950408889634;
  const DV shifted = scaled + shifter;
  const DV kf = shifted - shifter;
  const DV hi = kf * 0.6931471803691238;
  const DV lo = kf * 1.9082149292705877e-10;
  const DV r = (t - hi) - lo;
  static const double c[] = {1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0, 1.0};
  DV p = DV{} + c[0];
  for (int i = 1; i < 13; i++) {
    const DV q = p * r;
    p = q + c[i];
  }
  const LV k = reinterpret_cast<LV>(shifted) - reinterpret_cast<LV>(shifter);
  return p * reinterpret_cast<DV>((k + 1023) << 52);
}

/** y = 1 / (1 + exp(-x)) in float64, rounded once; x < 0 as exp(x) / (1 + exp(x)), as the scalar rule. */
void rowSigmoid(const float* x, float* y, int64_t n) {
  constexpr double kCut = 110.0;
  int64_t i = 0;
  for (; i + kD <= n; i += kD) {
    const DV v = wide(x + i);
    const DV a = dselect(v < 0.0, -v, v);
    const LV inRange = a < kCut;
    const DV e = dselect(inRange, expNonPositive(dselect(inRange, -a, DV{})), DV{});
    const DV onePlus = e + 1.0;
    const DV out = dselect(v >= 0.0, 1.0 / onePlus, e / onePlus);
    storev(y + i, __builtin_convertvector(dselect(v == v, out, v), FH));
  }
  for (; i < n; i++) {
    const double v = x[i];
    if (v != v) {
      y[i] = x[i];
      continue;
    }
    const double a = v < 0.0 ? -v : v;
    const double e = a < kCut ? expNonPositive(DV{} - a)[0] : 0.0;
    y[i] = static_cast<float>(v >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
  }
}

const RowKernels kRowTable = {rowSum, rowSumSqDev, rowSumDyDev, rowAddColumns, rowArgmax, rowMaxColumns, rowReluBackward, rowSigmoid};
