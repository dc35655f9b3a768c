#pragma once
// Shared by the libFuzzer targets: the fuzzer's bytes as a file, and the one rule every
// target checks: Hearth's own errors (InputError, UsageError, OutputError) are answers;
// anything else that escapes (an internal error, a crash, a sanitizer report) is a bug.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <gdal_priv.h>

#include "hearth/core/errors.hpp"

namespace hearth::fuzz {

/// A file in a per-process folder holding exactly `data`.
inline std::filesystem::path write_input(const std::string& name, const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path folder = [] {
        auto f = std::filesystem::temp_directory_path() / ("hearth-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(f);
        return f;
    }();
    const auto file = folder / name;
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return file;
}

inline void setup_gdal() {
    static const bool once = [] {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
        return true;
    }();
    (void)once;
}

/// Runs `body`; Hearth's own errors are expected answers to bad input.
template <typename Body>
int expect_answer(Body body) {
    try {
        body();
    } catch (const InputError&) {
    } catch (const UsageError&) {
    } catch (const OutputError&) {
    }
    return 0;
}

}  // namespace hearth::fuzz
