// The row primitives (row-kernels-impl.h) for the build's baseline instructions (16-byte vectors:
// SSE2 on x86-64), and the choice of table by the active level.
#include "row-kernels.h"

#include <cstdint>

#include "isa.h"

namespace csfnet {
namespace {

constexpr int kVecBytes = 16;

#include "row-kernels-impl.h"

}  // namespace

const RowKernels kRowsPortable = kRowTable;

const RowKernels& rowKernels() {
  const IsaKernels* active = &isa();
  if (active == kAvx512Kernels && kRowsAvx512 != nullptr) return *kRowsAvx512;
  if (active == kAvx2Kernels && kRowsAvx2 != nullptr) return *kRowsAvx2;
  return kRowsPortable;
}

}  // namespace csfnet
