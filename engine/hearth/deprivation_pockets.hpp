#pragma once
// Pockets of deprivation, including those hidden inside affluent areas, and who holds
// homes there. Three methods, each optional:
//
// - national deciles: small areas in the most deprived decile(s) (default 1-2, the
//   "most deprived 20%" of NHS England's Core20PLUS5);
// - masked pockets: small areas at least K deciles (default 3) more deprived than the
//   population-weighted mean decile of the ward (or authority) containing them;
// - local statistics: Local Moran's I HH clusters and HL outliers (a deprived area among
//   less deprived neighbours), and Getis-Ord G_i* hot spots, each significant by
//   conditional permutation (local_statistics.hpp).
//
// Flagged areas that neighbour each other (contiguity.hpp) are dissolved with GEOS into
// one pocket, which carries its members, population, population-weighted indicator and
// health measures, and the housing stock inside it by tenure and landlord.

#include <optional>
#include <string>
#include <vector>

#include "hearth/contiguity.hpp"
#include "hearth/feature_table.hpp"
#include "hearth/local_statistics.hpp"

namespace hearth {

struct PocketMethods {
    bool deciles = true;
    bool masked = true;
    bool lisa = true;
    bool gistar = true;
};

struct PocketOptions {
    PocketMethods methods;
    int decile_threshold = 2;       ///< national deciles: flag deciles 1..threshold
    int masked_decile_gap = 3;      ///< masked: ward mean decile minus area decile at least this
    bool higher_is_worse = true;    ///< true for IMD scores; false for e.g. life expectancy
    bool area_weighting = false;    ///< allow area instead of population weights when no population
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
    std::string indicator;
    std::string decile;          ///< optional: published national decile (1 = most deprived)
    std::string population;      ///< optional (required for masked unless area weighting)
    std::vector<std::string> health;  ///< fields carried as population-weighted means
    const FeatureTable* within = nullptr;  ///< wards or authorities, for masked pockets
    std::string within_id;
    HousingStock housing;
};

struct PocketResult {
    FeatureTable area_flags;      ///< per area: decile, ward mean decile, each method's flag, pocket id
    FeatureTable local_moran;     ///< per area: moran_i, quadrant, p_sim, significant, cluster
    FeatureTable getis_ord;       ///< per area: gi_star_z, p_sim, hotspot
    FeatureTable pockets;         ///< deprivation_pockets
    FeatureTable landlords;       ///< pocket_landlords (no geometry)
    std::vector<std::string> notes;
};

PocketResult find_pockets(const PocketInputs& inputs, const PocketOptions& options);

/// True for an E01 code numbered above the last LSOA 2011 code (E01033768): a code that
/// exists only in the 2021 LSOAs, which IMD 2019 (2011 codes) cannot describe.
bool is_lsoa2021_only_code(const std::string& code);

}  // namespace hearth
