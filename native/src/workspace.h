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

/**
 * Frees the workspaces larger than `keepBytes`, so one very large layer (CSF-Net's 1024->512
 * temporal-fusion conv packs 56 MB of weights) does not hold its buffers while the activations of
 * the rest of the network peak. Called at the end of every kernel entry point.
 */
void trimWorkspaces(int64_t keepBytes = int64_t(16) << 20);

/** Bytes currently held by the workspaces. */
int64_t workspaceBytes();

}  // namespace csfnet
