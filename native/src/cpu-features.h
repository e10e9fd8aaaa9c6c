// Run-time CPU feature detection and instruction-set selection.
#pragma once
#include <string>
#include <vector>

namespace csfnet {

/** ISA levels this CPU (and OS) can run with this build, best first: "avx512", "avx2", "portable". */
std::vector<std::string> availableIsas();
/** Selects the micro-kernels by name; returns false when that level is unavailable. */
bool selectIsa(const std::string& name);
/** Name of the level in use. */
std::string currentIsa();
/** True when the CPU and OS support AVX2 and FMA (the minimum for the native backend). */
bool hasAvx2Fma();

}  // namespace csfnet
