#pragma once
// The `assess:` section of a study file: which study layers and fields hearth assess
// reads for each criterion. Homes, green space, stops and GP practices come from the
// study's `access:` section; this section adds the areas with their need, housing and
// air quality fields.
//
//   assess:
//     areas: {layer: lsoa_deprivation, id: lsoa11cd, name: lsoa11nm, population: population_mid2015,
//             imd_score: imd_score, imd_decile: imd_decile, health_score: health_score,
//             health_indicators: [ypll, cidr, mood_anxiety], overcrowding: overcrowding,
//             no2: no2_2019_mean, pm25: pm25_2019_mean}
//     census_health: {layer: lsoa21_general_health, population: residents_2021, share: bad_health_share}
//     housing: {layer: housing_stock, homes: homes, tenure: tenure, epc: epc_band, cat1: cat1_hazards}

#include <string>
#include <vector>

#include "hearth/analysis/access/access_config.hpp"
#include "hearth/io/study.hpp"

namespace hearth {

struct AssessAreas {
    std::string layer, id, name, population;
    std::string imd_score = "imd_score", imd_decile = "imd_decile", health_score = "health_score";
    std::vector<std::string> health_indicators;  ///< IoD2019 health indicators carried as population-weighted means
    std::string overcrowding;                    ///< optional
    std::string no2, pm25;                       ///< optional: annual means, ug/m3
};

struct AssessCensusHealth {
    std::string layer, population;
    std::string share;  ///< residents in bad or very bad health, in % (as the Census 2021 recipe derives it)
};

struct AssessHousing {
    std::string layer, homes, tenure, epc, cat1;  ///< layer empty: no housing stock
};

struct AssessConfig {
    AssessAreas areas;
    AssessCensusHealth census_health;
    AssessHousing housing;
    AccessConfig access;  ///< green space, stops, GPs (the study's access: section)
};

/// The study's `assess:` (and `access:`) sections, checked against its layers; InputError
/// naming the study file and line.
AssessConfig assess_config(const Study& study);

}  // namespace hearth
