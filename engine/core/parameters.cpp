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
    static const std::set<std::string> positive = {"walk_speed_m_per_min", "people_per_home"};
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
