#pragma once
// Splits [0, n) into one contiguous block per worker and runs them on std::threads.
// Exceptions thrown by a worker are re-thrown on the calling thread.

#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace hearth {

/// Workers to use: `requested` if positive, else the machine's hardware threads.
unsigned worker_count(int requested = 0);

/// Calls block(begin, end, worker) for each worker's block; waits for all.
void parallel_blocks(std::size_t n, unsigned workers,
                     const std::function<void(std::size_t begin, std::size_t end, unsigned worker)>& block);

}  // namespace hearth
