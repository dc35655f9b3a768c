#include "hearth/export/atomic_output.hpp"

#include <array>
#include <cerrno>
#include <atomic>
#include <csignal>
#include <cstring>
#include <string>

#include <unistd.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/input_registry.hpp"

namespace hearth {

namespace {

// Temporaries being written, for the signal handler: fixed slots of plain bytes, since a
// handler may not allocate. A slot is claimed by a live AtomicOutput and freed by it.
constexpr std::size_t kSlots = 32;
constexpr std::size_t kPathBytes = 4096;
struct TemporarySlot {
    std::atomic<bool> used{false};
    char path[kPathBytes] = {};
    char journal[kPathBytes] = {};
};
std::array<TemporarySlot, kSlots> slots;

extern "C" void remove_temporaries_and_exit(int signal) {
    for (auto& slot : slots)
        if (slot.used.load()) {
            ::unlink(slot.path);
            ::unlink(slot.journal);
        }
    ::_exit(128 + signal);  // 130 for SIGINT, 143 for SIGTERM, as shells report them
}

int claim_slot(const std::filesystem::path& temporary) {
    const std::string path = temporary.string(), journal = path + "-journal";
    if (journal.size() >= kPathBytes) return -1;
    for (std::size_t i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (!slots[i].used.load() && slots[i].used.compare_exchange_strong(expected, true)) {
            // Marked used before the bytes are whole: unlink of a half-written name fails harmlessly.
            std::memcpy(slots[i].journal, journal.c_str(), journal.size() + 1);
            std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
            return static_cast<int>(i);
        }
    }
    return -1;
}

void release_slot(int slot) {
    if (slot >= 0) slots[static_cast<std::size_t>(slot)].used.store(false);
}

/// Removes ".<stem>.partial-<pid><ext>" files (and SQLite side files) beside `target`
/// left by runs that no longer exist: killed with SIGKILL, or the machine stopped.
void sweep_stale_temporaries(const std::filesystem::path& target) {
    std::error_code ec;
    const auto folder = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
    const std::string prefix = "." + target.stem().string() + ".partial-";
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string rest = name.substr(prefix.size());
        const std::size_t digits = rest.find_first_not_of("0123456789");
        if (digits == 0 || digits == std::string::npos) continue;
        const long pid = std::stol(rest.substr(0, digits));
        if (pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        std::filesystem::remove(entry.path(), ec);
    }
}

}  // namespace

void handle_stop_signals() {
    static const bool installed = [] {
        struct sigaction action {};
        action.sa_handler = remove_temporaries_and_exit;
        sigemptyset(&action.sa_mask);
        for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
        return true;
    }();
    (void)installed;
}


AtomicOutput::AtomicOutput(std::filesystem::path target) : target_(std::move(target)) {
    refuse_input_as_output(target_);
    std::error_code ec;
    const auto folder = target_.parent_path();
    if (!folder.empty() && !std::filesystem::exists(folder, ec)) {
        std::filesystem::create_directories(folder, ec);
        if (ec) throw OutputError(target_.string() + ": cannot create folder " + folder.string() + ": " + ec.message());
    }
    if (std::filesystem::is_directory(target_, ec)) throw OutputError(target_.string() + ": is a folder, not a file");
    // Same folder as the target so the rename is atomic; the extension is kept so GDAL
    // picks the right driver for the temporary file.
    temporary_ = target_;
    temporary_.replace_filename("." + target_.stem().string() + ".partial-" + std::to_string(::getpid()) +
                                target_.extension().string());
    sweep_stale_temporaries(target_);
    std::filesystem::remove(temporary_, ec);
    handle_stop_signals();
    slot_ = claim_slot(std::filesystem::absolute(temporary_, ec));
}

AtomicOutput::~AtomicOutput() {
    release_slot(slot_);
    if (committed_) return;
    std::error_code ec;
    std::filesystem::remove(temporary_, ec);
    // SQLite side files, should a failure have left any.
    for (const char* suffix : {"-journal", "-wal", "-shm"}) std::filesystem::remove(temporary_.string() + suffix, ec);
}

void AtomicOutput::commit() {
    refuse_input_as_output(target_);  // an input opened after the output was begun
    std::error_code ec;
    std::filesystem::rename(temporary_, target_, ec);
    if (ec) throw OutputError(target_.string() + ": cannot move the finished file into place: " + ec.message());
    committed_ = true;
    release_slot(slot_);
    slot_ = -1;
}

}  // namespace hearth
