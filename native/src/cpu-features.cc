// CPU feature checks through the compiler's cpuid support (__builtin_cpu_supports also checks that
// the OS saves the wide registers, via XGETBV), and the active micro-kernel table.
#include "cpu-features.h"

#include "isa.h"

namespace csfnet {
namespace {

bool cpuHas(const char* feature) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  const std::string f(feature);
  if (f == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (f == "avx512") return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  (void)feature;
#endif
  return false;
}

const IsaKernels* bestTable() {
  if (kAvx512Kernels != nullptr && cpuHas("avx512")) return kAvx512Kernels;
  if (kAvx2Kernels != nullptr && cpuHas("avx2")) return kAvx2Kernels;
  return &kPortableKernels;
}

const IsaKernels* active = nullptr;

}  // namespace

const IsaKernels& isa() {
  if (active == nullptr) active = bestTable();
  return *active;
}

bool hasAvx2Fma() { return kAvx2Kernels != nullptr && cpuHas("avx2"); }

std::vector<std::string> availableIsas() {
  std::vector<std::string> out;
  if (kAvx512Kernels != nullptr && cpuHas("avx512")) out.push_back("avx512");
  if (hasAvx2Fma()) out.push_back("avx2");
  out.push_back("portable");
  return out;
}

bool selectIsa(const std::string& name) {
  for (const std::string& level : availableIsas()) {
    if (level != name) continue;
    if (name == "avx512") active = kAvx512Kernels;
    else if (name == "avx2") active = kAvx2Kernels;
    else active = &kPortableKernels;
    return true;
  }
  return false;
}

std::string currentIsa() { return isa().name; }

}  // namespace csfnet
