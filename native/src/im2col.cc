// im2col rows by output-row segments: along ow the source is a strided run of one input row, so a
// segment is a zero-fill, a (strided) copy and a zero-fill, with the valid range computed once.
#include "im2col.h"

#include <algorithm>
#include <cstring>

namespace csfnet {
namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

void im2colRow(const float* plane, const ConvGeom& g, int64_t tap, int64_t o0, int64_t count, float* out) {
  const int64_t kx = tap % g.kw;
  const int64_t ky = (tap / g.kw) % g.kh;
  const int64_t kz = tap / (g.kw * g.kh);
  // Output columns whose input column ow*sw - pw + kx lies in [0, iw).
  const int64_t wStart = std::max<int64_t>(0, ceilDiv(g.pw - kx, g.sw));
  const int64_t wEnd = std::max(wStart, std::min(g.ow, floorDiv(g.iw - 1 + g.pw - kx, g.sw) + 1));
  int64_t ow = o0 % g.ow;
  int64_t rowIndex = o0 / g.ow;  // od*oh + oh
  while (count > 0) {
    const int64_t seg = std::min(count, g.ow - ow);
    const int64_t oh = rowIndex % g.oh;
    const int64_t odd = rowIndex / g.oh;
    const int64_t z = odd * g.sd - g.pd + kz;
    const int64_t y = oh * g.sh - g.ph + ky;
    if (z < 0 || z >= g.id || y < 0 || y >= g.ih) {
      std::memset(out, 0, sizeof(float) * seg);
    } else {
      const float* row = plane + (z * g.ih + y) * g.iw - g.pw + kx;
      const int64_t a = std::clamp(wStart, ow, ow + seg);
      const int64_t b = std::clamp(wEnd, a, ow + seg);
      if (a > ow) std::memset(out, 0, sizeof(float) * (a - ow));
      if (g.sw == 1) {
        if (b > a) std::memcpy(out + (a - ow), row + a, sizeof(float) * (b - a));
      } else {
        for (int64_t t = a; t < b; t++) out[t - ow] = row[t * g.sw];
      }
      if (ow + seg > b) std::memset(out + (b - ow), 0, sizeof(float) * (ow + seg - b));
    }
    out += seg;
    count -= seg;
    ow = 0;
    rowIndex++;
  }
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
  const int64_t kx = tap % g.kw;
  const int64_t ky = (tap / g.kw) % g.kh;
  const int64_t kz = tap / (g.kw * g.kh);
  const int64_t wStart = std::max<int64_t>(0, ceilDiv(g.pw - kx, g.sw));
  const int64_t wEnd = std::max(wStart, std::min(g.ow, floorDiv(g.iw - 1 + g.pw - kx, g.sw) + 1));
  int64_t ow = o0 % g.ow;
  int64_t rowIndex = o0 / g.ow;
  while (count > 0) {
    const int64_t seg = std::min(count, g.ow - ow);
    const int64_t oh = rowIndex % g.oh;
    const int64_t odd = rowIndex / g.oh;
    const int64_t z = odd * g.sd - g.pd + kz;
    const int64_t y = oh * g.sh - g.ph + ky;
    if (z >= 0 && z < g.id && y >= 0 && y < g.ih) {
      float* row = plane + (z * g.ih + y) * g.iw - g.pw + kx;
      const int64_t a = std::clamp(wStart, ow, ow + seg);
      const int64_t b = std::clamp(wEnd, a, ow + seg);
      for (int64_t t = a; t < b; t++) row[t * g.sw] += col[t - ow];
    }
    col += seg;
    count -= seg;
    ow = 0;
    rowIndex++;
  }
}

}  // namespace csfnet
