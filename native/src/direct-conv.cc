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

/** Index into an input axis of length len for padded index t (the input starts at off), or -1. */
inline int64_t sourceIndex(int64_t t, int64_t off, int64_t len) {
  const int64_t u = t - off;
  return u < 0 || u >= len ? -1 : u;
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
 * axis a holds x at t - off[a] where that is inside the input, zero elsewhere (a negative offset
 * drops the first input rows or columns).
 */
float* padSource(const float* x, int64_t id, int64_t ih, int64_t iw, const int64_t off[3], DirectSpec& s) {
  const int64_t planeSize = s.srcH * s.rowLen, planes = s.n * s.cin * s.srcD;
  float* buf = workspace(Workspace::Columns, planes * planeSize + kMaxLanes);
  std::memset(buf + planes * planeSize, 0, sizeof(float) * kMaxLanes);
  parallelFor(planes, planes * planeSize, [&](int64_t p) {
    const int64_t z = p % s.srcD, channel = p / s.srcD;
    const int64_t zi = sourceIndex(z, off[0], id);
    for (int64_t yy = 0; yy < s.srcH; yy++) {
      float* row = buf + p * planeSize + yy * s.rowLen;
      const int64_t yi = zi < 0 ? -1 : sourceIndex(yy, off[1], ih);
      if (yi < 0) {
        std::memset(row, 0, sizeof(float) * s.rowLen);
        continue;
      }
      const float* in = x + ((channel * id + zi) * ih + yi) * iw;
      if (s.sw == 1) {
        const int64_t lead = std::clamp(off[2], int64_t(0), s.rowLen), from = std::max(int64_t(0), -off[2]);
        const int64_t len = std::clamp(std::min(iw - from, s.rowLen - lead), int64_t(0), s.rowLen);
        std::memset(row, 0, sizeof(float) * lead);
        std::memcpy(row + lead, in + from, sizeof(float) * len);
        std::memset(row + lead + len, 0, sizeof(float) * (s.rowLen - lead - len));
      } else if (s.sw == 2) {
        splitPairs(in, iw, off[2], s.phaseLen, row);
      } else {
        for (int64_t q = 0; q < s.sw; q++) {
          for (int64_t j = 0; j < s.phaseLen; j++) {
            const int64_t xi = sourceIndex(j * s.sw + q, off[2], iw);
            row[q * s.phaseLen + j] = xi < 0 ? 0.0f : in[xi];
          }
        }
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

/**
 * One axis of a stride-s data gradient split by output parity a (dx index s*Z + a, Z < count): the
 * taps t0, t0 + s, ... (J of them) reach it, from dy index Z + base - j for tap t0 + s*j. With the
 * taps flipped (u = J-1-j) that is a stride-1 correlation over dy starting at Z - off, off =
 * (J-1) - base.
 */
struct Parity {
  int64_t count, t0, taps, off;
  Parity(int64_t len, int64_t s, int64_t k, int64_t p, int64_t a) {
    count = len > a ? (len - a + s - 1) / s : 0;
    t0 = (a + p) % s;
    taps = t0 < k ? (k - t0 + s - 1) / s : 0;
    off = (taps - 1) - (a + p - t0) / s;
  }
};

/**
 * The strided data gradient without the zeros of a spread-out dy: for each output parity (a, b, c)
 * the stride-1 direct forward kernel runs the taps that reach it (a 1 or 2 tap kernel per axis for
 * k3 s2) over dy, into a compact buffer that is then written to every s-th element of dx. One
 * padded copy of dy serves all parities (each reads it from its own offset).
 */
void backwardDataByParity(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  const int64_t len[3] = {g.id, g.ih, g.iw}, stride[3] = {g.sd, g.sh, g.sw}, k[3] = {g.kd, g.kh, g.kw}, pad[3] = {g.pd, g.ph, g.pw};
  // Left padding and extent of the shared source: enough for every parity's window.
  int64_t left[3] = {0, 0, 0}, extent[3] = {1, 1, 1};
  for (int ax = 0; ax < 3; ax++) {
    for (int64_t a = 0; a < stride[ax]; a++) left[ax] = std::max(left[ax], Parity(len[ax], stride[ax], k[ax], pad[ax], a).off);
    for (int64_t a = 0; a < stride[ax]; a++) {
      const Parity q(len[ax], stride[ax], k[ax], pad[ax], a);
      const int64_t cols = ax == 2 ? (q.count + kMaxLanes - 1) / kMaxLanes * kMaxLanes : q.count;
      extent[ax] = std::max(extent[ax], cols + q.taps - 1 + left[ax] - q.off);
    }
  }
  DirectSpec src;
  src.n = g.n, src.cin = g.cout;
  src.srcD = extent[0], src.srcH = extent[1], src.rowLen = extent[2], src.phaseLen = extent[2];
  padSource(dy, g.od, g.oh, g.ow, left, src);
  const int64_t taps = g.taps();
  for (int64_t a = 0; a < g.sd; a++) {
    for (int64_t b = 0; b < g.sh; b++) {
      for (int64_t c = 0; c < g.sw; c++) {
        const Parity pd(g.id, g.sd, g.kd, g.pd, a), ph(g.ih, g.sh, g.kh, g.ph, b), pw(g.iw, g.sw, g.kw, g.pw, c);
        if (pd.count == 0 || ph.count == 0 || pw.count == 0) continue;
        const int64_t count = pd.count * ph.count * pw.count;
        float* part = workspace(Workspace::Rows, g.n * g.cin * count);
        if (pd.taps == 0 || ph.taps == 0 || pw.taps == 0) {
          std::memset(part, 0, sizeof(float) * g.n * g.cin * count);
        } else {
          DirectSpec s = src;
          s.src = src.src + ((left[0] - pd.off) * src.srcH + (left[1] - ph.off)) * src.rowLen + (left[2] - pw.off);
          s.cout = g.cin;
          s.kd = pd.taps, s.kh = ph.taps, s.kw = pw.taps;
          s.od = pd.count, s.oh = ph.count, s.ow = pw.count;
          const int64_t sub = pd.taps * ph.taps * pw.taps;
          s.w = packWeights(g.cin, g.cout, sub, [&](int64_t ci, int64_t co, int64_t u) {
            const int64_t ud = u / (ph.taps * pw.taps), uh = (u / pw.taps) % ph.taps, uw = u % pw.taps;
            const int64_t td = pd.t0 + g.sd * (pd.taps - 1 - ud), th = ph.t0 + g.sh * (ph.taps - 1 - uh), tw = pw.t0 + g.sw * (pw.taps - 1 - uw);
            return w[(co * g.cin + ci) * taps + (td * g.kh + th) * g.kw + tw];
          });
          s.y = part;
          runForward(s);
        }
        // Every s-th element of dx from the compact rows.
        parallelFor(g.n * g.cin * pd.count, g.n * g.cin * count, [&](int64_t t) {
          const int64_t plane = t / pd.count, z = t % pd.count;
          for (int64_t y = 0; y < ph.count; y++) {
            const float* from = part + (t * ph.count + y) * pw.count;
            float* to = dx + ((plane * g.id + g.sd * z + a) * g.ih + g.sh * y + b) * g.iw + c;
            for (int64_t x = 0; x < pw.count; x++) to[g.sw * x] = from[x];
          }
        });
      }
    }
  }
}

/**
 * Whether `channels` (the side the slab kernels keep in registers) are few enough for the direct
 * kernels at rows of `width` outputs: up to 4 always, up to 8 (two register groups) on rows of 32
 * or more. Measured on CSF-Net's small variant (4->8 and 8->8 at 8x32x32 run faster direct; 8->16
 * and up at 4x16x16 and 2x8x8 faster as GEMMs).
 */
bool fewChannels(int64_t channels, int64_t width) { return channels <= kGroup || (channels <= 2 * kGroup && width >= 32); }

}  // namespace

void setDirectConv(bool on) { enabled.store(on); }
bool directConvEnabled() { return enabled.load(); }

bool directForwardSuits(const ConvGeom& g) { return enabled.load() && fewChannels(g.cout, g.ow) && g.kw <= kDirectMaxKw; }

bool directBackwardDataSuits(const ConvGeom& g) {
  // Strided: one stride-1 pass per output parity over the taps that reach it, up to 8 channels.
  const bool stride1 = g.sd == 1 && g.sh == 1 && g.sw == 1;
  const bool padOk = g.pd <= g.kd - 1 && g.ph <= g.kh - 1 && g.pw <= g.kw - 1;
  const bool few = stride1 ? fewChannels(g.cin, g.iw) : g.cin <= 2 * kGroup;
  return enabled.load() && padOk && few && g.kw <= kDirectMaxKw;
}

bool directBackwardWeightSuits(const ConvGeom& g) { return enabled.load() && fewChannels(g.cout, g.ow) && g.kw <= kDirectMaxKw; }

void directForward(const float* x, const float* w, const float* bias, float* y, const ConvGeom& g, bool relu) {
  DirectSpec s = layout(g);
  const int64_t off[3] = {g.pd, g.ph, g.pw};
  padSource(x, g.id, g.ih, g.iw, off, s);
  const int64_t taps = g.taps();
  s.w = packWeights(g.cout, g.cin, taps, [&](int64_t co, int64_t ci, int64_t t) { return w[(co * g.cin + ci) * taps + t]; });
  s.bias = bias;
  s.relu = relu;
  s.y = y;
  runForward(s);
}

void directBackwardData(const float* dy, const float* w, float* dx, const ConvGeom& g) {
  if (g.sd != 1 || g.sh != 1 || g.sw != 1) return backwardDataByParity(dy, w, dx, g);
  // Stride 1: the forward convolution of dy, padded by k-1-p, with weights transposed in channels
  // and flipped in taps.
  ConvGeom t = g;
  t.cin = g.cout, t.cout = g.cin;
  t.od = g.id, t.oh = g.ih, t.ow = g.iw;
  DirectSpec s = layout(t);
  const int64_t off[3] = {g.kd - 1 - g.pd, g.kh - 1 - g.ph, g.kw - 1 - g.pw};
  padSource(dy, g.od, g.oh, g.ow, off, s);
  const int64_t taps = g.taps();
  s.w = packWeights(t.cout, t.cin, taps, [&](int64_t ci, int64_t co, int64_t tap) { return w[(co * g.cin + ci) * taps + (taps - 1 - tap)]; });
  s.y = dx;
  runForward(s);
}

void directBackwardWeight(const float* x, const float* dy, float* dw, const ConvGeom& g) {
  DirectSpec s = layout(g);
  const int64_t off[3] = {g.pd, g.ph, g.pw};
  padSource(x, g.id, g.ih, g.iw, off, s);
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
