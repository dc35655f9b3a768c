#pragma once
// The `pockets:` section of a study file: which layer holds the small areas and the
// indicator, which layer contains them (for masked pockets), and the housing stock.
//
//   pockets:
//     areas: {layer: lsoa_deprivation, id: lsoa11cd, indicator: imd_score,
//             decile: imd_decile, population: population_mid2015}
//     within: {layer: wards, id: ward_code}
//     health: [health_score, ypll, cidr]
//     housing: {layer: housing_stock, homes: homes, tenure: tenure, landlord: landlord,
//               epc: epc_band, cat1: cat1_hazards}

#include <string>

#include "hearth/io/study.hpp"
#include <vector>

namespace hearth {

struct PocketsConfig {
    std::string areas_layer, area_id, area_name, indicator, decile, population;
    std::string within_layer, within_id, within_name;
    bool higher_is_better = false;
    std::string decile_scope;  ///< "national", "study" or empty (national)
    std::vector<std::string> health;
    std::string housing_layer, homes, tenure, landlord, epc, cat1;
};

/// The study's `pockets:` section, parsed and checked against its layers; InputError
/// naming the study file and line, or saying the section is missing.
PocketsConfig pockets_config(const Study& study);

}  // namespace hearth
