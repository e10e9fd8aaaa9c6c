// MR x NR of each level's outer micro-kernel (isa-*.cc), in one place for the code that packs
// panels for it outside the GEMM driver (winograd-*.cc).
#pragma once

namespace csfnet {

struct OuterTile {
  int mr, nr;
};

constexpr OuterTile kOuterTileAvx512{8, 32};
constexpr OuterTile kOuterTileAvx2{6, 16};
constexpr OuterTile kOuterTilePortable{4, 8};

}  // namespace csfnet
