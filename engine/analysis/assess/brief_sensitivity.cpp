// The sensitivity of a brief's total to each assumption and weight, and the assumptions listed.
#include "hearth/analysis/assess/brief_assessment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <ogr_api.h>

#include "hearth/analysis/assess/assess_support.hpp"
#include "hearth/analysis/assess/criterion_scoring.hpp"
#include "hearth/core/errors.hpp"

namespace hearth {

using namespace assess_detail;

namespace {

/// One assumption's range for the sensitivity table.
struct Variation {
    std::string name;
    std::vector<std::string> parameters;  ///< all scaled together (e.g. every yield)
    double low, high;                     ///< factors applied to the value
    bool evidence;                        ///< the evidence must be gathered again
};

}  // namespace

BriefScorecard assess_brief(const AssessmentInputs& in, const Brief& brief, const Parameters& parameters,
                            BriefEvidence* evidence_out) {
    const Parameters p = brief_parameters(parameters, brief);
    BriefEvidence e = gather_evidence(in, brief, p);
    BriefScorecard s = score_evidence(in, brief, e, p);

    // Each assumption varied over its range (docs/methods.md, "Sensitivity"): the
    // catchment from half to one and a half times, population yields ±20%, the GP ratio
    // and the room capacity ±25% and ±50%, need's uplift from none to double, each
    // criterion's weight from half to one and a half times.
    std::vector<std::string> yields = {"people_per_home"};
    for (int k = 1; k <= kBedroomClasses; ++k)
        for (const char* g : {"social", "other"}) yields.push_back("yield_" + std::to_string(k) + "bed_" + g);
    std::vector<Variation> variations = {
        {"assess_catchment_m", {"assess_catchment_m"}, 0.5, 1.5, true},
        {"population yield (yield_*, people_per_home)", yields, 0.8, 1.2, true},
        {"patients_per_gp", {"patients_per_gp"}, 0.75, 1.25, false},
        {"gp_fte_per_consulting_room", {"gp_fte_per_consulting_room"}, 0.5, 1.5, false},
        {"need_weight_uplift", {"need_weight_uplift"}, 0.0, 2.0, false},
    };
    for (const auto& c : s.criteria)
        if (c.base_weight > 0) variations.push_back({"weight_" + c.id, {"weight_" + c.id}, 0.5, 1.5, false});

    for (const auto& v : variations) {
        SensitivityResult r;
        r.assumption = v.name;
        const double value = p.get(v.parameters[0]);
        char range[128];
        std::snprintf(range, sizeof range, "%g to %g", value * v.low, value * v.high);
        r.range = v.parameters.size() > 1 ? "x" + fmt(v.low, 1) + " to x" + fmt(v.high, 1) : range;
        std::map<std::string, double> moved;
        for (int side = 0; side < 2; ++side) {
            Parameters q = p;
            for (const auto& name : v.parameters) q.set(name, q.get(name) * (side == 0 ? v.low : v.high));
            const BriefScorecard varied =
                v.evidence ? score_evidence(in, brief, gather_evidence(in, brief, q), q) : score_evidence(in, brief, e, q);
            (side == 0 ? r.low_total : r.high_total) = varied.total;
            for (std::size_t k = 0; k < varied.criteria.size(); ++k)
                moved[varied.criteria[k].id] = std::max(moved[varied.criteria[k].id], std::fabs(varied.criteria[k].score - s.criteria[k].score));
        }
        r.swing = std::max(std::fabs(r.low_total - s.total), std::fabs(r.high_total - s.total));
        double most = 0;
        for (const auto& [id, m] : moved)
            if (m > most + 1e-9) {
                most = m;
                r.most_moved_criterion = id;
            }
        s.sensitivity.push_back(r);
    }
    std::stable_sort(s.sensitivity.begin(), s.sensitivity.end(),
                     [](const SensitivityResult& a, const SensitivityResult& b) { return a.swing > b.swing; });
    double total_weight = 0, top = -1;
    for (const auto& c : s.criteria) total_weight += c.weight;
    for (const auto& c : s.criteria)
        if (total_weight > 0 && c.weight / total_weight > top) {
            top = c.weight / total_weight;
            s.most_sensitive_criterion = c.id;
        }
    if (evidence_out) *evidence_out = std::move(e);
    return s;
}

std::vector<ScoreAssumption> assessment_assumptions(const Parameters& parameters) {
    static const std::vector<std::string> used = {
        "assess_catchment_m", "people_per_home", "patients_per_gp", "gp_fte_per_consulting_room",
        "health_floorspace_m2_per_consulting_room", "affordable_target_share", "affordable_target_share_public_land",
        "greenspace_ha_per_1000_standard", "angst_2ha_within_m", "angst_20ha_within_m", "angst_100ha_within_m",
        "angst_500ha_within_m", "ptal_score_full_access_index", "walk_speed_m_per_min",
        "ptal_bus_max_walk_m", "ptal_rail_max_walk_m", "no2_limit_ugm3", "no2_guideline_ugm3", "pm25_limit_ugm3",
        "pm25_guideline_ugm3", "england_bad_health_share", "rag_green_min_score", "rag_amber_min_score", "need_weight_uplift",
        "weight_need", "weight_housing", "weight_health_infrastructure", "weight_open_space", "weight_active_travel",
        "weight_air_quality"};
    std::vector<ScoreAssumption> out;
    for (const auto& d : parameter_definitions()) {
        const std::string name = d.name;
        if (std::find(used.begin(), used.end(), name) == used.end() && name.rfind("yield_", 0) != 0) continue;
        out.push_back({name, parameters.get(name), d.unit, d.meaning, d.source});
    }
    return out;
}

}  // namespace hearth
