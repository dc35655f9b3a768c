#pragma once
// Pockets of deprivation, including those hidden inside affluent areas, and who holds
// homes there. Four methods, each optional:
//
// - national deciles: small areas in the most deprived decile(s) (default 1-2, the
//   "most deprived 20%" of NHS England's Core20PLUS5);
// - masked pockets: small areas that are themselves deprived (decile 1 to
//   `masked_area_max_decile`, default 2) inside a ward whose population-weighted mean
//   decile is at least `masked_within_min_mean_decile` (default 5): the "affluent areas
//   mask pockets of deprivation" pattern;
// - Local Moran's I HH clusters and HL outliers, and Getis-Ord G_i* hot spots, each
//   significant by conditional permutation (local_statistics.hpp), on the indicator
//   oriented so that higher is worse.
//
// Flagged areas that neighbour each other (contiguity.hpp) form a cluster; a cluster of
// more than `max_pocket_areas` areas is split along ward boundaries, so that each pocket
// is a place a team can name and visit. Pockets are ranked by severity (population-
// weighted mean decile, then people in decile 1, then the indicator), named after their
// wards, dissolved with GEOS, and carry their population, health measures and the
// housing stock inside them by tenure and landlord.
//
// The stages are separate functions so that each can be read and tested alone:
// select_areas → assign_deciles → locate_in_wards → flag_areas → group_into_pockets →
// rank_pockets → count_housing → build_*_layer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hearth/geometry/contiguity.hpp"
#include "hearth/core/feature_table.hpp"
#include "hearth/analysis/pockets/local_statistics.hpp"

namespace hearth {

struct PocketMethods {
    bool deciles = true;
    bool masked = true;
    bool lisa = true;
    bool gistar = true;
};

/// What "decile" means: the published national decile of the indicator, or deciles
/// ranked within the areas of the study (said in every output).
enum class DecileScope { National, Study };
/// "national" or "study"; std::invalid_argument otherwise.
DecileScope parse_decile_scope(const std::string& text);
const char* decile_scope_name(DecileScope scope);

struct PocketOptions {
    PocketMethods methods;
    DecileScope decile_scope = DecileScope::National;
    int decile_threshold = 2;                  ///< national deciles: flag deciles 1..threshold
    int masked_area_max_decile = 2;            ///< masked: the area itself in decile 1..this
    double masked_within_min_mean_decile = 5;  ///< masked: its ward's mean decile at least this
    int max_pocket_areas = 8;                  ///< larger clusters are split along ward boundaries (0: never)
    bool higher_is_worse = true;               ///< true for IMD scores; false for e.g. life expectancy or a rank
    bool area_weighting = false;               ///< allow area instead of population weights when no population
    ContiguityRule contiguity = ContiguityRule::Tolerance;
    double tolerance_m = 1.0;
    PermutationOptions permutations;
};

struct HousingStock {
    const FeatureTable* table = nullptr;  ///< points
    std::string homes;                    ///< weight field (homes at the point); empty: 1 each
    std::string tenure;
    std::string landlord;
    std::string epc;                      ///< EPC band field (A-G)
    std::string cat1;                     ///< Category 1 hazards count field
};

struct PocketInputs {
    const FeatureTable* areas = nullptr;
    std::string area_id;
    std::string area_name;       ///< optional: e.g. lsoa11nm ("Haringey 001A")
    std::string indicator;
    std::string decile;          ///< published national decile of the indicator (1 = most deprived)
    std::string population;      ///< optional (required for masked unless area weighting)
    std::vector<std::string> health;  ///< fields carried as population-weighted means
    const FeatureTable* within = nullptr;  ///< wards or authorities: masked pockets, splitting, names
    std::string within_id;
    std::string within_name;     ///< optional: e.g. ward_name
    HousingStock housing;
    /// Area geography each side describes ("lsoa2011", "lsoa2021"; empty: unknown). When the
    /// areas' is unknown it is read from their codes; a note is written only when both are
    /// known and differ.
    std::string area_vintage;
    std::string indicator_vintage;
};

struct PocketResult {
    FeatureTable area_flags;      ///< pocket_areas: decile, ward mean decile, each method's flag, pocket id
    FeatureTable local_moran;     ///< per area: moran_i, quadrant, p_sim, significant, cluster
    FeatureTable getis_ord;       ///< per area: gi_star_z, p_sim, hotspot
    FeatureTable pockets;         ///< deprivation_pockets, most severe first
    FeatureTable landlords;       ///< pocket_landlords (no geometry)
    std::vector<std::string> notes;
    std::string decile_basis;     ///< one line: which deciles, e.g. "national deciles (imd_decile)"
};

PocketResult find_pockets(const PocketInputs& inputs, const PocketOptions& options);

// ---- Stages, exposed for tests. Areas are numbered 0..n-1 among those kept.

/// Deciles ranked within the values given (1 = the tenth with the highest, i.e. worst,
/// oriented values). Ties share the decile of their first rank.
std::vector<int> deciles_within(const std::vector<double>& worse_is_higher);

/// Masked: the area in decile 1..max_decile, its ward's mean decile at least min_mean.
bool is_masked_pocket(int decile, double ward_mean_decile, int max_decile, double min_mean);

/// Connected groups of the flagged areas (sorted members), clusters larger than
/// `max_areas` split into their parts within each ward (`ward` per area, kNoArea = -1
/// for none); max_areas 0 never splits.
std::vector<std::vector<std::size_t>> group_into_pockets(const std::vector<char>& flagged, const SpatialWeights& w,
                                                         const std::vector<std::int32_t>& ward, int max_areas);

/// True for an E01 code numbered above the last LSOA 2011 code (E01033768): a code that
/// exists only in the 2021 LSOAs, which IMD 2019 (2011 codes) cannot describe.
bool is_lsoa2021_only_code(const std::string& code);

/// "lsoa2021" when any code exists only in the 2021 LSOAs, else "" (cannot tell).
std::string vintage_from_codes(const std::vector<std::string>& codes);

/// A note when an indicator looks like a count of people rather than a rate: whole
/// non-negative numbers whose correlation with population is above 0.5. Empty otherwise.
std::string count_indicator_warning(const std::string& indicator, const std::vector<double>& values,
                                    const std::vector<double>& population);

}  // namespace hearth
