// Workspaces: one grow-only buffer per slot (std::aligned_alloc, freed on growth or release).
#include "workspace.h"

#include <cstdlib>
#include <new>

namespace csfnet {
namespace {

constexpr int kSlots = 4;
float* buffers[kSlots] = {};
int64_t sizes[kSlots] = {};

}  // namespace

float* workspace(Workspace slot, int64_t floats) {
  const int s = static_cast<int>(slot);
  if (sizes[s] < floats) {
    std::free(buffers[s]);
    buffers[s] = nullptr;
    sizes[s] = 0;
    const size_t bytes = (static_cast<size_t>(floats) * sizeof(float) + 4095) / 4096 * 4096;
    void* p = std::aligned_alloc(4096, bytes);
    if (p == nullptr) throw std::bad_alloc();
    buffers[s] = static_cast<float*>(p);
    sizes[s] = static_cast<int64_t>(bytes / sizeof(float));
  }
  return buffers[s];
}

int64_t releaseWorkspaces() {
  const int64_t bytes = workspaceBytes();
  for (int s = 0; s < kSlots; s++) {
    std::free(buffers[s]);
    buffers[s] = nullptr;
    sizes[s] = 0;
  }
  return bytes;
}

void trimWorkspaces(int64_t keepBytes) {
  for (int s = 0; s < kSlots; s++) {
    if (sizes[s] * static_cast<int64_t>(sizeof(float)) > keepBytes) {
      std::free(buffers[s]);
      buffers[s] = nullptr;
      sizes[s] = 0;
    }
  }
}

int64_t workspaceBytes() {
  int64_t total = 0;
  for (int s = 0; s < kSlots; s++) total += sizes[s] * static_cast<int64_t>(sizeof(float));
  return total;
}

}  // namespace csfnet
