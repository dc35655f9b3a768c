#include "hearth/analysis/access/access_config.hpp"

#include "hearth/core/errors.hpp"

namespace hearth {

namespace {

AccessConfig parse_access(const std::filesystem::path& file, const YAML::Node& node, const Study& study) {
    if (!node.IsMap()) study_error(file, node, "'access' must be a mapping");
    reject_unknown_keys(file, node, {"homes", "areas", "greenspace", "transport", "gp_practices"});
    AccessConfig c;
    const YAML::Node homes = node["homes"];
    if (!homes || !homes.IsMap()) study_error(file, node, "access needs 'homes: {layer: ..., id: ..., weight: ...}'");
    reject_unknown_keys(file, homes, {"layer", "id", "weight"});
    c.homes_layer = study_layer_named(study, homes, "layer");
    c.homes_id = study_text(file, homes, "id", false);
    c.homes_weight = study_text(file, homes, "weight", false);
    for (const auto& a : node["areas"]) {
        reject_unknown_keys(file, a, {"layer", "id", "population", "name"});
        c.areas.push_back({study_layer_named(study, a, "layer"), study_text(file, a, "id", true), study_text(file, a, "population", false),
                           study_text(file, a, "name", false)});
    }
    if (const YAML::Node g = node["greenspace"]) {
        reject_unknown_keys(file, g, {"sites", "id", "function", "access_points", "access_key", "accessible_functions"});
        c.greenspace_layer = study_layer_named(study, g, "sites");
        if (g["id"]) c.greenspace_id = study_text(file, g, "id", true);
        if (g["function"]) c.greenspace_function = study_text(file, g, "function", true);
        if (g["access_points"]) c.access_points_layer = study_layer_named(study, g, "access_points");
        if (g["access_key"]) c.access_key = study_text(file, g, "access_key", true);
        if (g["accessible_functions"]) c.accessible_functions = g["accessible_functions"].as<std::vector<std::string>>();
    }
    if (const YAML::Node t = node["transport"]) {
        reject_unknown_keys(file, t, {"stops", "frequencies"});
        for (const auto& s : t["stops"]) {
            reject_unknown_keys(file, s, {"layer", "id", "mode"});
            c.stops.push_back({study_layer_named(study, s, "layer"), study_text(file, s, "id", true), study_text(file, s, "mode", false)});
        }
        if (c.stops.empty()) study_error(file, t, "transport needs 'stops'");
        c.frequencies_layer = study_layer_named(study, t, "frequencies");
    }
    if (const YAML::Node gp = node["gp_practices"]) {
        reject_unknown_keys(file, gp, {"layer", "id", "patients"});
        c.gp_layer = study_layer_named(study, gp, "layer");
        c.gp_id = study_text(file, gp, "id", false);
        c.gp_patients = study_text(file, gp, "patients", false);
    }
    return c;
}

}  // namespace

AccessConfig access_config(const Study& study) {
    const YAML::Node* node = study.section("access");
    if (!node)
        throw InputError({study.file.string(), {}, {}, {}},
                         "the study has no 'access:' section naming homes, areas, green space, stops and GPs");
    return parse_study_section(study.file, [&] { return parse_access(study.file, *node, study); });
}

}  // namespace hearth
