// Call-level scratch memory, reused across kernel calls so that big packing buffers are not
// re-faulted in by the OS on every call (fresh mmap'd pages cost about as much as the packing).
// Only the thread that calls into the addon uses these (outside parallel regions).
#pragma once
#include <cstdint>

namespace csfnet {

enum class Workspace { PackedA = 0, PackedB = 1, Columns = 2, Rows = 3 };

/** A 64-byte aligned buffer of at least `floats` floats for `slot`; valid until the next call for that slot. */
float* workspace(Workspace slot, int64_t floats);

/** Frees every workspace (e.g. after a benchmark) and returns the bytes released. */
int64_t releaseWorkspaces();

/** Bytes currently held by the workspaces. */
int64_t workspaceBytes();

}  // namespace csfnet
