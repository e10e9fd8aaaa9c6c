// The Winograd transforms (winograd-kernels-impl.h) for the build's baseline instructions (SSE2 on
// x86-64), and the choice of table by the active level.
#include <algorithm>
#include <cstdint>

#include "isa.h"
#include "outer-tile.h"
#include "winograd-kernels.h"

namespace csfnet {
namespace {

constexpr int64_t kMr = kOuterTilePortable.mr;
constexpr int64_t kNr = kOuterTilePortable.nr;

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
