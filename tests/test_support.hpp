#pragma once
// Shared helpers for Hearth's tests: temporary folders, small fixture files, running
// the hearth binary, reading a GeoPackage back with plain OGR.

#include <filesystem>
#include <string>
#include <vector>

#include <ogr_geometry.h>

namespace hearth::test {

inline const std::filesystem::path kSourceDir = HEARTH_SOURCE_DIR;
inline const std::filesystem::path kSampleStudy = kSourceDir / "sample-data" / "high-road-west";
inline const std::filesystem::path kLayers = kSourceDir / "layers";
/// The hearth binary under test.
inline const std::string kBinary = HEARTH_BINARY;

/// A fresh folder under the system temp folder, removed with everything in it.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

void write_text(const std::filesystem::path& file, const std::string& text);
std::string read_text(const std::filesystem::path& file);

struct CommandResult {
    int exit_code;
    std::string out;
    std::string err;
};

/// Runs build/hearth with `args` (each shell-quoted) and captures both streams.
CommandResult run_hearth(const std::vector<std::string>& args);

/// `s` in single quotes for a shell command line.
std::string shell_quote(const std::string& s);

/// Runs a shell command, returning its exit code and stdout.
CommandResult run_shell(const std::string& command);

/// The sample study exported once and shared by every test that only reads it (each
/// test runs in its own process under ctest, so a per-suite export ran once a test).
/// Kept beside the binary and made again when the binary or the sample is newer.
/// Tests that change it work on a copy.
struct SampleExport {
    std::filesystem::path gpkg;
    CommandResult result;  ///< what `hearth export` printed and returned
};
const SampleExport& sample_export();

/// A geometry from WKT; std::invalid_argument naming the text when OGR cannot parse it.
OGRGeometryUniquePtr wkt(const std::string& text);

/// Every file below `folder`, for "no output left behind" checks.
std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder);

}  // namespace hearth::test
