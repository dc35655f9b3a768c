#include "hearth/io/yaml_file.hpp"

#include "hearth/core/errors.hpp"
#include "hearth/core/input_registry.hpp"

namespace hearth {

YAML::Node load_yaml_file(const std::filesystem::path& file, const std::string& what) {
    require_readable_file(file);
    try {
        YAML::Node root = YAML::LoadFile(file.string());
        note_input_file(file);
        return root;
    } catch (const YAML::BadFile&) {
        throw InputError({file.string(), {}, {}, {}}, "cannot read the " + what);
    } catch (const YAML::Exception& e) {
        throw InputError({file.string(), {}, {}, {}}, "line " + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
    }
}

void yaml_error(const std::filesystem::path& file, const YAML::Node& node, const std::string& what) {
    const auto mark = node.Mark();
    throw InputError({file.string(), {}, {}, {}},
                     (mark.is_null() ? "" : "line " + std::to_string(mark.line + 1) + ": ") + what);
}

std::string yaml_scalar(const std::filesystem::path& file, const YAML::Node& node, const std::string& key,
                        bool required) {
    const YAML::Node v = node[key];
    if (!v) {
        if (required) yaml_error(file, node, "missing '" + key + "'");
        return {};
    }
    if (!v.IsScalar()) yaml_error(file, v, "'" + key + "' must be a single value");
    return v.as<std::string>();
}

}  // namespace hearth
