// Thread pool: workers spin briefly for the next job, then sleep on a condition variable; they take
// task numbers from an atomic counter, and the caller joins in, then waits only for the workers
// still inside the job (not for one that has yet to wake).
#include "thread-pool.h"

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace csfnet {
namespace {

thread_local int tIndex = 0;
thread_local bool tInside = false;

/** Runs every task on the calling thread, marked as inside a job so nested parallelFor stays here. */
void runHere(int64_t tasks, const std::function<void(int64_t)>& fn) {
  struct Restore {
    bool was;
    ~Restore() { tInside = was; }
  } restore{tInside};
  tInside = true;
  for (int64_t t = 0; t < tasks; t++) fn(t);
}

class Pool {
 public:
  ~Pool() { stop(); }

  void resize(int threads) {
    if (threads < 1) threads = 1;
    if (threads == size_) return;
    stop();
    size_ = threads;
    quit_ = false;
    for (int i = 1; i < threads; i++) workers_.emplace_back([this, i] { loop(i); });
  }

  int size() const { return size_; }

  void run(int64_t tasks, const std::function<void(int64_t)>& fn) {
    if (tasks <= 0) return;
    if (size_ == 1 || tasks == 1 || tInside) return runHere(tasks, fn);
    fn_ = &fn;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_.store(true);
      generation_.fetch_add(1);
    }
    wake_.notify_all();
    tInside = true;
    work();
    tInside = false;
    // Every task is taken. Close the job, then wait only for workers inside it: a worker that
    // wakes later sees it closed and leaves, so a descheduled worker never holds the caller up.
    open_.store(false);
    for (int spin = 0; inFlight_.load() != 0; spin++) {
      if (spin < kSpins) {
        relax();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return inFlight_.load() == 0; });
    }
    fn_ = nullptr;
    if (error_) {
      std::exception_ptr e = error_;
      error_ = nullptr;
      std::rethrow_exception(e);
    }
  }

 private:
  /** Iterations of the spin-waits (a pause each, some tens of microseconds in all) before sleeping. */
  static constexpr int kSpins = 4000;

  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  /** Runs tasks until none are left; the first exception is kept for the caller (the rest of the tasks are skipped). */
  void work() {
    for (;;) {
      const int64_t t = next_.fetch_add(1, std::memory_order_relaxed);
      if (t >= tasks_) break;
      try {
        (*fn_)(t);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex_);
        if (!error_) error_ = std::current_exception();
        next_.store(tasks_);
      }
    }
  }

  void loop(int index) {
    tIndex = index;
    uint64_t seen = generation_.load();
    for (;;) {
      // Spin a little for the next job (kernels come back to back), then sleep.
      for (int spin = 0; spin < kSpins && generation_.load(std::memory_order_acquire) == seen && !quit_.load(std::memory_order_relaxed); spin++) relax();
      if (generation_.load() == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return quit_.load() || generation_.load() != seen; });
      }
      if (quit_.load()) return;
      seen = generation_.load();
      // Join, then check that a job is still open: with the caller's close-then-wait this
      // sequentially consistent pair means the caller either waits for this worker or this
      // worker sees the job closed and touches none of it.
      inFlight_.fetch_add(1);
      if (open_.load()) {
        tInside = true;
        work();
        tInside = false;
      }
      if (inFlight_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_one();
      }
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_.store(true);
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
    workers_.clear();
    size_ = 1;
  }

  int size_ = 1;
  std::atomic<bool> quit_{false};
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> open_{false};
  std::atomic<int> inFlight_{0};
  const std::function<void(int64_t)>* fn_ = nullptr;
  int64_t tasks_ = 0;
  std::atomic<int64_t> next_{0};
  std::mutex mutex_;
  std::mutex errorMutex_;
  std::exception_ptr error_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: workers must not be joined during static teardown
  return *p;
}

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};

struct Scratch {
  std::unique_ptr<float, FreeDeleter> data;
  int64_t floats = 0;
};

thread_local Scratch tScratch[4];

}  // namespace

void parallelFor(int64_t tasks, const std::function<void(int64_t)>& fn) { pool().run(tasks, fn); }

void parallelFor(int64_t tasks, int64_t work, const std::function<void(int64_t)>& fn) {
  if (work < kSerialWork) return runHere(tasks, fn);
  pool().run(tasks, fn);
}

void setThreadCount(int threads) { pool().resize(threads); }

int threadCount() { return pool().size(); }

int threadIndex() { return tIndex; }

float* threadScratch(int slot, int64_t floats) {
  Scratch& s = tScratch[slot];
  if (s.floats < floats) {
    const size_t bytes = (static_cast<size_t>(floats) * sizeof(float) + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, bytes);
    if (p == nullptr) throw std::bad_alloc();
    s.data.reset(static_cast<float*>(p));
    s.floats = floats;
  }
  return s.data.get();
}

}  // namespace csfnet
