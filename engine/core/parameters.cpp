#include "hearth/core/parameters.hpp"

#include <cmath>
#include <set>
#include <stdexcept>

#include "hearth/core/field_names.hpp"

namespace hearth {

const std::vector<ParameterDefinition>& parameter_definitions() {
    static const std::vector<ParameterDefinition> table = {
        {"walk_speed_m_per_min", 80.0, "m/min", "walking speed for walk times",
         "TfL, Assessing transport connectivity in London (2015), PTAL method"},
        {"ptal_bus_max_walk_m", 640.0, "m", "farthest bus stop counted in PTAL (8 min)", "TfL PTAL method"},
        {"ptal_rail_max_walk_m", 960.0, "m", "farthest rail, Underground or tram station counted (12 min)",
         "TfL PTAL method"},
        {"ptal_bus_reliability_min", 2.0, "min", "reliability allowance added to bus waiting time", "TfL PTAL method"},
        {"ptal_rail_reliability_min", 0.75, "min", "reliability allowance for rail, Underground and tram",
         "TfL PTAL method"},
        {"ptal_grid_cell_m", 100.0, "m", "side of the PTAL grid cells (0: no grid)", "TfL WebCAT grid (100 m)"},
        {"default_bus_services_per_hour", 0.0, "services/h",
         "services per hour given to a bus stop with no row in the frequency table (0: such stops add nothing)",
         "none: only when a study asks for it"},
        {"gp_catchment_radius_m", 1000.0, "m", "radius for 'GP surgeries within' counts",
         "Hearth default (about 12 minutes' walk at 80 m/min); set to the local standard"},
        {"patients_per_gp", 1800.0, "patients", "registered patients one full-time GP serves, for 'GPs needed'",
         "London HUDU Planning Contributions Model and RCGP benchmark: 1,800 patients per full-time GP"},
        {"people_per_home", 2.36, "people", "residents per home where an area has no population figure",
         "ONS Census 2021: mean household size, England"},
        {"pockets_decile_threshold", 2.0, "decile",
         "national deciles: areas in deciles 1 to this are flagged (2: the most deprived 20%)",
         "NHS England, Core20PLUS5 (2021): the most deprived 20% by IMD"},
        {"masked_area_max_decile", 2.0, "decile", "masked pocket: the area itself is in decile 1 to this",
         "Hearth definition (docs/methods.md): a Core20 area"},
        {"masked_ward_min_mean_decile", 5.0, "decile",
         "masked pocket: its ward's population-weighted mean decile is at least this (the ward is not deprived)",
         "Hearth definition (docs/methods.md): the national middle decile"},
        {"pocket_max_areas", 8.0, "areas",
         "pockets of more areas are split along ward boundaries (0: never split)",
         "Hearth default: about one ward's LSOAs (London wards hold 5-10)"},
        {"angst_2ha_within_m", 300.0, "m", "ANGSt: a site of at least 2 ha within this distance",
         "Natural England, Nature Nearby: Accessible Natural Greenspace Guidance (NE265, 2010)"},
        {"angst_20ha_within_m", 2000.0, "m", "ANGSt: a site of at least 20 ha within this distance", "Natural England NE265"},
        {"angst_100ha_within_m", 5000.0, "m", "ANGSt: a site of at least 100 ha within this distance", "Natural England NE265"},
        {"angst_500ha_within_m", 10000.0, "m", "ANGSt: a site of at least 500 ha within this distance", "Natural England NE265"},
        // ---- Brief scoring (hearth assess; docs/methods.md, "Scoring development briefs").
        {"assess_catchment_m", 800.0, "m", "a brief's catchment: this distance around the site boundary",
         "Hearth default: 10 minutes' walk at 80 m/min (TfL PTAL walk speed), the 'walkable neighbourhood' of "
         "Sport England and OHID's Active Design (2023)"},
        {"affordable_target_share", 0.35, "share", "affordable homes target (share of homes) on private land",
         "Greater London Authority, The London Plan (2021), Policy H5: threshold 35%"},
        {"affordable_target_share_public_land", 0.50, "share", "affordable homes target on public land (brief: public_land: true)",
         "Greater London Authority, The London Plan (2021), Policy H5: 50% on public land"},
        {"yield_1bed_social", 1.3, "people/home", "residents of a new 1-bedroom social or affordable rent home",
         "approximate London average of the GLA Population Yield Calculator (v3.2, 2019); use the borough's figure"},
        {"yield_2bed_social", 2.6, "people/home", "residents of a new 2-bedroom social or affordable rent home", "as yield_1bed_social"},
        {"yield_3bed_social", 3.8, "people/home", "residents of a new 3-bedroom social or affordable rent home", "as yield_1bed_social"},
        {"yield_4bed_social", 4.9, "people/home", "residents of a new 4+-bedroom social or affordable rent home", "as yield_1bed_social"},
        {"yield_1bed_other", 1.4, "people/home", "residents of a new 1-bedroom intermediate or market home", "as yield_1bed_social"},
        {"yield_2bed_other", 2.1, "people/home", "residents of a new 2-bedroom intermediate or market home", "as yield_1bed_social"},
        {"yield_3bed_other", 2.9, "people/home", "residents of a new 3-bedroom intermediate or market home", "as yield_1bed_social"},
        {"yield_4bed_other", 3.6, "people/home", "residents of a new 4+-bedroom intermediate or market home", "as yield_1bed_social"},
        {"gp_fte_per_consulting_room", 1.0, "GP FTE", "full-time GPs one new consulting room serves",
         "Hearth assumption: a room in use every weekday session serves one full-time GP; set the ICB's standard"},
        {"health_floorspace_m2_per_consulting_room", 60.0, "m2",
         "gross health floorspace per consulting room, to read a brief's floorspace_m2 as rooms",
         "Hearth assumption (a consulting room with its share of waiting, treatment and staff space); set the ICB's figure"},
        {"greenspace_ha_per_1000_standard", 3.0, "ha/1,000 residents",
         "accessible green space standard per 1,000 residents",
         "Natural England, Green Infrastructure Framework (2023): 3 ha of accessible greenspace per 1,000 population"},
        {"ptal_score_full_access_index", 25.0, "access index",
         "access index at which active travel scores 100 (the top of PTAL band 5)", "TfL PTAL bands; Hearth scoring choice"},
        {"no2_limit_ugm3", 40.0, "ug/m3", "NO2 annual mean limit value",
         "The Air Quality Standards Regulations 2010 (UK): 40 ug/m3"},
        {"no2_guideline_ugm3", 10.0, "ug/m3", "NO2 annual mean guideline", "WHO global air quality guidelines (2021): 10 ug/m3"},
        {"pm25_limit_ugm3", 20.0, "ug/m3", "PM2.5 annual mean limit value", "The Air Quality Standards Regulations 2010 (UK): 20 ug/m3"},
        {"pm25_guideline_ugm3", 5.0, "ug/m3", "PM2.5 annual mean guideline", "WHO global air quality guidelines (2021): 5 ug/m3"},
        {"england_bad_health_share", 0.052, "share", "share of England's residents in bad or very bad health",
         "ONS Census 2021, TS037 (England)"},
        {"rag_green_min_score", 67.0, "score", "a criterion scoring at least this is rated green",
         "Hearth default: the top third of the 0-100 scale"},
        {"rag_amber_min_score", 40.0, "score", "a criterion scoring at least this (and below green) is amber",
         "Hearth default"},
        {"weight_need", 0.0, "weight", "weight of 'need' in a brief's total (need also raises the weights below)",
         "Hearth default: need sets how much the other criteria matter rather than scoring the brief"},
        {"weight_housing", 1.0, "weight", "weight of 'housing'", "Hearth default: equal weights, as the HUDU Rapid HIA topics"},
        {"weight_health_infrastructure", 1.0, "weight", "weight of 'health_infrastructure'", "as weight_housing"},
        {"weight_open_space", 1.0, "weight", "weight of 'open_space'", "as weight_housing"},
        {"weight_active_travel", 1.0, "weight", "weight of 'active_travel'", "as weight_housing"},
        {"weight_air_quality", 1.0, "weight", "weight of 'air_quality'", "as weight_housing"},
        {"need_weight_uplift", 1.0, "factor",
         "how far need raises the weights of housing and health infrastructure: weight x (1 + uplift x need score / 100)",
         "Hearth default: in the most deprived places (need 100) those criteria count double (Marmot, Fair Society "
         "Healthy Lives, 2010: proportionate universalism)"},
    };
    return table;
}

Parameters::Parameters() {
    for (const auto& d : parameter_definitions()) values_[d.name] = d.default_value;
}

void Parameters::set(const std::string& name, double value) {
    const auto it = values_.find(name);
    if (it == values_.end()) {
        std::vector<std::string> names;
        for (const auto& d : parameter_definitions()) names.emplace_back(d.name);
        std::string hint;
        for (const auto& n : closest_field_names(names, {name})) hint += (hint.empty() ? "" : ", ") + n;
        throw std::invalid_argument("unknown parameter '" + name + "'; closest: " + hint);
    }
    if (!std::isfinite(value) || value < 0)
        throw std::invalid_argument("parameter '" + name + "' must be a non-negative number");
    // Divisors and multipliers: zero would make every walk time or population infinite or nil.
    static const std::set<std::string> positive = {"walk_speed_m_per_min", "people_per_home", "patients_per_gp",
                                                   "greenspace_ha_per_1000_standard", "ptal_score_full_access_index",
                                                   "health_floorspace_m2_per_consulting_room"};
    if (value == 0 && positive.count(name))
        throw std::invalid_argument("parameter '" + name + "' must be greater than 0");
    it->second = value;
}

double Parameters::get(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) throw std::logic_error("no parameter '" + name + "'");
    return it->second;
}

}  // namespace hearth
