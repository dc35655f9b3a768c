#pragma once
// The scoring functions of hearth assess: pure functions from a criterion's evidence to a
// 0-100 score, each written out in docs/methods.md ("Scoring development briefs") with
// its default numbers and their sources. Scores are clamped to 0..100.

#include <string>

namespace hearth {

/// need = 100 × (10 − d) / 9, d the catchment's population-weighted IMD decile
/// (decile 1, the most deprived tenth of England: 100; decile 10: 0).
double need_score(double mean_imd_decile);

/// housing = 60 × min(1, affordable share / target)
///         + 40 × social-rent re-provision, where re-provision is 1 when the brief adds at
///           least as many social-rent homes as it demolishes, and otherwise
///           max(0, 1 + net social-rent change / social-rent homes demolished).
/// A brief proposing no homes scores its re-provision part only (affordable part 0).
double housing_score(double affordable_share, double target_share, double net_social_rent, double social_rent_demolished);

/// health infrastructure = 100 × min(1, GP capacity added / GPs the new residents need);
/// 100 when the brief adds no residents.
double health_infrastructure_score(double gp_fte_needed, double gp_fte_added);

/// open space = 50 × min(1, ha per 1,000 residents / standard)
///            + 50 × share of homes with a 2 ha site within 300 m (ANGSt's first tier).
double open_space_score(double ha_per_1000, double standard_ha_per_1000, double angst_share);

/// active travel = 100 × min(1, PTAL access index / full_access_index).
double active_travel_score(double access_index, double full_access_index);

/// Each pollutant: 100 at or below the WHO guideline, 0 at or above the UK limit value,
/// linear between; air quality is the mean of NO2's and PM2.5's.
/// std::invalid_argument when a limit is not above its guideline.
double pollutant_score(double concentration, double guideline, double limit);
double air_quality_score(double no2, double pm25, double no2_guideline, double no2_limit, double pm25_guideline,
                         double pm25_limit);

/// "green" at or above green_min, "amber" at or above amber_min, else "red".
std::string rag_rating(double score, double green_min, double amber_min);

/// The weight a criterion counts with after need: weight × (1 + uplift × need / 100) for
/// the criteria that serve the most deprived residents first (housing, health
/// infrastructure), the weight itself for the others.
double weight_after_need(const std::string& criterion, double weight, double need, double uplift);

}  // namespace hearth
