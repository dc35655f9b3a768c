#include "test_support.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

namespace hearth::test {

TempDir::TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("hearth-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void write_text(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

namespace {

}  // namespace

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

CommandResult run_shell(const std::string& command) {
    TempDir tmp;
    const auto err_file = tmp / "stderr";
    const std::string full = command + " 2>" + shell_quote(err_file.string());
    FILE* pipe = ::popen(full.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::string out;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, read_text(err_file)};
}

CommandResult run_hearth(const std::vector<std::string>& args) {
    std::string command = shell_quote(HEARTH_BINARY) + " --layers " + shell_quote(kLayers.string());
    for (const auto& a : args) command += " " + shell_quote(a);
    return run_shell(command);
}

namespace {

std::filesystem::file_time_type newest_input() {
    auto newest = std::filesystem::last_write_time(HEARTH_BINARY);
    for (const auto& e : std::filesystem::recursive_directory_iterator(kSampleStudy))
        newest = std::max(newest, e.last_write_time());
    for (const auto& e : std::filesystem::directory_iterator(kLayers)) newest = std::max(newest, e.last_write_time());
    return newest;
}

}  // namespace

const SampleExport& sample_export() {
    static const SampleExport shared = [] {
        namespace fs = std::filesystem;
        const fs::path folder = fs::path(HEARTH_BINARY).parent_path() / "test-sample-export";
        SampleExport s{folder / "hrw.gpkg", {}};
        const fs::path out = folder / "hrw.stdout", err = folder / "hrw.stderr", code = folder / "hrw.exit";
        std::error_code ec;
        const bool fresh = fs::exists(code, ec) && fs::exists(s.gpkg, ec) &&
                           fs::last_write_time(code, ec) >= newest_input();
        if (!fresh) {
            // Several test processes may get here at once: each writes its own files and
            // renames them into place, the exit code last, so a reader sees a whole set.
            fs::create_directories(folder);
            const std::string tag = ".tmp-" + std::to_string(::getpid());
            const fs::path gpkg_tmp = folder / ("hrw" + tag + ".gpkg");
            const CommandResult r = run_hearth({"export", "--study", (kSampleStudy / "study.yaml").string(), "--out",
                                                gpkg_tmp.string()});
            write_text(folder / ("hrw.stdout" + tag), r.out);
            write_text(folder / ("hrw.stderr" + tag), r.err);
            write_text(folder / ("hrw.exit" + tag), std::to_string(r.exit_code));
            if (r.exit_code == 0) fs::rename(gpkg_tmp, s.gpkg);
            fs::rename(folder / ("hrw.stdout" + tag), out);
            fs::rename(folder / ("hrw.stderr" + tag), err);
            fs::rename(folder / ("hrw.exit" + tag), code);
        }
        s.result = {std::stoi(read_text(code)), read_text(out), read_text(err)};
        return s;
    }();
    return shared;
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(folder))
        if (e.is_regular_file()) out.push_back(e.path());
    return out;
}

}  // namespace hearth::test

#include <cpl_error.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>

namespace {

// GDAL drivers registered once for every test, its chatter silenced as the CLI does.
class GdalEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        GDALAllRegister();
        CPLSetErrorHandler(CPLQuietErrorHandler);
    }
};

[[maybe_unused]] auto* const kGdal = ::testing::AddGlobalTestEnvironment(new GdalEnvironment);

}  // namespace

namespace hearth::test {

OGRGeometryUniquePtr wkt(const std::string& text) {
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkt(text.c_str(), nullptr, &g) != OGRERR_NONE || !g)
        throw std::invalid_argument("not WKT: " + text);
    return OGRGeometryUniquePtr(g);
}

}  // namespace hearth::test
