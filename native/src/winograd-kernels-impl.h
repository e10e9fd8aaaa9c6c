// The transforms of winograd-kernels.h, included inside the anonymous namespace of each
// instruction-set file after its target pragma and `constexpr int64_t kMr, kNr` (its outer
// micro-kernel's MR and NR): plain loops over a block's kWinogradTiles tiles (or a panel's filter
// rows) that the compiler vectorises with the level's widest vectors. Matrices of F(2, 3) with
// interpolation points 0, 1, -1 (Lavin and Gray 2016, "Fast Algorithms for Convolutional Neural
// Networks", section 4.1), applied separably along D, H and W for the 3-D tile:
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
// Only additions, subtractions and exact halvings, each sum written out in one fixed order, so a
// level's results never depend on threads or blocking.

void winogradWeights(const WinogradWeights& w, int64_t o0, int64_t rows, int64_t cin, float* u, int64_t xiStride) {
  constexpr int64_t R = kMr, kIb = 16;
  // Input channels go kIb at a time through a local buffer, so that each xi's panel is written in
  // whole cache lines (64 interleaved output streams otherwise thrash the write buffers).
  alignas(64) float out[64][kIb][R];
  for (int64_t i0 = 0; i0 < cin; i0 += kIb) {
    const int64_t ib = std::min(kIb, cin - i0);
    for (int64_t ii = 0; ii < ib; ii++) {
      const int64_t i = i0 + ii;
      float g[27][R];
      for (int64_t r = 0; r < R; r++) {
        if (r >= rows) {
          for (int t = 0; t < 27; t++) g[t][r] = 0.0f;
          continue;
        }
        const float* src = w.w + (o0 + r) * w.outStride + i * w.inStride;
        __builtin_prefetch(src + 4 * w.inStride);
        if (w.flip) {
          for (int t = 0; t < 27; t++) g[t][r] = src[26 - t];
        } else {
          for (int t = 0; t < 27; t++) g[t][r] = src[t];
        }
      }
      // G along W: (kz, ky, kx) -> (kz, ky, c); then H: -> (kz, b, c); then D: -> (a, b, c).
      float gw[9][4][R], gh[3][4][4][R];
      for (int zy = 0; zy < 9; zy++) {
        for (int64_t r = 0; r < R; r++) {
          const float g0 = g[zy * 3][r], g1 = g[zy * 3 + 1][r], g2 = g[zy * 3 + 2][r];
          gw[zy][0][r] = g0;
          gw[zy][1][r] = 0.5f * (g0 + g1 + g2);
          gw[zy][2][r] = 0.5f * (g0 - g1 + g2);
          gw[zy][3][r] = g2;
        }
      }
      for (int z = 0; z < 3; z++) {
        for (int c = 0; c < 4; c++) {
          for (int64_t r = 0; r < R; r++) {
            const float g0 = gw[z * 3][c][r], g1 = gw[z * 3 + 1][c][r], g2 = gw[z * 3 + 2][c][r];
            gh[z][0][c][r] = g0;
            gh[z][1][c][r] = 0.5f * (g0 + g1 + g2);
            gh[z][2][c][r] = 0.5f * (g0 - g1 + g2);
            gh[z][3][c][r] = g2;
          }
        }
      }
      for (int bc = 0; bc < 16; bc++) {
        for (int64_t r = 0; r < R; r++) {
          const float g0 = gh[0][bc / 4][bc % 4][r], g1 = gh[1][bc / 4][bc % 4][r], g2 = gh[2][bc / 4][bc % 4][r];
          out[bc][ii][r] = g0;
          out[16 + bc][ii][r] = 0.5f * (g0 + g1 + g2);
          out[32 + bc][ii][r] = 0.5f * (g0 - g1 + g2);
          out[48 + bc][ii][r] = g2;
        }
      }
    }
    for (int xi = 0; xi < 64; xi++) {
      float* dst = u + xi * xiStride + i0 * R;
      for (int64_t k = 0; k < ib * R; k++) dst[k] = (&out[xi][0][0])[k];
    }
  }
}

constexpr int64_t kT = kWinogradTiles;

/** Column c of an input row of width iw, zero outside. */
inline float at(const float* row, int64_t iw, int64_t c) { return c >= 0 && c < iw ? row[c] : 0.0f; }

/** Four values of a row -> B^T d. */
inline void inputAxis(float d0, float d1, float d2, float d3, float* o0, float* o1, float* o2, float* o3) {
  *o0 = d0 - d2;
  *o1 = d1 + d2;
  *o2 = d2 - d1;
  *o3 = d1 - d3;
}

void winogradInput(const float* xc, const ConvGeom& g, const WinogradRun* runs, int64_t nruns, float* dst, int64_t xiStride, int64_t panelStride) {
  // The patch rows of every tile transformed along W as they are gathered, run by run:
  // p[(a*4 + b)*4 + c][tile].
  alignas(64) float p[64][kT];
  const WinogradRun& last = runs[nruns - 1];
  if (last.j + last.len < kT) {
    for (int r = 0; r < 64; r++) {
      for (int64_t k = 0; k < kT; k++) p[r][k] = 0.0f;
    }
  }
  for (int64_t ri = 0; ri < nruns; ri++) {
    const WinogradRun& run = runs[ri];
    const int64_t j = run.j, len = run.len, x0 = run.ox - g.pw;
    // Tiles kLo .. kHi-1 read only columns inside the row (x0 + 2k >= 0, x0 + 2k + 3 < iw).
    const int64_t kLo = std::min(len, x0 >= 0 ? int64_t(0) : (1 - x0) / 2);
    const int64_t kHi = std::clamp<int64_t>(g.iw - 4 - x0 >= 0 ? (g.iw - 4 - x0) / 2 + 1 : 0, kLo, len);
    for (int ab = 0; ab < 16; ab++) {
      const int64_t z = run.oz - g.pd + ab / 4, y = run.oy - g.ph + ab % 4;
      float *p0 = p[ab * 4] + j, *p1 = p[ab * 4 + 1] + j, *p2 = p[ab * 4 + 2] + j, *p3 = p[ab * 4 + 3] + j;
      if (z < 0 || z >= g.id || y < 0 || y >= g.ih) {
        for (int64_t k = 0; k < len; k++) p0[k] = p1[k] = p2[k] = p3[k] = 0.0f;
        continue;
      }
      const float* row = xc + run.in + (z * g.ih + y) * g.iw;
      const float* r = row + x0;
      for (int64_t k = kLo; k < kHi; k++) inputAxis(r[2 * k], r[2 * k + 1], r[2 * k + 2], r[2 * k + 3], p0 + k, p1 + k, p2 + k, p3 + k);
      const auto edge = [&](int64_t k) {
        const int64_t c = x0 + 2 * k;
        inputAxis(at(row, g.iw, c), at(row, g.iw, c + 1), at(row, g.iw, c + 2), at(row, g.iw, c + 3), p0 + k, p1 + k, p2 + k, p3 + k);
      };
      for (int64_t k = 0; k < kLo; k++) edge(k);
      for (int64_t k = kHi; k < len; k++) edge(k);
    }
  }
  // Along H, in place (rows b of each a, c), then along D written out as B panels.
  for (int a = 0; a < 4; a++) {
    for (int c = 0; c < 4; c++) {
      float *d0 = p[a * 16 + c], *d1 = d0 + 4 * kT, *d2 = d0 + 8 * kT, *d3 = d0 + 12 * kT;
      for (int64_t k = 0; k < kT; k++) inputAxis(d0[k], d1[k], d2[k], d3[k], d0 + k, d1 + k, d2 + k, d3 + k);
    }
  }
  for (int bc = 0; bc < 16; bc++) {
    const float *d0 = p[bc], *d1 = p[16 + bc], *d2 = p[32 + bc], *d3 = p[48 + bc];
    for (int64_t h = 0; h < kT / kNr; h++) {
      float* o0 = dst + bc * xiStride + h * panelStride;
      float *o1 = o0 + 16 * xiStride, *o2 = o0 + 32 * xiStride, *o3 = o0 + 48 * xiStride;
      for (int64_t k = 0; k < kNr; k++) {
        const int64_t t = h * kNr + k;
        inputAxis(d0[t], d1[t], d2[t], d3[t], o0 + k, o1 + k, o2 + k, o3 + k);
      }
    }
  }
}

/** Rows r, r+step, r+2 step, r+3 step of kT tiles -> A^T d into rows o0 and o1. */
inline void outputAxis(const float* d0, const float* d1, const float* d2, const float* d3, float* o0, float* o1) {
  for (int64_t k = 0; k < kT; k++) {
    o0[k] = d0[k] + d1[k] + d2[k];
    o1[k] = d1[k] - d2[k] - d3[k];
  }
}

void winogradOutput(const float* m, int64_t xiStride, float bias, bool relu, float* yc, const ConvGeom& g, const WinogradRun* runs, int64_t nruns) {
  // A^T along W: (a, b, c) -> sw[(a*4 + b)*2 + dx]; along H: -> sh[(a*2 + dy)*2 + dx]; along D:
  // -> out[(dz*2 + dy)*2 + dx].
  alignas(64) float sw[32][kT], sh[16][kT], out[8][kT];
  for (int ab = 0; ab < 16; ab++) {
    const float* m0 = m + ab * 4 * xiStride;
    outputAxis(m0, m0 + xiStride, m0 + 2 * xiStride, m0 + 3 * xiStride, sw[ab * 2], sw[ab * 2 + 1]);
  }
  for (int a = 0; a < 4; a++) {
    for (int dx = 0; dx < 2; dx++) outputAxis(sw[a * 8 + dx], sw[a * 8 + 2 + dx], sw[a * 8 + 4 + dx], sw[a * 8 + 6 + dx], sh[a * 4 + dx], sh[a * 4 + 2 + dx]);
  }
  for (int yx = 0; yx < 4; yx++) outputAxis(sh[yx], sh[4 + yx], sh[8 + yx], sh[12 + yx], out[yx], out[4 + yx]);
  for (int o = 0; o < 8; o++) {
    for (int64_t k = 0; k < kT; k++) {
      const float v = out[o][k] + bias;
      out[o][k] = (relu && v <= 0.0f) ? 0.0f : v;
    }
  }
  const int64_t oPlane = g.oh * g.ow;
  for (int64_t ri = 0; ri < nruns; ri++) {
    const WinogradRun& run = runs[ri];
    const int64_t nz = std::min<int64_t>(2, g.od - run.oz), ny = std::min<int64_t>(2, g.oh - run.oy);
    const int64_t nx = std::min(2 * run.len, g.ow - run.ox), pairs = nx / 2;
    for (int64_t dz = 0; dz < nz; dz++) {
      for (int64_t dy = 0; dy < ny; dy++) {
        float* row = yc + run.out + dz * oPlane + dy * g.ow;
        const float *c0 = out[(dz * 2 + dy) * 2] + run.j, *c1 = out[(dz * 2 + dy) * 2 + 1] + run.j;
        for (int64_t k = 0; k < pairs; k++) {
          row[2 * k] = c0[k];
          row[2 * k + 1] = c1[k];
        }
        if (nx % 2 != 0) row[nx - 1] = c0[pairs];
      }
    }
  }
}

const WinogradKernels kWinogradTable = {kMr, kNr, winogradWeights, winogradInput, winogradOutput};
