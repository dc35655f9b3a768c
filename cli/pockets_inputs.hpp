#pragma once
// The pockets analysis's options and inputs as a study names them: shared by
// `hearth pockets` and by `hearth assess`, which finds the pockets a brief's catchment
// touches with the same settings.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "hearth/analysis/pockets/deprivation_pockets.hpp"
#include "hearth/analysis/pockets/pockets_config.hpp"

namespace hearth::cli {

struct PocketsOptions {
    std::string study, out;
    std::string areas, area_id, area_name, indicator, decile, population, within, within_id, within_name;
    std::string housing, homes, tenure, landlord, epc, cat1;
    std::vector<std::string> health, methods;
    std::string contiguity = "tolerance";
    std::string decile_scope;
    double tolerance_m = 1.0;
    int permutations = 999;
    std::uint64_t seed = 12345;
    double alpha = 0.05;
    bool fdr = false, higher_is_better = false, area_weighting = false;
    // Unset: the study's parameters (or their documented defaults) apply.
    std::optional<int> decile_threshold, masked_max_decile, max_pocket_areas;
    std::optional<double> masked_ward_mean;
};

/// The analysis's options: the command line's, else the study's parameters and section.
PocketOptions analysis_options(const PocketsOptions& o, const Parameters& parameters, const PocketsConfig* config,
                               const GlobalOptions& global);

/// The inputs as the study names them; --indicator and --decile override its choice.
/// A national decile for another indicator comes from its recipe (national_decile:).
PocketInputs study_inputs(const PocketsOptions& o, const Study& study, const PocketsConfig& c,
                          const RecipeBook& recipes, const std::vector<FeatureTable>& layers);

/// Which outputs say they are illustrative: everything built from illustrative areas or
/// wards; the pocket figures and landlords also from illustrative housing.
void mark_illustrative(PocketResult& r, const PocketInputs& in);

}  // namespace hearth::cli
