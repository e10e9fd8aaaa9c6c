// A persistent thread pool: threads-1 workers plus the calling thread share each parallel loop.
// Tasks are numbered; each task's work must not depend on which thread runs it, so results do not
// depend on scheduling (every kernel partitions its work into tasks by problem size alone).
#pragma once
#include <cstdint>
#include <functional>

namespace csfnet {

/** Runs fn(0..tasks-1) on the pool and returns when all are done. Nested calls run serially. */
void parallelFor(int64_t tasks, const std::function<void(int64_t)>& fn);

/** Below this much work (about float operations) a loop runs on the calling thread alone. */
constexpr int64_t kSerialWork = 32768;

/**
 * parallelFor for a loop of `work` operations in all: under kSerialWork (a few microseconds, less
 * than waking a worker costs) the tasks run on the calling thread, in order. The tasks, and so every
 * result, are the same either way.
 */
void parallelFor(int64_t tasks, int64_t work, const std::function<void(int64_t)>& fn);
/** Sets the number of threads (callers included); 1 means no workers. */
void setThreadCount(int threads);
int threadCount();
/** Index of the calling thread within the pool (0 = caller), for per-thread scratch. */
int threadIndex();

/** A 64-byte aligned float buffer owned by the calling thread, grown on demand and kept. */
float* threadScratch(int slot, int64_t floats);

}  // namespace csfnet
