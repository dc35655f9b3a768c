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
