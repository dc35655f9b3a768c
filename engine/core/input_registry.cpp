#include "hearth/core/input_registry.hpp"

#include <mutex>
#include <vector>

#include "hearth/core/errors.hpp"

namespace hearth {

namespace {

std::mutex inputs_mutex;
std::vector<std::filesystem::path>& inputs() {
    static std::vector<std::filesystem::path> files;
    return files;
}

}  // namespace

void note_input_file(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return;  // connection strings, /vsi paths
    const std::lock_guard lock(inputs_mutex);
    inputs().push_back(std::filesystem::absolute(file, ec));
}

void require_readable_file(const std::filesystem::path& path, bool folder_allowed) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || status.type() == std::filesystem::file_type::not_found)
        throw InputError({path.string(), {}, {}, {}}, "file not found");
    if (status.type() == std::filesystem::file_type::directory && !folder_allowed)
        throw InputError({path.string(), {}, {}, {}}, "is a folder; give the file itself");
    if (status.type() != std::filesystem::file_type::regular && status.type() != std::filesystem::file_type::directory)
        throw InputError({path.string(), {}, {}, {}}, "is not a regular file (a pipe or a device?); give a file");
}

void refuse_input_as_output(const std::filesystem::path& target) {
    std::error_code ec;
    if (!std::filesystem::exists(target, ec)) return;
    const std::lock_guard lock(inputs_mutex);
    for (const auto& input : inputs())
        if (std::filesystem::equivalent(input, target, ec))  // same inode: ./x, ../dir/x, hard links
            throw OutputError(target.string() + ": is an input of this run (" + input.string() +
                              "); refusing to overwrite it: choose another output");
}

}  // namespace hearth
