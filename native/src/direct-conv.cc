// Drivers of the direct convolutions (see direct-conv.h): the padded, phase-split source, the
// packed weights, the parallel loop over (sample, output plane) slabs, and the ordered sum of the
// weight-gradient partials.
#include "direct-conv.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "isa.h"
#include "thread-pool.h"
#include "workspace.h"

namespace csfnet {
namespace {

std::atomic<bool> enabled{true};

/** Output channels kept in registers per group: the slab kernels take groups of up to 4. */
constexpr int64_t kGroup = 4;
/** Vector width the source rows leave room for past the last output column (AVX-512's 16 lanes). */
constexpr int64_t kMaxLanes = 16;

const DirectKernels& kernels() {
  const IsaKernels* active = &isa();
  if (active == kAvx512Kernels && kDirectAvx512 != nullptr) return *kDirectAvx512;
  if (active == kAvx2Kernels && kDirectAvx2 != nullptr) return *kDirectAvx2;
  return kDirectPortable;
}

/** The layout fields of a spec for a convolution of g's kernel and stride with g's output size. */
DirectSpec layout(const ConvGeom& g) {
  DirectSpec s;
  s.n = g.n, s.cin = g.cin, s.cout = g.cout;
  s.kd = g.kd, s.kh = g.kh, s.kw = g.kw, s.sd = g.sd, s.sh = g.sh, s.sw = g.sw;
  s.od = g.od, s.oh = g.oh, s.ow = g.ow;
  s.srcD = (g.od - 1) * g.sd + g.kd;
  s.srcH = (g.oh - 1) * g.sh + g.kh;
  s.phaseLen = (g.ow + kMaxLanes - 1) / kMaxLanes * kMaxLanes + (g.kw - 1) / g.sw;
  s.rowLen = g.sw * s.phaseLen;
  return s;
}

/** Index into an input axis of length len for padded index t (offset off, dilation dil), or -1. */
inline int64_t sourceIndex(int64_t t, int64_t off, int64_t dil, int64_t len) {
  const int64_t u = t - off;
  if (u < 0 || u % dil != 0 || u / dil >= len) return -1;
  return u / dil;
}

/**
 * One input row of iw floats into two phases of len floats (stride 2 along W): out[q*len + j] =
 * in[2j + q - off] where that is inside the row, else 0. The columns where both phases read the
 * row go through one loop of paired loads, which compilers turn into vector shuffles.
 */
void splitPairs(const float* in, int64_t iw, int64_t off, int64_t len, float* out) {
  int64_t lo[2], hi[2];
  for (int64_t q = 0; q < 2; q++) {
    lo[q] = std::clamp((off - q + 1) / 2, int64_t(0), len);
    hi[q] = std::clamp((iw + off - q + 1) / 2, lo[q], len);
  }
  const int64_t both0 = std::max(lo[0], lo[1]), both1 = std::max(both0, std::min(hi[0], hi[1]));
  for (int64_t q = 0; q < 2; q++) {
    float* phase = out + q * len;
    for (int64_t j = 0; j < lo[q]; j++) phase[j] = 0.0f;
    for (int64_t j = lo[q]; j < std::min(both0, hi[q]); j++) phase[j] = in[2 * j + q - off];
    for (int64_t j = std::max(both1, lo[q]); j < hi[q]; j++) phase[j] = in[2 * j + q - off];
    for (int64_t j = hi[q]; j < len; j++) phase[j] = 0.0f;
  }
  float* even = out;
  float* odd = out + len;
  const float* src = in + 2 * both0 - off;
  for (int64_t j = 0; j < both1 - both0; j++) {
    even[both0 + j] = src[2 * j];
    odd[both0 + j] = src[2 * j + 1];
  }
}

/**
 * Fills the padded source of s from x (s.n x s.cin channels of id x ih x iw): padded index t along
 * each axis holds x at (t - off) / dil where that is a whole in-range index, zero elsewhere.
 */
float* padSource(const float* x, int64_t id, int64_t ih, int64_t iw, const int64_t off[3], int64_t dil, DirectSpec& s) {
  const int64_t planeSize = s.srcH * s.rowLen, planes = s.n * s.cin * s.srcD;
  float* buf = workspace(Workspace::Columns, planes * planeSize + kMaxLanes);
  std::memset(buf + planes * planeSize, 0, sizeof(float) * kMaxLanes);
  parallelFor(planes, planes * planeSize, [&](int64_t p) {
    const int64_t z = p % s.srcD, channel = p / s.srcD;
    const int64_t zi = sourceIndex(z, off[0], dil, id);
    for (int64_t yy = 0; yy < s.srcH; yy++) {
      float* row = buf + p * planeSize + yy * s.rowLen;
      const int64_t yi = zi < 0 ? -1 : sourceIndex(yy, off[1], dil, ih);
      if (yi < 0) {
        std::memset(row, 0, sizeof(float) * s.rowLen);
        continue;
      }
      const float* in = x + ((channel * id + zi) * ih + yi) * iw;
      if (s.sw == 1 && dil == 1) {
        const int64_t lead = std::min(off[2], s.rowLen), len = std::clamp(s.rowLen - off[2], int64_t(0), iw);
        std::memset(row, 0, sizeof(float) * lead);
        std::memcpy(row + lead, in, sizeof(float) * len);
        std::memset(row + lead + len, 0, sizeof(float) * (s.rowLen - lead - len));
        continue;
      }
      if (s.sw == 2 && dil == 1) {
        splitPairs(in, iw, off[2], s.phaseLen, row);
        continue;
      }
      for (int64_t q = 0; q < s.sw; q++) {
        float* phase = row + q * s.phaseLen;
        if (dil != 1) {
          for (int64_t j = 0; j < s.phaseLen; j++) {
            const int64_t xi = sourceIndex(j * s.sw + q, off[2], dil, iw);
            phase[j] = xi < 0 ? 0.0f : in[xi];
          }
          continue;
        }
        // Phase q holds padded columns j*sw + q, i.e. input columns j*sw + q - off: inside [0, iw)
        // for j in [lo, hi).
        const int64_t lo = std::clamp((off[2] - q + s.sw - 1) / s.sw, int64_t(0), s.phaseLen);
        const int64_t hi = std::clamp((iw + off[2] - q + s.sw - 1) / s.sw, lo, s.phaseLen);
        for (int64_t j = 0; j < lo; j++) phase[j] = 0.0f;
        for (int64_t j = lo; j < hi; j++) phase[j] = in[j * s.sw + q - off[2]];
        for (int64_t j = hi; j < s.phaseLen; j++) phase[j] = 0.0f;
      }
    }
  });
  s.src = buf;
  return buf;
}

/** Packs w(co, ci, tap) as [co / 4][ci][tap][co % 4], zeros past cout. */
template <class Access>
float* packWeights(int64_t cout, int64_t cin, int64_t taps, Access w) {
  const int64_t groups = (cout + kGroup - 1) / kGroup;
  float* wp = workspace(Workspace::PackedA, groups * cin * taps * kGroup);
  for (int64_t grp = 0; grp < groups; grp++) {
    for (int64_t ci = 0; ci < cin; ci++) {
      for (int64_t t = 0; t < taps; t++) {
        float* out = wp + ((grp * cin + ci) * taps + t) * kGroup;
        for (int64_t c = 0; c < kGroup; c++) {
          const int64_t co = grp * kGroup + c;
          out[c] = co < cout ? w(co, ci, t) : 0.0f;
        }
      }
    }
  }
  return wp;
}

void runForward(const DirectSpec& s) {
  const DirectKernels& k = kernels();
  parallelFor(s.n * s.od, s.n * s.od * s.oh * s.ow * s.cin * s.kd * s.kh * s.kw * s.cout, [&](int64_t t) { k.forwardSlab(s, t / s.od, t % s.od); });
}

}  // namespace

void setDirectConv(bool on) { enabled.store(on); }
bool directConvEnabled() { return enabled.load(); }

bool directForwardSuits(const ConvGeom& g) { return enabled.load() && g.cout <= kGroup && g.kw <= kDirectMaxKw; }

bool directBackwardDataSuits(const ConvGeom& g) {
  const bool stride1 = g.sd == 1 && g.sh == 1 && g.sw == 1;
  const bool padOk = g.pd <= g.kd - 1 && g.ph <= g.kh - 1 && g.pw <= g.kw - 1;
  const bool exact = g.od == g.id + 2 * g.pd - g.kd + 1 && g.oh == g.ih + 2 * g.ph - g.kh + 1 && g.ow == g.iw + 2 * g.pw - g.kw + 1;
  return enabled.load() && stride1 && padOk && exact && g.cin <= kGroup && g.kw <= kDirectMaxKw;
}

bool directBackwardWeightSuits(const ConvGeom& g) { return enabled.load() && g.cout <= kGroup && g.kw <= kDirectMaxKw; }

void directForward(const float* x, const float* w, const float* bias, float* y, const ConvGeom& g, bool relu) {
  DirectSpec s = layout(g);
  const int64_t off[3] = {g.pd, g.ph, g.pw};
  padSource(x, g.id, g.ih, g.iw, off, 1, s);
  const int64_t taps = g.taps();
  s.w = packWeights(g.cout, g.cin, taps, [&](int64_t co, int64_t ci, int64_t t) { return w[(co * g.cin + ci) * taps + t]; });
  s.bias = bias;
  s.relu = relu;
  s.y = y;
  runForward(s);
}

void directBackwardData(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  // The stride-1 data gradient is the forward convolution of dy, padded by k-1-p, with weights
  // transposed in channels and flipped in taps.
  ConvGeom t = g;
  t.cin = g.cout, t.cout = g.cin;
  t.id = g.od, t.ih = g.oh, t.iw = g.ow;
  t.od = g.id, t.oh = g.ih, t.ow = g.iw;
  t.pd = g.kd - 1 - g.pd, t.ph = g.kh - 1 - g.ph, t.pw = g.kw - 1 - g.pw;
  DirectSpec s = layout(t);
  const int64_t off[3] = {t.pd, t.ph, t.pw};
  padSource(dy, t.id, t.ih, t.iw, off, 1, s);
  const int64_t taps = g.taps();
  s.w = packWeights(t.cout, t.cin, taps, [&](int64_t ci, int64_t co, int64_t tap) { return w[(co * g.cin + ci) * taps + (taps - 1 - tap)]; });
  s.y = dx;
  runForward(s);
}

void directBackwardWeight(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  DirectSpec s = layout(g);
  const int64_t off[3] = {g.pd, g.ph, g.pw};
  padSource(x, g.id, g.ih, g.iw, off, 1, s);
  s.dy = dy;
  const int64_t tasks = g.n * g.od, per = g.cout * g.cin * g.taps();
  float* part = workspace(Workspace::Rows, tasks * per);
  const DirectKernels& k = kernels();
  parallelFor(tasks, tasks * g.oh * g.ow * per, [&](int64_t t) { k.weightSlab(s, t / g.od, t % g.od, part + t * per); });
  // The partials added in task order, in float64: the same bits for any thread count.
  constexpr int64_t kBlock = 256;
  parallelFor((per + kBlock - 1) / kBlock, per * tasks, [&](int64_t b) {
    for (int64_t e = b * kBlock; e < std::min(per, (b + 1) * kBlock); e++) {
      double acc = 0.0;
      for (int64_t t = 0; t < tasks; t++) acc += part[t * per + e];
      dw[e] = static_cast<float>(acc);
    }
  });
}

}  // namespace csfnet
