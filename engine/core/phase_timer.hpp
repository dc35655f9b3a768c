#pragma once
// Wall-clock time of a phase of a command, printed to stderr when HEARTH_PROFILE is
// set, so benchmarks can say where the time goes without a profiler.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace hearth {

class PhaseTimer {
public:
    explicit PhaseTimer(std::string phase)
        : phase_(std::move(phase)), enabled_(std::getenv("HEARTH_PROFILE") != nullptr),
          start_(std::chrono::steady_clock::now()) {}
    ~PhaseTimer() {
        if (!enabled_) return;
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
        std::fprintf(stderr, "profile: %-28s %8.3f s\n", phase_.c_str(), elapsed.count());
    }
    PhaseTimer(const PhaseTimer&) = delete;
    PhaseTimer& operator=(const PhaseTimer&) = delete;
    PhaseTimer(PhaseTimer&&) = delete;
    PhaseTimer& operator=(PhaseTimer&&) = delete;

private:
    std::string phase_;
    bool enabled_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace hearth
