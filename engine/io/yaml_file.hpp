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

}  // namespace hearth
