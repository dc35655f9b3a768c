#include "hearth/analysis/assess/criterion_scoring.hpp"

#include <algorithm>
#include <stdexcept>

namespace hearth {

namespace {
double clamp_score(double s) { return std::clamp(s, 0.0, 100.0); }
double at_most_one(double x) { return std::clamp(x, 0.0, 1.0); }
}  // namespace

double need_score(double mean_imd_decile) { return clamp_score(100.0 * (10.0 - mean_imd_decile) / 9.0); }

double housing_score(double affordable_share, double target_share, double net_social_rent, double social_rent_demolished) {
    const double affordable = target_share > 0 ? at_most_one(affordable_share / target_share) : 1.0;
    double reprovision = 1.0;
    if (net_social_rent < 0)
        reprovision = social_rent_demolished > 0 ? std::max(0.0, 1.0 + net_social_rent / social_rent_demolished) : 0.0;
    return clamp_score(60.0 * affordable + 40.0 * reprovision);
}

double health_infrastructure_score(double gp_fte_needed, double gp_fte_added) {
    if (gp_fte_needed <= 0) return 100.0;
    return clamp_score(100.0 * at_most_one(gp_fte_added / gp_fte_needed));
}

double open_space_score(double ha_per_1000, double standard_ha_per_1000, double angst_share) {
    return clamp_score(50.0 * at_most_one(ha_per_1000 / standard_ha_per_1000) + 50.0 * at_most_one(angst_share));
}

double active_travel_score(double access_index, double full_access_index) {
    return clamp_score(100.0 * at_most_one(access_index / full_access_index));
}

double pollutant_score(double concentration, double guideline, double limit) {
    if (!(limit > guideline)) throw std::invalid_argument("an air quality limit value must be above its guideline");
    return clamp_score(100.0 * (limit - concentration) / (limit - guideline));
}

double air_quality_score(double no2, double pm25, double no2_guideline, double no2_limit, double pm25_guideline,
                         double pm25_limit) {
    return (pollutant_score(no2, no2_guideline, no2_limit) + pollutant_score(pm25, pm25_guideline, pm25_limit)) / 2.0;
}

std::string rag_rating(double score, double green_min, double amber_min) {
    if (score >= green_min) return "green";
    if (score >= amber_min) return "amber";
    return "red";
}

double weight_after_need(const std::string& criterion, double weight, double need, double uplift) {
    if (criterion == "housing" || criterion == "health_infrastructure") return weight * (1.0 + uplift * need / 100.0);
    return weight;
}

}  // namespace hearth
