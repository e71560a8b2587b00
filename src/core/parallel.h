// Runs the items of a job (pages, mostly) on a few threads. Each thread first makes its own
// worker (its own document handle, Tesseract instance, decoder) with make_worker(thread), then
// claims the next item from a shared counter until none are left, so a slow item does not hold
// back the others. The calling thread waits and calls progress(done, total) every tick and when
// items finish; progress returning false stops the work (items not yet started are skipped).
// The first exception of a worker or of progress stops the others and is rethrown once every
// thread has joined. A worker is destroyed on its own thread when it runs out of items.
#pragma once

#include <cstddef>
#include <functional>

namespace paperd::core {

using ItemFn = std::function<void(size_t item)>;
using ProgressFn = std::function<bool(size_t done, size_t total)>;

// Returns how many items were done (count unless progress stopped the work). threads is clamped
// to 1..count; with count 0 nothing starts. After a full run progress is called once more with
// (count, count).
size_t parallel_for(size_t count, int threads, const std::function<ItemFn(int thread)>& make_worker,
                    const ProgressFn& progress = {}, int tick_ms = 250);

}  // namespace paperd::core
