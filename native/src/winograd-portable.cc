// The Winograd transforms (winograd-kernels-impl.h) for the build's baseline instructions (SSE2 on
// x86-64), and the choice of table by the active level.
#include <algorithm>
#include <cstdint>

#include "isa.h"
#include "winograd-kernels.h"

namespace csfnet {
namespace {

// MR and NR of this level's outer micro-kernel (isa-*.cc).
constexpr int64_t kMr = 4;
constexpr int64_t kNr = 8;

#include "winograd-kernels-impl.h"

}  // namespace

const WinogradKernels kWinogradPortable = kWinogradTable;

const WinogradKernels& winogradKernels() {
  const IsaKernels* active = &isa();
  if (active == kAvx512Kernels && kWinogradAvx512 != nullptr) return *kWinogradAvx512;
  if (active == kAvx2Kernels && kWinogradAvx2 != nullptr) return *kWinogradAvx2;
  return kWinogradPortable;
}

}  // namespace csfnet
