// Rows of the implicit im2col matrix of a 3-D convolution, generated on the fly by the packers.
#pragma once
#include <cstdint>

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
