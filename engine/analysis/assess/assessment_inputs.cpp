// The study's layers looked up and indexed once for every brief; today's PTAL and ANGSt at every home.
#include "hearth/analysis/assess/brief_assessment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <ogr_api.h>

#include "hearth/analysis/assess/assess_support.hpp"
#include "hearth/analysis/assess/criterion_scoring.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/geometry/nearest.hpp"
#include "hearth/geometry/table_points.hpp"

namespace hearth {

using namespace assess_detail;

const std::vector<std::string>& assessment_criteria() {
    static const std::vector<std::string> ids = {"need",          "housing",       "health_infrastructure",
                                                 "open_space",    "active_travel", "air_quality"};
    return ids;
}

const std::array<AngstTier, 4> kAngstTiers = {{
    {"angst_2ha_300m", "2 ha site within 300 m", 2.0, "angst_2ha_within_m"},
    {"angst_20ha_2km", "20 ha site within 2 km", 20.0, "angst_20ha_within_m"},
    {"angst_100ha_5km", "100 ha site within 5 km", 100.0, "angst_100ha_within_m"},
    {"angst_500ha_10km", "500 ha site within 10 km", 500.0, "angst_500ha_within_m"},
}};


AssessmentInputs prepare_assessment(const AssessConfig& config, const StudyTables& tables, const Parameters& parameters,
                                    const FeatureTable* pockets, unsigned workers) {
    AssessmentInputs in;
    in.config = config;
    const auto& a = config.areas;
    in.areas = &tables.get(a.layer);
    const FeatureTable& areas = *in.areas;
    if (!areas.has_geometry()) throw InputError({areas.source, areas.name, {}, {}}, "the assess areas need polygons");
    in.area_id = require_field(areas, a.id, "area id");
    in.area_name = optional_field(areas, a.name, "area name");
    in.population = require_field(areas, a.population, "area population");
    in.imd_score = require_field(areas, a.imd_score, "IMD score");
    in.imd_decile = require_field(areas, a.imd_decile, "IMD decile");
    in.health_score = require_field(areas, a.health_score, "health deprivation score");
    for (const auto& h : a.health_indicators) in.health_indicators.push_back(require_field(areas, h, "health indicator"));
    in.overcrowding = optional_field(areas, a.overcrowding, "overcrowding");
    in.no2 = optional_field(areas, a.no2, "NO2");
    in.pm25 = optional_field(areas, a.pm25, "PM2.5");
    for (const auto& f : areas.features) in.area_m2.push_back(area_of(f.geometry.get()));
    const auto everyone = every_row_by(areas, in.population);
    in.borough_imd_score = weighted_mean(areas, everyone, in.imd_score).value_or(NAN);
    in.borough_imd_decile = weighted_mean(areas, everyone, in.imd_decile).value_or(NAN);
    in.borough_health_score = weighted_mean(areas, everyone, in.health_score).value_or(NAN);
    in.borough_overcrowding = weighted_mean(areas, everyone, in.overcrowding);
    in.borough_no2 = weighted_mean(areas, everyone, in.no2);
    in.borough_pm25 = weighted_mean(areas, everyone, in.pm25);
    for (int h : in.health_indicators) in.borough_health_indicators.push_back(weighted_mean(areas, everyone, h));
    auto note_illustrative = [&](const FeatureTable& t) {
        for (const auto& i : t.illustrative_inputs)
            if (std::find(in.illustrative_inputs.begin(), in.illustrative_inputs.end(), i) == in.illustrative_inputs.end())
                in.illustrative_inputs.push_back(i);
    };
    note_illustrative(areas);

    if (!config.census_health.layer.empty()) {
        in.census = &tables.get(config.census_health.layer);
        in.census_population = require_field(*in.census, config.census_health.population, "census population");
        in.census_share = require_field(*in.census, config.census_health.share, "bad health share");
        for (const auto& f : in.census->features) in.census_area_m2.push_back(area_of(f.geometry.get()));
        // The Census recipe derives the share in % of residents.
        if (const auto v = weighted_mean(*in.census, every_row_by(*in.census, in.census_population), in.census_share))
            in.borough_bad_health = *v / 100.0;
        note_illustrative(*in.census);
    }
    if (!config.housing.layer.empty()) {
        in.housing = &tables.get(config.housing.layer);
        in.housing_homes = optional_field(*in.housing, config.housing.homes, "homes");
        in.housing_tenure = require_field(*in.housing, config.housing.tenure, "tenure");
        in.housing_epc = optional_field(*in.housing, config.housing.epc, "EPC band");
        in.housing_cat1 = optional_field(*in.housing, config.housing.cat1, "Category 1 hazards");
        in.homes = point_set_from_table(*in.housing);
        in.homes_by_x.resize(in.homes.size());
        for (std::size_t h = 0; h < in.homes.size(); ++h) in.homes_by_x[h] = static_cast<std::uint32_t>(h);
        std::sort(in.homes_by_x.begin(), in.homes_by_x.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return in.homes.x[a] < in.homes.x[b]; });
        for (std::size_t i = 0; i < in.homes.size(); ++i)
            in.homes_weight.push_back(
                number_at(in.housing->features[static_cast<std::size_t>(in.homes.source_row[i])], in.housing_homes).value_or(
                    in.housing_homes < 0 ? 1.0 : 0.0));
        note_illustrative(*in.housing);
    }
    const AccessConfig& access = config.access;
    if (!access.greenspace_layer.empty()) {
        in.greenspace = &tables.get(access.greenspace_layer);
        const int function = require_field(*in.greenspace, access.greenspace_function, "green space function");
        for (std::size_t s = 0; s < in.greenspace->features.size(); ++s) {
            const auto& f = in.greenspace->features[s];
            const std::string fn = value_text(f.values[static_cast<std::size_t>(function)]);
            if (!f.geometry || std::find(access.accessible_functions.begin(), access.accessible_functions.end(), fn) ==
                                   access.accessible_functions.end())
                continue;
            in.accessible_sites.push_back(s);
            in.site_ha.push_back(area_of(f.geometry.get()) / 10000.0);
        }
        note_illustrative(*in.greenspace);
    }
    if (!access.stops.empty()) {
        in.transport = ptal_network(access, tables, parameters, &in.notes);
        in.stop_is_station.assign(in.transport->stops.size(), 0);
        for (const auto& r : in.transport->routes)
            if (r.mode != TransportMode::Bus) in.stop_is_station[r.stop] = 1;
        for (const auto& s : access.stops) {
            const FeatureTable& layer = tables.get(s.layer);
            note_illustrative(layer);
            const int id = layer.field_index(s.id), name = layer.field_index("stop_name");
            if (id < 0 || name < 0) continue;
            for (const auto& f : layer.features)
                in.stop_names.emplace(value_text(f.values[static_cast<std::size_t>(id)]),
                                      value_text(f.values[static_cast<std::size_t>(name)]));
        }
        note_illustrative(tables.get(access.frequencies_layer));
    }
    if (!access.gp_layer.empty()) {
        in.gp_practices = &tables.get(access.gp_layer);
        in.gp_patients = optional_field(*in.gp_practices, access.gp_patients, "registered patients");
        in.gp_name = in.gp_practices->field_index("practice_name");
        note_illustrative(*in.gp_practices);
    }
    if (pockets) {
        in.pockets = pockets;
        in.pocket_name = pockets->field_index("name");
    }

    auto cache = [&](const FeatureTable* t) {
        if (!t) return;
        for (const auto& f : t->features)
            if (f.geometry) f.geometry->getEnvelope(&in.envelopes[f.geometry.get()]);
    };
    for (const FeatureTable* t : {in.areas, in.census, in.greenspace, in.gp_practices}) cache(t);

    // Today's PTAL and ANGSt at every housing point, once: briefs only change them near
    // their own stops and open spaces.
    if (in.transport) {
        in.ptal_today.emplace(in.transport->stops, in.transport->routes, in.transport->parameters);
        in.home_ptal_today.assign(in.homes.size(), 0.0);
        parallel_blocks(in.homes.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t h = begin; h < end; ++h) in.home_ptal_today[h] = in.ptal_today->at(in.homes.x[h], in.homes.y[h]).access_index;
        });
    }
    if (in.greenspace)
        for (std::size_t tier = 0; tier < kAngstTiers.size(); ++tier) {
            for (std::size_t k = 0; k < in.accessible_sites.size(); ++k)
                if (in.site_ha[k] >= kAngstTiers[tier].hectares)
                    in.tier_sites[tier].push_back(in.greenspace->features[in.accessible_sites[k]].geometry.get());
            in.home_tier_today[tier] =
                in.tier_sites[tier].empty() || in.homes.size() == 0
                    ? std::vector<char>(in.homes.size(), 0)
                    : any_within(in.homes, in.tier_sites[tier], parameters.get(kAngstTiers[tier].parameter), workers);
            in.tier_reach_today[tier] = parameters.get(kAngstTiers[tier].parameter);
        }
    return in;
}

}  // namespace hearth
