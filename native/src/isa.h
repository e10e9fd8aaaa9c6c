// Micro-kernel tables, one per instruction-set level (portable, AVX2+FMA, AVX-512), chosen at run
// time by cpu-features.cc. The blocked GEMM drivers (gemm-outer.cc, gemm-dot.cc) only see a table.
#pragma once
#include <cstdint>

namespace csfnet {

struct IsaKernels {
  const char* name;
  // Outer-product form: C[MR x NR] (=|+=) sum_k Ap[k*MR + i] * Bp[k*NR + j]; Ap and Bp packed.
  int outerMr;
  int outerNr;
  void (*outer)(int64_t kc, const float* ap, const float* bp, float* c, int64_t ldc, bool accumulate);
  // Dot form: C[i*ldc + j] += sum_k A[i*lda + k] * B[j*ldb + k] for i < dotMr, j < dotNr; kc is a
  // multiple of kDotAlign (the packers pad rows with zeros).
  int dotMr;
  int dotNr;
  void (*dot)(int64_t kc, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc);
  // dst[0..len) = src[0..len), or zeros when src is null: the short runs of im2col packing, where
  // a library memcpy/memset call costs more than the copy.
  void (*copy)(float* dst, const float* src, int64_t len);
  // Indirect outer form (no packed B): B row k is two half-panels of NR/2 floats read from
  // x + offLo[k] and x + offHi[k] under lane masks (bits 0..NR/2-1 of masks[k] for the low half,
  // the next NR/2 bits for the high half; masked lanes read as zero and are never touched, so
  // offsets of fully masked halves are irrelevant). Null where unsupported (portable).
  void (*outerIndirect)(int64_t kc, const float* ap, const float* x, const int64_t* offLo, const int64_t* offHi, const uint32_t* masks, float* c, int64_t ldc, bool accumulate);
};

/** Row padding of dot-form packs: every ISA's vector width divides it. */
constexpr int64_t kDotAlign = 16;

extern const IsaKernels kPortableKernels;
// Null on builds without x86-64 support for them.
extern const IsaKernels* const kAvx2Kernels;
extern const IsaKernels* const kAvx512Kernels;

/** The table in use (set by selectIsa). */
const IsaKernels& isa();

}  // namespace csfnet
