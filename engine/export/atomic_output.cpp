#include "hearth/export/atomic_output.hpp"

#include <unistd.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/input_registry.hpp"

namespace hearth {

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
    std::filesystem::remove(temporary_, ec);
}

AtomicOutput::~AtomicOutput() {
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
}

}  // namespace hearth
