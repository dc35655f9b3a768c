#pragma once
// A YAML file a user wrote (a study or a recipe), read whole, recorded as an input of
// the run; errors name the file and the line.

#include <filesystem>
#include <string>

#include <yaml-cpp/yaml.h>

namespace hearth {

/// InputError for a missing, non-regular or unreadable file ("cannot read the <what>")
/// or YAML that does not parse ("line N: not valid YAML: ...").
YAML::Node load_yaml_file(const std::filesystem::path& file, const std::string& what);

/// InputError "FILE: line N: what" at `node` (no line when the node has none).
[[noreturn]] void yaml_error(const std::filesystem::path& file, const YAML::Node& node, const std::string& what);

/// The scalar at `key` of `node`: "" when absent and not required; an error naming the
/// line when missing but required, or when not a single value.
std::string yaml_scalar(const std::filesystem::path& file, const YAML::Node& node, const std::string& key,
                        bool required);

}  // namespace hearth
