#include "test_support.hpp"

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <sys/wait.h>

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

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

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
