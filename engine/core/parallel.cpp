#include "hearth/core/parallel.hpp"

#include <algorithm>
#include <mutex>

namespace hearth {

unsigned worker_count(int requested) {
    if (requested > 0) return static_cast<unsigned>(requested);
    return std::max(1u, std::thread::hardware_concurrency());
}

void parallel_blocks(std::size_t n, unsigned workers,
                     const std::function<void(std::size_t, std::size_t, unsigned)>& block) {
    workers = std::max(1u, std::min<unsigned>(workers, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
    if (workers == 1) {
        block(0, n, 0);
        return;
    }
    std::vector<std::thread> threads;
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const std::size_t step = (n + workers - 1) / workers;
    for (unsigned w = 0; w < workers; ++w) {
        const std::size_t begin = std::min(n, w * step), end = std::min(n, begin + step);
        threads.emplace_back([&, begin, end, w] {
            try {
                block(begin, end, w);
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
            }
        });
    }
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace hearth
