#include "pockets_inputs.hpp"

#include "hearth/core/errors.hpp"
#include "hearth/core/parallel.hpp"

namespace hearth::cli {

PocketOptions analysis_options(const PocketsOptions& o, const Parameters& parameters, const PocketsConfig* config,
                               const GlobalOptions& global) {
    PocketOptions options;
    if (!o.methods.empty()) {
        options.methods = {false, false, false, false};
        for (const auto& m : o.methods) {
            if (m == "deciles") options.methods.deciles = true;
            else if (m == "masked") options.methods.masked = true;
            else if (m == "lisa") options.methods.lisa = true;
            else if (m == "gistar") options.methods.gistar = true;
            else throw UsageError("pockets: --method " + m + " is not one of deciles, masked, lisa, gistar");
        }
    }
    try {
        options.contiguity = parse_contiguity_rule(o.contiguity);
        const std::string scope = !o.decile_scope.empty() ? o.decile_scope
                                  : config && !config->decile_scope.empty() ? config->decile_scope
                                                                             : "national";
        options.decile_scope = parse_decile_scope(scope);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("pockets: ") + e.what());
    }
    options.decile_threshold = o.decile_threshold.value_or(static_cast<int>(parameters.get("pockets_decile_threshold")));
    options.masked_area_max_decile = o.masked_max_decile.value_or(static_cast<int>(parameters.get("masked_area_max_decile")));
    options.masked_within_min_mean_decile = o.masked_ward_mean.value_or(parameters.get("masked_ward_min_mean_decile"));
    options.max_pocket_areas = o.max_pocket_areas.value_or(static_cast<int>(parameters.get("pocket_max_areas")));
    if (o.permutations < 0 || o.alpha <= 0 || o.alpha >= 1 || o.tolerance_m < 0)
        throw UsageError("pockets: permutations >= 0, 0 < alpha < 1, tolerance >= 0");
    if (options.decile_threshold < 0 || options.decile_threshold > 10 || options.masked_area_max_decile < 1 ||
        options.masked_area_max_decile > 10 || options.masked_within_min_mean_decile < 1 ||
        options.masked_within_min_mean_decile > 10 || options.max_pocket_areas < 0)
        throw UsageError("pockets: decile thresholds must lie from 1 to 10 (0 for none) and the pocket size limit >= 0");
    options.tolerance_m = o.tolerance_m;
    options.permutations.permutations = o.permutations;
    options.permutations.seed = o.seed;
    options.permutations.alpha = o.alpha;
    options.permutations.false_discovery_rate = o.fdr;
    options.permutations.workers = worker_count(global.threads);
    options.higher_is_worse = !(o.higher_is_better || (config && config->higher_is_better && o.indicator.empty()));
    options.area_weighting = o.area_weighting;
    return options;
}

PocketInputs study_inputs(const PocketsOptions& o, const Study& study, const PocketsConfig& c,
                          const RecipeBook& recipes, const std::vector<FeatureTable>& layers) {
    auto get = [&](const std::string& name) -> const FeatureTable* {
        for (const auto& l : layers)
            if (l.name == name) return &l;
        return nullptr;
    };
    const StudyLayer& areas_layer = study.layers[study.layer_index(c.areas_layer)];
    PocketInputs in;
    in.areas = get(c.areas_layer);
    in.area_id = c.area_id;
    in.area_name = c.area_name;
    in.indicator = o.indicator.empty() ? c.indicator : o.indicator;
    const auto origin = layer_field_origin(study, areas_layer, in.indicator, recipes);
    if (!o.decile.empty()) in.decile = o.decile;
    else if (in.indicator == c.indicator && !c.decile.empty()) in.decile = c.decile;
    else if (origin && origin->field) in.decile = origin->field->national_decile;
    in.population = c.population;
    in.health = c.health;
    if (!c.within_layer.empty()) {
        in.within = get(c.within_layer);
        in.within_id = c.within_id;
        in.within_name = c.within_name;
    }
    if (!c.housing_layer.empty()) in.housing = {get(c.housing_layer), c.homes, c.tenure, c.landlord, c.epc, c.cat1};
    in.area_vintage = recipes.get(areas_layer.recipe).area_vintage;
    if (origin && origin->recipe) in.indicator_vintage = origin->recipe->area_vintage;
    return in;
}

/// Which outputs say they are illustrative: everything built from illustrative areas or
/// wards; the pocket figures and landlords also from illustrative housing.
void mark_illustrative(PocketResult& r, const PocketInputs& in) {
    std::vector<std::string> areas = in.areas->illustrative_inputs;
    if (in.within) areas.insert(areas.end(), in.within->illustrative_inputs.begin(), in.within->illustrative_inputs.end());
    std::vector<std::string> pockets = areas;
    if (in.housing.table)
        pockets.insert(pockets.end(), in.housing.table->illustrative_inputs.begin(),
                       in.housing.table->illustrative_inputs.end());
    for (auto* t : {&r.area_flags, &r.local_moran, &r.getis_ord}) t->illustrative_inputs = areas;
    r.pockets.illustrative_inputs = pockets;
    r.landlords.illustrative_inputs = pockets;
}

}  // namespace hearth::cli
