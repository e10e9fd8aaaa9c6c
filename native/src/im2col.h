// Rows of the implicit im2col matrix of a 3-D convolution, generated on the fly by the packers.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

namespace csfnet {

/** A convolution seen from its input: channels x (d,h,w) in, (od,oh,ow) out, one kernel/stride/pad. */
struct ConvGeom {
  int64_t n, cin, cout;
  int64_t id, ih, iw;
  int64_t kd, kh, kw;
  int64_t sd, sh, sw;
  int64_t pd, ph, pw;
  int64_t od, oh, ow;
  int64_t inPlane() const { return id * ih * iw; }
  int64_t outPlane() const { return od * oh * ow; }
  int64_t taps() const { return kd * kh * kw; }
};

/**
 * Walks one im2col row (tap) over `count` output positions from flat index o0 of a sample's output
 * plane in runs: fn(t, len, src, stride) says that positions [t, t+len) (relative to o0) read the
 * input plane at src, src+stride, ... (src = -1: padding, zeros). A run never leaves an output row.
 */
template <class Fn>
void forEachRun(const ConvGeom& g, int64_t tap, int64_t o0, int64_t count, Fn fn) {
  const int64_t kx = tap % g.kw, ky = (tap / g.kw) % g.kh, kz = tap / (g.kw * g.kh);
  // Output columns whose input column ow*sw - pw + kx lies in [0, iw): [wStart, wEnd).
  const int64_t num = g.pw - kx;
  const int64_t wStart = num <= 0 ? 0 : (num + g.sw - 1) / g.sw;
  const int64_t last = g.iw - 1 + g.pw - kx;
  const int64_t wEnd = std::max(wStart, last < 0 ? int64_t(0) : std::min(g.ow, last / g.sw + 1));
  int64_t ow = o0 % g.ow, rowIndex = o0 / g.ow, t = 0;
  while (t < count) {
    const int64_t seg = std::min(count - t, g.ow - ow);
    const int64_t oh = rowIndex % g.oh, od = rowIndex / g.oh;
    const int64_t z = od * g.sd - g.pd + kz, y = oh * g.sh - g.ph + ky;
    if (z < 0 || z >= g.id || y < 0 || y >= g.ih) {
      fn(t, seg, int64_t(-1), int64_t(0));
    } else {
      const int64_t a = std::clamp(wStart, ow, ow + seg), b = std::clamp(wEnd, a, ow + seg);
      if (a > ow) fn(t, a - ow, int64_t(-1), int64_t(0));
      if (b > a) fn(t + (a - ow), b - a, (z * g.ih + y) * g.iw + a * g.sw - g.pw + kx, g.sw);
      if (ow + seg > b) fn(t + (b - ow), ow + seg - b, int64_t(-1), int64_t(0));
    }
    t += seg;
    ow = 0;
    rowIndex++;
  }
}

/**
 * out[t] = x[c, od*sd-pd+kd, oh*sh-ph+kh, ow*sw-pw+kw] for the `count` output positions starting at
 * flat index o0 of one sample's output plane (zero where the tap falls in the padding). `plane` is
 * channel c's input plane. tap = (kd*kh + kh)*kw + kw as in the weight layout.
 */
void im2colRow(const float* plane, const ConvGeom& g, int64_t tap, int64_t o0, int64_t count, float* out);

/**
 * The same row over columns that may span samples: column j of [j0, j0+count) is (sample j / P,
 * position j % P) with P = g.outPlane(); row = (channel c, tap). x is the whole NCDHW input.
 */
void im2colRowBatch(const float* x, const ConvGeom& g, int64_t c, int64_t tap, int64_t j0, int64_t count, float* out);

}  // namespace csfnet

namespace csfnet {

/**
 * The adjoint of im2colRow: plane[c, od*sd-pd+kd, ...] += col[t] over the same positions (taps in
 * the padding are dropped). Used by the strided backward-data path (col2im).
 */
void col2imRowAdd(const float* col, const ConvGeom& g, int64_t tap, int64_t o0, int64_t count, float* plane);

}  // namespace csfnet

namespace csfnet {

/**
 * For small output rows (a few columns per segment) a per-tap gather table is faster than segment
 * copies: table[tap*P + o] = offset of output position o's input within a plane, or -1 in the
 * padding (P = g.outPlane()). Worth it when g.ow is small; costs taps*P int32s.
 */
bool useTapTable(const ConvGeom& g);
void buildTapTable(const ConvGeom& g, int32_t* table);
/** im2colRowBatch through a tap table. */
void im2colRowTable(const float* x, const ConvGeom& g, const int32_t* table, int64_t c, int64_t tap, int64_t j0, int64_t count, float* out);

}  // namespace csfnet

namespace csfnet {

/**
 * The pieces of a column range [j0, j0+count) of (sample, output position), each inside one output
 * row (and, when split > 0, inside one split-wide panel), with the divisions done once: packers
 * then walk every im2col row (channel, tap) over the same pieces with additions and compares only.
 */
struct RunPlan {
  struct Piece {
    int64_t t;       // offset of the piece in the range
    int64_t len;     // output positions
    int64_t sample;  // n
    int64_t z0, y0;  // od*sd - pd, oh*sh - ph
    int64_t ow0;     // first output column
    int64_t panel;   // t / split (0 without split)
    int64_t r0;      // t % split (t without split)
  };
  std::vector<Piece> pieces;
  std::vector<int64_t> wStart, wEnd;  // per kernel column kx: valid output columns [wStart, wEnd)
};

void planRuns(const ConvGeom& g, int64_t j0, int64_t count, int64_t split, RunPlan& plan);

/**
 * fn(piece, t, len, src, stride) over the runs of im2col row (channel c, tap) along `plan`:
 * positions [t, t+len) of `piece` read x at src, src+stride, ... (absolute offsets into the NCDHW
 * input; src = -1 for padding). With a panel split, a run lies in panel piece.panel at offset
 * piece.r0 + (t - piece.t).
 */
template <class Fn>
void forEachPlannedRun(const ConvGeom& g, const RunPlan& plan, int64_t c, int64_t tap, Fn fn) {
  const int64_t kx = tap % g.kw, ky = (tap / g.kw) % g.kh, kz = tap / (g.kw * g.kh);
  const int64_t wStart = plan.wStart[kx], wEnd = plan.wEnd[kx];
  const int64_t inPlane = g.inPlane();
  for (const RunPlan::Piece& p : plan.pieces) {
    const int64_t z = p.z0 + kz, y = p.y0 + ky;
    if (z < 0 || z >= g.id || y < 0 || y >= g.ih) {
      fn(p, p.t, p.len, int64_t(-1), int64_t(0));
      continue;
    }
    const int64_t end = p.ow0 + p.len;
    const int64_t a = std::clamp(wStart, p.ow0, end), b = std::clamp(wEnd, a, end);
    if (a > p.ow0) fn(p, p.t, a - p.ow0, int64_t(-1), int64_t(0));
    if (b > a) fn(p, p.t + (a - p.ow0), b - a, ((p.sample * g.cin + c) * inPlane) + (z * g.ih + y) * g.iw + a * g.sw - g.pw + kx, g.sw);
    if (end > b) fn(p, p.t + (b - p.ow0), end - b, int64_t(-1), int64_t(0));
  }
}

}  // namespace csfnet
