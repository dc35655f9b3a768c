#include "hearth/analysis/pockets/pockets_config.hpp"

#include "hearth/core/errors.hpp"

namespace hearth {

namespace {

PocketsConfig parse_pockets(const std::filesystem::path& file, const YAML::Node& node, const Study& study) {
    if (!node.IsMap()) study_error(file, node, "'pockets' must be a mapping");
    reject_unknown_keys(file, node, {"areas", "within", "health", "housing", "higher_is_better", "decile_scope"});
    PocketsConfig c;
    const YAML::Node areas = node["areas"];
    if (!areas || !areas.IsMap()) study_error(file, node, "pockets needs 'areas: {layer, id, indicator, ...}'");
    reject_unknown_keys(file, areas, {"layer", "id", "name", "indicator", "decile", "population"});
    c.areas_layer = study_layer_named(study, areas, "layer");
    c.area_id = study_text(file, areas, "id", true);
    c.area_name = study_text(file, areas, "name", false);
    if (node["higher_is_better"]) c.higher_is_better = node["higher_is_better"].as<bool>();
    c.decile_scope = study_text(file, node, "decile_scope", false);
    if (!c.decile_scope.empty() && c.decile_scope != "national" && c.decile_scope != "study")
        study_error(file, node["decile_scope"], "decile_scope '" + c.decile_scope + "' is not one of national, study");
    c.indicator = study_text(file, areas, "indicator", true);
    c.decile = study_text(file, areas, "decile", false);
    c.population = study_text(file, areas, "population", false);
    if (const YAML::Node within = node["within"]) {
        reject_unknown_keys(file, within, {"layer", "id", "name"});
        c.within_layer = study_layer_named(study, within, "layer");
        c.within_id = study_text(file, within, "id", true);
        c.within_name = study_text(file, within, "name", false);
    }
    if (const YAML::Node health = node["health"]) c.health = health.as<std::vector<std::string>>();
    if (const YAML::Node housing = node["housing"]) {
        reject_unknown_keys(file, housing, {"layer", "homes", "tenure", "landlord", "epc", "cat1"});
        c.housing_layer = study_layer_named(study, housing, "layer");
        c.homes = study_text(file, housing, "homes", false);
        c.tenure = study_text(file, housing, "tenure", false);
        c.landlord = study_text(file, housing, "landlord", false);
        c.epc = study_text(file, housing, "epc", false);
        c.cat1 = study_text(file, housing, "cat1", false);
    }
    return c;
}

}  // namespace

PocketsConfig pockets_config(const Study& study) {
    const YAML::Node* node = study.section("pockets");
    if (!node) throw InputError({study.file.string(), {}, {}, {}}, "the study has no 'pockets:' section");
    return parse_study_section(study.file, [&] { return parse_pockets(study.file, *node, study); });
}

}  // namespace hearth
