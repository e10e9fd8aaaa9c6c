// im2col rows by output-row segments: along ow the source is a strided run of one input row, so a
// segment is a zero-fill, a (strided) copy and a zero-fill, with the valid range computed once.
#include "im2col.h"

#include "isa.h"

#include <algorithm>
#include <cstring>

namespace csfnet {

void im2colRow(const float* plane, const ConvGeom& g, int64_t tap, int64_t o0, int64_t count, float* out) {
  const auto copy = isa().copy;
  forEachRun(g, tap, o0, count, [&](int64_t t, int64_t len, int64_t src, int64_t stride) {
    float* dst = out + t;
    if (src < 0) copy(dst, nullptr, len);
    else if (stride == 1) copy(dst, plane + src, len);
    else for (int64_t i = 0; i < len; i++) dst[i] = plane[src + i * stride];
  });
}

void im2colRowBatch(const float* x, const ConvGeom& g, int64_t c, int64_t tap, int64_t j0, int64_t count, float* out) {
  const int64_t outPlane = g.outPlane();
  const int64_t inPlane = g.inPlane();
  while (count > 0) {
    const int64_t n = j0 / outPlane;
    const int64_t o = j0 % outPlane;
    const int64_t seg = std::min(count, outPlane - o);
    im2colRow(x + (n * g.cin + c) * inPlane, g, tap, o, seg, out);
    out += seg;
    j0 += seg;
    count -= seg;
  }
}

}  // namespace csfnet

namespace csfnet {

void col2imRowAdd(const float* col, const ConvGeom& g, int64_t tap, int64_t o0, int64_t count, float* plane) {
  forEachRun(g, tap, o0, count, [&](int64_t t, int64_t len, int64_t src, int64_t stride) {
    if (src < 0) return;
    for (int64_t i = 0; i < len; i++) plane[src + i * stride] += col[t + i];
  });
}

}  // namespace csfnet

namespace csfnet {

bool useTapTable(const ConvGeom& g) { return g.ow < 16 && g.taps() * g.outPlane() <= (int64_t(1) << 22); }

void buildTapTable(const ConvGeom& g, int32_t* table) {
  for (int64_t tap = 0; tap < g.taps(); tap++) {
    const int64_t kx = tap % g.kw, ky = (tap / g.kw) % g.kh, kz = tap / (g.kw * g.kh);
    int32_t* t = table + tap * g.outPlane();
    for (int64_t od = 0; od < g.od; od++) {
      const int64_t z = od * g.sd - g.pd + kz;
      for (int64_t oh = 0; oh < g.oh; oh++) {
        const int64_t y = oh * g.sh - g.ph + ky;
        for (int64_t ow = 0; ow < g.ow; ow++) {
          const int64_t xx = ow * g.sw - g.pw + kx;
          const bool inside = z >= 0 && z < g.id && y >= 0 && y < g.ih && xx >= 0 && xx < g.iw;
          *t++ = inside ? static_cast<int32_t>((z * g.ih + y) * g.iw + xx) : -1;
        }
      }
    }
  }
}

void im2colRowTable(const float* x, const ConvGeom& g, const int32_t* table, int64_t c, int64_t tap, int64_t j0, int64_t count, float* out) {
  const int64_t outPlane = g.outPlane(), inPlane = g.inPlane();
  const int32_t* t = table + tap * outPlane;
  while (count > 0) {
    const int64_t n = j0 / outPlane, o = j0 % outPlane, seg = std::min(count, outPlane - o);
    const float* plane = x + (n * g.cin + c) * inPlane;
    for (int64_t i = 0; i < seg; i++) {
      const int32_t at = t[o + i];
      out[i] = at >= 0 ? plane[at] : 0.0f;
    }
    out += seg;
    j0 += seg;
    count -= seg;
  }
}

}  // namespace csfnet

namespace csfnet {

void planRuns(const ConvGeom& g, int64_t j0, int64_t count, int64_t split, RunPlan& plan) {
  plan.pieces.clear();
  plan.wStart.resize(g.kw);
  plan.wEnd.resize(g.kw);
  for (int64_t kx = 0; kx < g.kw; kx++) {
    const int64_t num = g.pw - kx;
    plan.wStart[kx] = num <= 0 ? 0 : (num + g.sw - 1) / g.sw;
    const int64_t last = g.iw - 1 + g.pw - kx;
    plan.wEnd[kx] = std::max(plan.wStart[kx], last < 0 ? int64_t(0) : std::min(g.ow, last / g.sw + 1));
  }
  const int64_t outPlane = g.outPlane();
  int64_t n = j0 / outPlane, o = j0 % outPlane;
  int64_t ow = o % g.ow, row = o / g.ow;
  for (int64_t t = 0; t < count;) {
    int64_t len = std::min(count - t, g.ow - ow);
    if (split > 0) len = std::min(len, split - t % split);
    plan.pieces.push_back({t, len, n, (row / g.oh) * g.sd - g.pd, (row % g.oh) * g.sh - g.ph, ow, split > 0 ? t / split : 0, split > 0 ? t % split : t});
    t += len;
    ow += len;
    if (ow == g.ow) {
      ow = 0;
      if (++row == g.od * g.oh) {
        row = 0;
        n++;
      }
    }
  }
}

}  // namespace csfnet
