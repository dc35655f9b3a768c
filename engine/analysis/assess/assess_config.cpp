#include "hearth/analysis/assess/assess_config.hpp"

#include "hearth/core/errors.hpp"

namespace hearth {

namespace {

std::string text_or(const std::filesystem::path& file, const YAML::Node& node, const std::string& key,
                    const std::string& fallback) {
    const std::string v = study_text(file, node, key, false);
    return v.empty() ? fallback : v;
}

AssessConfig parse_assess(const std::filesystem::path& file, const YAML::Node& node, const Study& study) {
    if (!node.IsMap()) study_error(file, node, "'assess' must be a mapping");
    reject_unknown_keys(file, node, {"areas", "census_health", "housing"});
    AssessConfig c;
    const YAML::Node a = node["areas"];
    if (!a || !a.IsMap())
        study_error(file, node, "assess needs 'areas: {layer: ..., id: ..., population: ...}' (the deprivation areas)");
    reject_unknown_keys(file, a, {"layer", "id", "name", "population", "imd_score", "imd_decile", "health_score",
                                  "health_indicators", "overcrowding", "no2", "pm25"});
    c.areas.layer = study_layer_named(study, a, "layer");
    c.areas.id = study_text(file, a, "id", true);
    c.areas.name = study_text(file, a, "name", false);
    c.areas.population = study_text(file, a, "population", true);
    c.areas.imd_score = text_or(file, a, "imd_score", c.areas.imd_score);
    c.areas.imd_decile = text_or(file, a, "imd_decile", c.areas.imd_decile);
    c.areas.health_score = text_or(file, a, "health_score", c.areas.health_score);
    if (const YAML::Node h = a["health_indicators"]) {
        if (!h.IsSequence()) study_error(file, h, "'health_indicators' is a list of fields");
        c.areas.health_indicators = h.as<std::vector<std::string>>();
    }
    c.areas.overcrowding = study_text(file, a, "overcrowding", false);
    c.areas.no2 = study_text(file, a, "no2", false);
    c.areas.pm25 = study_text(file, a, "pm25", false);
    if (const YAML::Node h = node["census_health"]) {
        reject_unknown_keys(file, h, {"layer", "population", "share"});
        c.census_health = {study_layer_named(study, h, "layer"), study_text(file, h, "population", true),
                           study_text(file, h, "share", true)};
    }
    if (const YAML::Node h = node["housing"]) {
        reject_unknown_keys(file, h, {"layer", "homes", "tenure", "epc", "cat1"});
        c.housing = {study_layer_named(study, h, "layer"), study_text(file, h, "homes", false),
                     study_text(file, h, "tenure", true), study_text(file, h, "epc", false), study_text(file, h, "cat1", false)};
    }
    return c;
}

}  // namespace

AssessConfig assess_config(const Study& study) {
    const YAML::Node* node = study.section("assess");
    if (!node)
        throw InputError({study.file.string(), {}, {}, {}},
                         "the study has no 'assess:' section naming its deprivation areas (see docs/briefs.md)");
    AssessConfig c = parse_study_section(study.file, [&] { return parse_assess(study.file, *node, study); });
    c.access = access_config(study);
    return c;
}

}  // namespace hearth
