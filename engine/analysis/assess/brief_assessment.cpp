#include "hearth/analysis/assess/brief_assessment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <ogr_api.h>

#include "hearth/analysis/assess/criterion_scoring.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/geometry/nearest.hpp"
#include "hearth/geometry/point_location.hpp"
#include "hearth/geometry/table_points.hpp"

namespace hearth {

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

namespace {

int require_field(const FeatureTable& t, const std::string& field, const std::string& role) {
    const int i = t.field_index(field);
    if (i < 0) throw InputError({t.source, t.name, {}, field}, "no such field (the " + role + " of the assess section)");
    return i;
}

int optional_field(const FeatureTable& t, const std::string& field, const std::string& role) {
    return field.empty() ? -1 : require_field(t, field, role);
}

double area_of(const OGRGeometry* g) {
    return g ? OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))) : 0.0;
}

std::optional<double> number_at(const Feature& f, int field) {
    if (field < 0) return std::nullopt;
    const auto v = value_number(f.values[static_cast<std::size_t>(field)]);
    if (v && !std::isfinite(*v)) return std::nullopt;
    return v;
}

/// A geometry's envelope, from the inputs' cache when it is there (OGR walks every vertex
/// to find one, and each brief asks for thousands).
OGREnvelope envelope_of(const AssessmentInputs& in, const OGRGeometry* g) {
    if (const auto it = in.envelopes.find(g); it != in.envelopes.end()) return it->second;
    OGREnvelope e;
    g->getEnvelope(&e);
    return e;
}

bool envelopes_meet(const AssessmentInputs& in, const OGREnvelope& a, const OGRGeometry* g) {
    return a.Intersects(envelope_of(in, g));
}

/// Population-weighted mean of `field` over (feature, weight) pairs; nothing when no
/// weight carries a value.
std::optional<double> weighted_mean(const FeatureTable& t, const std::vector<std::pair<std::size_t, double>>& rows,
                                    int field) {
    if (field < 0) return std::nullopt;
    double sum = 0, total = 0;
    for (const auto& [r, w] : rows) {
        const auto v = number_at(t.features[r], field);
        if (!v || w <= 0) continue;
        sum += w * *v;
        total += w;
    }
    if (total <= 0) return std::nullopt;
    return sum / total;
}

std::vector<std::pair<std::size_t, double>> every_row_by(const FeatureTable& t, int population) {
    std::vector<std::pair<std::size_t, double>> rows;
    for (std::size_t r = 0; r < t.features.size(); ++r)
        rows.emplace_back(r, number_at(t.features[r], population).value_or(0.0));
    return rows;
}

/// The housing layer's tenure text as a brief's tenure: council and social rent; London
/// Affordable Rent and affordable rent; shared ownership, intermediate and London Living
/// Rent; everything else (owner occupied, private rent, temporary accommodation) market.
Tenure tenure_of(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    if (text.find("social") != std::string::npos || text.find("council") != std::string::npos) return Tenure::SocialRent;
    if (text.find("affordable") != std::string::npos) return Tenure::AffordableRent;
    if (text.find("shared") != std::string::npos || text.find("intermediate") != std::string::npos ||
        text.find("living rent") != std::string::npos)
        return Tenure::Intermediate;
    return Tenure::Market;
}

PointSet subset(const PointSet& all, const std::vector<std::size_t>& rows) {
    PointSet s;
    for (std::size_t r : rows) {
        s.x.push_back(all.x[r]);
        s.y.push_back(all.y[r]);
        s.source_row.push_back(all.source_row[r]);
    }
    return s;
}


std::string fmt(double x, int decimals = 1) {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, x);
    return b;
}

std::string whole(double x) {
    char b[64];
    std::snprintf(b, sizeof b, "%.0f", x);
    std::string s = b;
    // thousands separators, for explanations read by people
    const bool negative = !s.empty() && s[0] == '-';
    std::string digits = negative ? s.substr(1) : s, out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (negative ? "-" : "") + out;
}

/// A count of people or homes for an explanation, withheld when small (--suppress-below).
std::string count_text(const AssessmentInputs& in, double x) {
    if (in.suppress_below > 0 && x > 0 && x < in.suppress_below) return "fewer than " + std::to_string(in.suppress_below);
    return whole(x);
}

std::string percent(double share) { return fmt(100.0 * share, 1) + "%"; }

double yield_of(const Parameters& p, int bedroom_class, Tenure t) {
    const bool social = t == Tenure::SocialRent || t == Tenure::AffordableRent;
    return p.get("yield_" + std::to_string(bedroom_class + 1) + "bed_" + (social ? "social" : "other"));
}

/// The brief's network: the study's stops and routes, its extra services added at every
/// stop of the named route, its new stops with their routes.
PtalNetwork network_after(const PtalNetwork& before, const Brief& brief) {
    PtalNetwork after = before;
    for (const auto& extra : brief.extra_services) {
        bool found = false;
        for (auto& r : after.routes)
            if (r.route_id == extra.route) {
                r.services_per_hour += extra.services_per_hour;
                found = true;
            }
        bool on_new_stop = false;
        for (const auto& s : brief.new_stops)
            for (const auto& r : s.routes) on_new_stop = on_new_stop || r.route == extra.route;
        if (!found && !on_new_stop)
            throw InputError({brief.file.string(), {}, {}, "transport.extra_services"},
                             "route '" + extra.route + "' calls at no stop of the study or of the brief");
    }
    for (const auto& s : brief.new_stops) {
        const auto index = static_cast<std::uint32_t>(after.stops.size());
        after.stops.push_back({s.id, s.x, s.y});
        for (const auto& r : s.routes) {
            double rate = r.services_per_hour;
            for (const auto& extra : brief.extra_services)
                if (extra.route == r.route) rate += extra.services_per_hour;
            after.routes.push_back({index, r.route, s.mode, rate});
        }
    }
    return after;
}

}  // namespace

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

BriefEvidence gather_evidence(const AssessmentInputs& in, const Brief& brief, const Parameters& p) {
    BriefEvidence e;
    const double catchment_m = p.get("assess_catchment_m");
    e.catchment_m = catchment_m;
    {
        OGRGeometryH rep = OGR_G_PointOnSurface(OGRGeometry::ToHandle(brief.site.get()));
        if (!rep) throw InputError({brief.file.string(), {}, {}, "site"}, "the site boundary has no point inside it");
        const OGRPoint* point = OGRGeometry::FromHandle(rep)->toPoint();
        e.site_x = point->getX();
        e.site_y = point->getY();
        OGR_G_DestroyGeometry(rep);
    }
    e.catchment.reset(catchment_m > 0 ? brief.site->Buffer(catchment_m, 16) : brief.site->clone());
    if (!e.catchment) throw InputError({brief.file.string(), {}, {}, "site"}, "the site's catchment cannot be drawn");
    OGREnvelope envelope;
    e.catchment->getEnvelope(&envelope);

    // ---- areas touching the catchment, each weighted by the population inside it
    const FeatureTable& areas = *in.areas;
    bool site_in_study = false;
    std::vector<std::pair<std::size_t, double>> weights;
    for (std::size_t r = 0; r < areas.features.size(); ++r) {
        const OGRGeometry* g = areas.features[r].geometry.get();
        if (!g || !envelopes_meet(in, envelope, g) || !g->Intersects(e.catchment.get())) continue;
        site_in_study = site_in_study || g->Intersects(brief.site.get());
        OGRGeometryUniquePtr part(g->Intersection(e.catchment.get()));
        const double share = in.area_m2[r] > 0 ? area_of(part.get()) / in.area_m2[r] : 0.0;
        if (share <= 0) continue;
        e.areas.push_back(r);
        e.area_share.push_back(share);
        const double population = number_at(areas.features[r], in.population).value_or(0.0);
        weights.emplace_back(r, population * share);
        e.residents += population * share;
    }
    if (!site_in_study)
        throw InputError({brief.file.string(), {}, {}, "site"},
                         "the site lies outside the study's areas (layer '" + areas.name + "'): is it in this study, and in its CRS?");
    {
        double covered = 0;
        for (std::size_t k = 0; k < e.areas.size(); ++k) covered += e.area_share[k] * in.area_m2[e.areas[k]];
        e.catchment_covered = area_of(e.catchment.get()) > 0 ? std::min(1.0, covered / area_of(e.catchment.get())) : 1.0;
    }
    e.imd_score = weighted_mean(areas, weights, in.imd_score).value_or(NAN);
    e.imd_decile = weighted_mean(areas, weights, in.imd_decile).value_or(NAN);
    e.health_score = weighted_mean(areas, weights, in.health_score).value_or(NAN);
    for (int h : in.health_indicators) e.health_indicators.push_back(weighted_mean(areas, weights, h).value_or(NAN));
    e.overcrowding = weighted_mean(areas, weights, in.overcrowding);
    if (in.census) {
        std::vector<std::pair<std::size_t, double>> census_weights;
        for (std::size_t r = 0; r < in.census->features.size(); ++r) {
            const OGRGeometry* g = in.census->features[r].geometry.get();
            if (!g || !envelopes_meet(in, envelope, g) || !g->Intersects(e.catchment.get())) continue;
            OGRGeometryUniquePtr part(g->Intersection(e.catchment.get()));
            const double share = in.census_area_m2[r] > 0 ? area_of(part.get()) / in.census_area_m2[r] : 0.0;
            census_weights.emplace_back(r, number_at(in.census->features[r], in.census_population).value_or(0.0) * share);
        }
        if (const auto v = weighted_mean(*in.census, census_weights, in.census_share)) e.bad_health_share = *v / 100.0;
    }
    if (in.pockets)
        for (const auto& f : in.pockets->features)
            if (f.geometry && f.geometry->Intersects(e.catchment.get()))
                e.pockets.push_back(in.pocket_name >= 0 ? value_text(f.values[static_cast<std::size_t>(in.pocket_name)])
                                                        : value_text(f.values[0]));

    // ---- air quality where the new homes will be: the area holding the site's point
    OGRPoint site_point(e.site_x, e.site_y);
    for (std::size_t r : e.areas)
        if (areas.features[r].geometry->Intersects(&site_point)) {
            e.site_no2 = number_at(areas.features[r], in.no2);
            e.site_pm25 = number_at(areas.features[r], in.pm25);
            break;
        }

    // ---- homes on the site today, and homes in the catchment
    if (in.housing) {
        // The homes in the catchment's envelope: a binary search on the homes sorted by
        // easting, then the northing; in the housing layer's order, so outputs are stable.
        std::vector<std::size_t> candidates;
        const auto first = std::lower_bound(in.homes_by_x.begin(), in.homes_by_x.end(), envelope.MinX,
                                            [&](std::uint32_t h, double x) { return in.homes.x[h] < x; });
        for (auto it = first; it != in.homes_by_x.end() && in.homes.x[*it] <= envelope.MaxX; ++it)
            if (in.homes.y[*it] >= envelope.MinY && in.homes.y[*it] <= envelope.MaxY) candidates.push_back(*it);
        std::sort(candidates.begin(), candidates.end());
        const PointSet near = subset(in.homes, candidates);
        const auto in_catchment = locate_points(near, {e.catchment.get()}, 1);
        const auto on_site = locate_points(near, {brief.site.get()}, 1);
        for (std::size_t k = 0; k < candidates.size(); ++k) {
            const std::size_t h = candidates[k];
            if (in_catchment[k] != kNoArea) e.catchment_homes.push_back(h);
            if (on_site[k] == kNoArea) continue;
            const Feature& f = in.housing->features[static_cast<std::size_t>(in.homes.source_row[h])];
            const double n = in.homes_weight[h];
            e.homes_on_site[static_cast<std::size_t>(tenure_of(value_text(f.values[static_cast<std::size_t>(in.housing_tenure)])))] += n;
            if (number_at(f, in.housing_cat1).value_or(0) > 0) e.cat1_homes_on_site += n;
            if (in.housing_epc >= 0) {
                const std::string band = value_text(f.values[static_cast<std::size_t>(in.housing_epc)]);
                if (band == "F" || band == "G" || band == "f" || band == "g") e.epc_fg_homes_on_site += n;
            }
        }
    }

    // ---- new residents: homes by tenure and size times the population yield
    e.yield_by_bedrooms = false;
    for (double b : brief.bedrooms) e.yield_by_bedrooms = e.yield_by_bedrooms || b > 0;
    const double total = brief.total_homes();
    for (Tenure t : kTenures) {
        const double homes = brief.homes[static_cast<std::size_t>(t)];
        if (!e.yield_by_bedrooms) {
            e.new_residents += homes * p.get("people_per_home");
            continue;
        }
        for (int k = 0; k < kBedroomClasses; ++k)
            e.new_residents += homes * (brief.bedrooms[static_cast<std::size_t>(k)] / total) * yield_of(p, k, t);
    }
    e.residents_leaving = brief.total_demolished() * p.get("people_per_home");

    // ---- GP practices in the catchment
    if (in.gp_practices) {
        e.has_gp = true;
        e.list_sizes = in.gp_patients >= 0;
        for (const auto& f : in.gp_practices->features)
            if (f.geometry && envelopes_meet(in, envelope, f.geometry.get()) && f.geometry->Intersects(e.catchment.get())) {
                ++e.practices;
                e.patients += number_at(f, in.gp_patients).value_or(0.0);
            }
    }

    // ---- green space: hectares inside the catchment, ANGSt's 2 ha within 300 m
    const PointSet homes_here = subset(in.homes, e.catchment_homes);
    std::vector<double> weight_here;
    for (std::size_t h : e.catchment_homes) weight_here.push_back(in.homes_weight[h]);
    const double existing_homes = [&] {
        double s = 0;
        for (double w : weight_here) s += w;
        return s;
    }();
    if (in.greenspace) {
        e.has_greenspace = true;
        for (std::size_t k = 0; k < in.accessible_sites.size(); ++k) {
            const OGRGeometry* g = in.greenspace->features[in.accessible_sites[k]].geometry.get();
            if (!envelopes_meet(in, envelope, g) || !g->Intersects(e.catchment.get())) continue;
            OGRGeometryUniquePtr part(g->Intersection(e.catchment.get()));
            e.green_ha += area_of(part.get()) / 10000.0;
            e.green_sites.push_back(in.accessible_sites[k]);
        }
        for (const auto& s : brief.open_space) {
            OGRGeometryUniquePtr part(s.shape->Intersection(e.catchment.get()));
            e.new_green_ha += area_of(part.get()) / 10000.0 * (s.area_m2 / std::max(area_of(s.shape.get()), 1e-9));
        }
        // Each ANGSt tier: homes with a site of at least `ha` within `reach`, before (as
        // computed once for every home) and after (also within reach of one of the brief's
        // spaces of that size); the new homes stand at the site's point.
        const OGRPoint site_point(e.site_x, e.site_y);
        for (std::size_t tier = 0; tier < kAngstTiers.size(); ++tier) {
            const double ha = kAngstTiers[tier].hectares, reach = p.get(kAngstTiers[tier].parameter);
            std::vector<const OGRGeometry*> added;
            for (const auto& s : brief.open_space)
                if (s.area_m2 >= ha * 10000.0) added.push_back(s.shape.get());
            auto near_any = [&](const OGRPoint& point, const std::vector<const OGRGeometry*>& sites) {
                for (const OGRGeometry* g : sites) {
                    const OGREnvelope env = envelope_of(in, g);
                    const double dx = std::max({env.MinX - point.getX(), 0.0, point.getX() - env.MaxX});
                    const double dy = std::max({env.MinY - point.getY(), 0.0, point.getY() - env.MaxY});
                    if (std::hypot(dx, dy) <= reach && g->Distance(&point) <= reach) return true;
                }
                return false;
            };
            const bool today_reach_changed = reach != in.tier_reach_today[tier];
            std::vector<char> before(e.catchment_homes.size()), after(e.catchment_homes.size());
            double n_before = 0, n_after = 0;
            for (std::size_t k = 0; k < e.catchment_homes.size(); ++k) {
                const std::size_t h = e.catchment_homes[k];
                const OGRPoint home(in.homes.x[h], in.homes.y[h]);
                before[k] = today_reach_changed ? near_any(home, in.tier_sites[tier]) : in.home_tier_today[tier][h];
                after[k] = before[k] || (!added.empty() && near_any(home, added));
                n_before += before[k] ? weight_here[k] : 0.0;
                n_after += after[k] ? weight_here[k] : 0.0;
            }
            const bool new_homes = near_any(site_point, in.tier_sites[tier]) || near_any(site_point, added);
            const double all_after = existing_homes + total;
            e.tier_share_before[tier] = existing_homes > 0 ? n_before / existing_homes : 0.0;
            e.tier_share_after[tier] = all_after > 0 ? (n_after + (new_homes ? total : 0.0)) / all_after : 0.0;
            if (tier == 0) {
                e.angst_before = std::move(before);
                e.angst_after = std::move(after);
                e.new_homes_angst = new_homes;
                e.angst_share_before = e.tier_share_before[0];
                e.angst_share_after = e.tier_share_after[0];
            }
        }
    }

    // ---- air quality where people live: the catchment's population-weighted means
    e.catchment_no2 = weighted_mean(areas, weights, in.no2);
    e.catchment_pm25 = weighted_mean(areas, weights, in.pm25);

    // ---- PTAL at the site and the homes, before and after the brief's transport changes
    if (in.transport) {
        e.has_transport = true;
        const PtalCalculator& before = *in.ptal_today;
        const bool changes = !brief.new_stops.empty() || !brief.extra_services.empty();
        const PtalNetwork after_network = changes ? network_after(*in.transport, brief) : PtalNetwork{};
        std::optional<PtalCalculator> changed;
        if (changes) changed.emplace(after_network.stops, after_network.routes, after_network.parameters);
        const PtalCalculator& after = changes ? *changed : before;
        e.site_ai_before = before.at(e.site_x, e.site_y).access_index;
        e.site_ai_after = after.at(e.site_x, e.site_y).access_index;
        double sum_before = 0, sum_after = 0;
        for (std::size_t k = 0; k < homes_here.size(); ++k) {
            const double today = in.home_ptal_today[e.catchment_homes[k]];
            e.home_ai_before.push_back(today);
            e.home_ai_after.push_back(changes ? after.at(homes_here.x[k], homes_here.y[k]).access_index : today);
            sum_before += weight_here[k] * e.home_ai_before.back();
            sum_after += weight_here[k] * e.home_ai_after.back();
        }
        e.homes_ai_before = existing_homes > 0 ? sum_before / existing_homes : e.site_ai_before;
        const double all_after = existing_homes + total;
        e.homes_ai_after = all_after > 0 ? (sum_after + total * e.site_ai_after) / all_after : e.site_ai_after;
        const PtalNetwork& network = changes ? after_network : *in.transport;
        for (std::size_t s = 0; s < network.stops.size(); ++s) {
            const bool station = s < in.stop_is_station.size()
                                     ? in.stop_is_station[s] != 0
                                     : std::any_of(network.routes.begin(), network.routes.end(), [&](const StopRoute& r) {
                                           return r.stop == s && r.mode != TransportMode::Bus;
                                       });
            if (!station) continue;
            const double d = std::hypot(network.stops[s].x - e.site_x, network.stops[s].y - e.site_y);
            if (!e.nearest_station_m || d < *e.nearest_station_m) {
                e.nearest_station_m = d;
                const auto named = in.stop_names.find(network.stops[s].stop_id);
                e.nearest_station = named != in.stop_names.end() && !named->second.empty()
                                        ? named->second + " (" + network.stops[s].stop_id + ")"
                                        : network.stops[s].stop_id;
            }
        }
    }
    return e;
}

Parameters brief_parameters(const Parameters& study, const Brief& brief) {
    Parameters p = study;
    for (const auto& [criterion, weight] : brief.weights) p.set("weight_" + criterion, weight);
    return p;
}

namespace {

ScoreMeasure measure(std::string id, std::string label, std::string unit, std::optional<double> baseline,
                     std::optional<double> proposal, std::string source) {
    ScoreMeasure m;
    m.id = std::move(id);
    m.label = std::move(label);
    m.unit = std::move(unit);
    m.baseline = baseline;
    m.proposal = proposal;
    m.source = std::move(source);
    return m;
}

std::optional<double> finite(double x) { return std::isfinite(x) ? std::optional<double>(x) : std::nullopt; }

CriterionScore need_criterion(const AssessmentInputs& in, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "need";
    c.title = "Need for health gain";
    c.score = std::isfinite(e.imd_decile) ? need_score(e.imd_decile) : 0.0;
    c.baseline_score = c.score;
    c.function = "100 x (10 - population-weighted IMD decile) / 9; rated as a level of need (red: high need)";
    const std::string layer = in.areas->name;
    auto m = measure("imd_score", "IMD 2019 score", "score (higher is more deprived)", finite(e.imd_score), finite(e.imd_score),
                     layer + "." + in.config.areas.imd_score);
    m.borough = finite(in.borough_imd_score);
    c.measures.push_back(m);
    m = measure("imd_decile", "IMD 2019 decile (1 = most deprived tenth of England)", "decile", finite(e.imd_decile),
                finite(e.imd_decile), layer + "." + in.config.areas.imd_decile);
    m.borough = finite(in.borough_imd_decile);
    m.england = 5.5;
    c.measures.push_back(m);
    m = measure("health_score", "Health Deprivation and Disability score", "score (England mean about 0; higher is worse)",
                finite(e.health_score), finite(e.health_score), layer + "." + in.config.areas.health_score);
    m.borough = finite(in.borough_health_score);
    m.england = 0.0;
    c.measures.push_back(m);
    for (std::size_t k = 0; k < in.health_indicators.size(); ++k) {
        const std::string& field = in.config.areas.health_indicators[k];
        m = measure(field, in.areas->fields[static_cast<std::size_t>(in.health_indicators[k])].description, "indicator",
                    finite(e.health_indicators[k]), finite(e.health_indicators[k]), layer + "." + field);
        m.borough = weighted_mean(*in.areas, every_row_by(*in.areas, in.population), in.health_indicators[k]);
        c.measures.push_back(m);
    }
    if (e.bad_health_share) {
        m = measure("bad_health_share", "Residents in bad or very bad health (Census 2021)", "%", 100.0 * *e.bad_health_share,
                    100.0 * *e.bad_health_share, in.census->name + "." + in.config.census_health.share);
        if (in.borough_bad_health) m.borough = 100.0 * *in.borough_bad_health;
        m.england = 100.0 * p.get("england_bad_health_share");
        c.measures.push_back(m);
    }
    m = measure("residents", "Residents of the catchment (apportioned by area)", "people", e.residents, e.residents,
                layer + "." + in.config.areas.population);
    m.is_count_of_people = true;
    c.measures.push_back(m);
    if (in.pockets)
        c.measures.push_back(measure("pockets", "Pockets of deprivation touching the catchment (hearth pockets)", "pockets",
                                     static_cast<double>(e.pockets.size()), static_cast<double>(e.pockets.size()),
                                     "deprivation_pockets"));
    std::string pockets;
    for (const auto& n : e.pockets) pockets += (pockets.empty() ? "" : "; ") + n;
    c.explanation = "About " + count_text(in, e.residents) + " people live within " + whole(p.get("assess_catchment_m")) +
                    " m of the site, in areas of mean IMD decile " + fmt(e.imd_decile) + " (the borough " +
                    fmt(in.borough_imd_decile) + ", England 5.5) and IMD score " + fmt(e.imd_score) + " (borough " +
                    fmt(in.borough_imd_score) + ")" +
                    (e.bad_health_share ? "; " + percent(*e.bad_health_share) + " are in bad or very bad health (England " +
                                              percent(p.get("england_bad_health_share")) + ")"
                                        : std::string()) +
                    ". " +
                    (in.pockets ? (e.pockets.empty() ? std::string("No pocket of deprivation touches the catchment. ")
                                                     : std::to_string(e.pockets.size()) + " pocket(s) of deprivation touch it: " +
                                                           pockets + ". ")
                                : std::string()) +
                    "Need scores " + fmt(c.score, 0) + " of 100 and does not change with the proposal; it raises the weights of "
                    "housing and health infrastructure by " +
                    fmt(p.get("need_weight_uplift") * c.score, 0) + "%.";
    return c;
}

CriterionScore housing_criterion(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "housing";
    c.title = "Affordable and social-rent homes";
    const double target = p.get(brief.public_land ? "affordable_target_share_public_land" : "affordable_target_share");
    const double total = brief.total_homes();
    const double share = total > 0 ? brief.affordable_homes() / total : 0.0;
    const double social_new = brief.homes[0], social_gone = brief.demolished[0];
    const double net_social = social_new - social_gone;
    c.score = housing_score(share, target, net_social, social_gone);
    c.function = "60 x min(1, affordable share / target " + percent(target) +
                 ") + 40 x social-rent re-provision (1 when no net loss of social-rent homes, else 1 + net change / demolished)";
    double on_site = 0;
    for (double h : e.homes_on_site) on_site += h;
    const double existing_affordable = e.homes_on_site[0] + e.homes_on_site[1] + e.homes_on_site[2];
    if (on_site > 0) c.baseline_score = housing_score(existing_affordable / on_site, target, 0, 0);
    const std::string housing = in.housing ? in.housing->name : "the brief";
    // Homes kept on the site are those the housing layer holds there less those demolished
    // (never below 0: a housing layer may not hold every home the brief knows of).
    auto m = measure("homes", "Homes on the site", "homes", on_site, std::max(0.0, on_site - brief.total_demolished()) + total,
                     housing + " (baseline); the brief (proposal)");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    c.measures.push_back(measure("affordable_share", "Affordable homes (share of homes)", "%",
                                 on_site > 0 ? std::optional<double>(100.0 * existing_affordable / on_site) : std::nullopt,
                                 100.0 * share, "the brief; target London Plan H5"));
    m = measure("social_rent_homes", "Social-rent homes on the site", "homes", e.homes_on_site[0],
                std::max(0.0, e.homes_on_site[0] - social_gone) + social_new,
                housing + "; the brief");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    m = measure("net_social_rent", "Net change in social-rent homes (built less demolished)", "homes", 0.0, net_social, "the brief");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    if (in.housing_cat1 >= 0) {
        m = measure("cat1_homes_on_site", "Homes on the site with HHSRS Category 1 hazards", "homes", e.cat1_homes_on_site,
                    brief.total_demolished() > 0 ? std::max(0.0, e.cat1_homes_on_site - brief.total_demolished()) : e.cat1_homes_on_site,
                    housing + "." + in.config.housing.cat1);
        m.is_count_of_people = true;
        c.measures.push_back(m);
    }
    if (in.housing_epc >= 0) {
        m = measure("epc_fg_homes_on_site", "Homes on the site rated EPC F or G", "homes", e.epc_fg_homes_on_site,
                    brief.total_demolished() > 0 ? std::max(0.0, e.epc_fg_homes_on_site - brief.total_demolished()) : e.epc_fg_homes_on_site,
                    housing + "." + in.config.housing.epc);
        m.is_count_of_people = true;
        c.measures.push_back(m);
    }
    if (e.overcrowding) {
        m = measure("overcrowding", "Overcrowded households in the catchment (IoD2019 indicator)", "share", e.overcrowding,
                    e.overcrowding, in.areas->name + "." + in.config.areas.overcrowding);
        m.borough = in.borough_overcrowding;
        c.measures.push_back(m);
    }
    c.explanation = "The brief proposes " + count_text(in, total) + " homes, " + percent(share) + " of them affordable against a target of " +
                    percent(target) + (brief.public_land ? " (public land)" : "") + ", with " + count_text(in, social_new) +
                    " at social rent. It demolishes " + count_text(in, brief.total_demolished()) + " homes, " + count_text(in, social_gone) +
                    " of them at social rent, so social-rent homes change by " + (net_social >= 0 ? "+" : "-") + count_text(in, std::fabs(net_social)) +
                    "." +
                    (e.cat1_homes_on_site > 0 || e.epc_fg_homes_on_site > 0
                         ? " The site holds " + count_text(in, e.cat1_homes_on_site) + " homes with Category 1 hazards and " +
                               count_text(in, e.epc_fg_homes_on_site) + " rated EPC F or G today."
                         : std::string()) +
                    " Score " + fmt(c.score, 0) + " = 60 x " + fmt(std::min(1.0, target > 0 ? share / target : 1.0), 2) +
                    " + 40 x re-provision " +
                    fmt(net_social >= 0 ? 1.0 : (social_gone > 0 ? std::max(0.0, 1 + net_social / social_gone) : 0.0), 2) + ".";
    return c;
}

CriterionScore health_criterion(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "health_infrastructure";
    c.title = "GP capacity for new residents";
    const double per_gp = p.get("patients_per_gp");
    const double net_new = std::max(0.0, e.new_residents - e.residents_leaving);
    const double rooms = brief.gp_consulting_rooms + brief.health_floorspace_m2 / p.get("health_floorspace_m2_per_consulting_room");
    const double added = rooms * p.get("gp_fte_per_consulting_room");
    const double needed = net_new / per_gp;
    c.score = health_infrastructure_score(needed, added);
    c.function = "100 x min(1, GP FTE added / GP FTE the net new residents need at " + whole(per_gp) + " patients per GP)";
    auto m = measure("new_residents", "New residents (population yield)", "people", 0.0, e.new_residents,
                     e.yield_by_bedrooms ? "yield_* parameters by bedrooms and tenure" : "people_per_home");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    m = measure("net_new_residents", "Net new residents (less those of demolished homes)", "people", 0.0, net_new,
                "yield less demolished homes x people_per_home");
    m.is_count_of_people = true;
    c.measures.push_back(m);
    if (e.has_gp) {
        c.measures.push_back(measure("practices", "GP practices in the catchment", "practices", e.practices, e.practices,
                                     in.gp_practices->name));
        if (e.list_sizes) {
            m = measure("registered_patients", "Patients registered at those practices", "people", e.patients,
                        e.patients + net_new, in.gp_practices->name + "." + in.config.access.gp_patients);
            m.is_count_of_people = true;
            c.measures.push_back(m);
            c.measures.push_back(measure("gp_fte_needed", "Full-time GPs those patients need", "GP FTE", e.patients / per_gp,
                                         (e.patients + net_new) / per_gp, "patients / patients_per_gp"));
        }
    }
    c.measures.push_back(measure("gp_fte_added", "GP capacity the brief adds", "GP FTE", 0.0, added,
                                 "consulting rooms x gp_fte_per_consulting_room"));
    c.explanation = "The brief's homes house about " + count_text(in, e.new_residents) + " people (" +
                    (e.yield_by_bedrooms ? "population yield by bedrooms and tenure" : "no bedroom mix given: people_per_home") +
                    "), " + count_text(in, net_new) + " more than the demolished homes held; at " + whole(per_gp) +
                    " patients per GP they need " + fmt(needed, 1) + " full-time GPs. It adds " + fmt(rooms, 0) +
                    " consulting rooms, about " + fmt(added, 1) + " GPs." +
                    (e.has_gp && e.list_sizes ? " The " + std::to_string(e.practices) + " practices in the catchment hold " +
                                                    count_text(in, e.patients) + " patients today, the work of " + fmt(e.patients / per_gp, 1) +
                                                    " full-time GPs at the benchmark."
                                              : std::string()) +
                    " The study has no GP workforce (FTE) figures, so 'GPs needed' is a need at the benchmark ratio, not a "
                    "measured shortfall.";
    return c;
}

CriterionScore open_space_criterion(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "open_space";
    c.title = "Accessible green space";
    const double standard = p.get("greenspace_ha_per_1000_standard");
    const double net_new = e.new_residents - e.residents_leaving;
    const double before = e.residents > 0 ? e.green_ha / e.residents * 1000.0 : 0.0;
    const double residents_after = e.residents + net_new;
    const double after = residents_after > 0 ? (e.green_ha + e.new_green_ha) / residents_after * 1000.0 : 0.0;
    c.score = open_space_score(after, standard, e.angst_share_after);
    c.baseline_score = open_space_score(before, standard, e.angst_share_before);
    c.function = "50 x min(1, ha per 1,000 residents / " + fmt(standard, 1) +
                 ") + 50 x share of homes with a 2 ha site within " + whole(p.get("angst_2ha_within_m")) + " m";
    const std::string layer = in.greenspace ? in.greenspace->name : "no green space layer";
    c.measures.push_back(measure("green_ha", "Accessible green space in the catchment", "ha", e.green_ha, e.green_ha + e.new_green_ha,
                                 layer + "; the brief's open_space"));
    auto m = measure("ha_per_1000", "Accessible green space per 1,000 residents", "ha per 1,000", before, after, layer);
    m.england = standard;  // the standard, shown beside it
    c.measures.push_back(m);
    for (std::size_t tier = 0; tier < kAngstTiers.size(); ++tier) {
        const auto& t = kAngstTiers[tier];
        c.measures.push_back(measure(t.id, std::string("Homes with a ") + t.label + " (ANGSt)", "%", 100.0 * e.tier_share_before[tier],
                                     100.0 * e.tier_share_after[tier], layer + "; " + (in.housing ? in.housing->name : "")));
    }
    double added_m2 = 0;
    for (const auto& s : brief.open_space) added_m2 += s.area_m2;
    c.explanation = "The catchment holds " + fmt(e.green_ha, 1) + " ha of publicly accessible green space for about " +
                    count_text(in, e.residents) + " residents, " + fmt(before, 2) + " ha per 1,000 against Natural England's " +
                    fmt(standard, 1) + ". The brief adds " + fmt(added_m2 / 10000.0, 2) + " ha and " + count_text(in, net_new) +
                    " net residents: " + fmt(after, 2) + " ha per 1,000. Homes with a 2 ha site within 300 m: " +
                    percent(e.angst_share_before) + " before, " + percent(e.angst_share_after) + " after" +
                    (e.new_homes_angst ? " (the new homes have one)." : " (the new homes do not).") +
                    (e.has_greenspace ? std::string() : " The study has no green space layer.");
    return c;
}

CriterionScore travel_criterion(const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "active_travel";
    c.title = "Public transport and active travel";
    const double full = p.get("ptal_score_full_access_index");
    c.score = active_travel_score(e.site_ai_after, full);
    c.baseline_score = active_travel_score(e.site_ai_before, full);
    c.function = "100 x min(1, PTAL access index at the site / " + fmt(full, 0) + ")";
    c.measures.push_back(measure("site_access_index", "PTAL access index at the site", "access index", e.site_ai_before,
                                 e.site_ai_after, "PTAL (TfL method) from the study's stops and frequencies"));
    c.measures.push_back(measure("site_ptal_band_index", "PTAL band at the site (0 = 0, 1 = 1a, ... 8 = 6b)", "band",
                                 ptal_band_index(e.site_ai_before), ptal_band_index(e.site_ai_after), "TfL band bounds"));
    c.measures.push_back(measure("homes_access_index", "Mean PTAL access index of the catchment's homes", "access index",
                                 e.homes_ai_before, e.homes_ai_after, "every home in the catchment and the new homes"));
    if (e.nearest_station_m)
        c.measures.push_back(measure("nearest_station_m", "Straight-line distance to the nearest station", "m", e.nearest_station_m,
                                     e.nearest_station_m, "station " + e.nearest_station));
    c.explanation = "PTAL at the site is " + ptal_band(e.site_ai_before) + " (access index " + fmt(e.site_ai_before) +
                    ") today and " + ptal_band(e.site_ai_after) + " (" + fmt(e.site_ai_after) +
                    ") with the brief's transport changes" +
                    (e.nearest_station_m ? "; the nearest station (" + e.nearest_station + ") is " + whole(*e.nearest_station_m) +
                                               " m away in a straight line"
                                         : std::string()) +
                    ". Walks are straight lines, not street routes." +
                    (e.has_transport ? std::string() : " The study has no public transport layers: PTAL is 0.");
    return c;
}

CriterionScore air_criterion(const AssessmentInputs& in, const BriefEvidence& e, const Parameters& p) {
    CriterionScore c;
    c.id = "air_quality";
    c.title = "Air quality where people will live";
    c.function = "mean over NO2 and PM2.5 of 100 x (UK limit - concentration) / (UK limit - WHO guideline), clamped to 0-100";
    if (!e.site_no2 || !e.site_pm25) {
        c.score = 0;
        c.explanation = "The study has no NO2 and PM2.5 layer for the site, so air quality is not scored (weight 0).";
        return c;
    }
    const double no2_limit = p.get("no2_limit_ugm3"), no2_who = p.get("no2_guideline_ugm3");
    const double pm_limit = p.get("pm25_limit_ugm3"), pm_who = p.get("pm25_guideline_ugm3");
    try {
        c.score = air_quality_score(*e.site_no2, *e.site_pm25, no2_who, no2_limit, pm_who, pm_limit);
    } catch (const std::invalid_argument& ex) {
        throw InputError({{}, {}, {}, "parameters"}, ex.what());
    }
    c.baseline_score = c.score;
    auto m = measure("no2", "NO2 annual mean at the site (LAEI 2019)", "ug/m3", e.site_no2, e.site_no2,
                     in.areas->name + "." + in.config.areas.no2);
    m.borough = in.borough_no2;
    c.measures.push_back(m);
    m = measure("pm25", "PM2.5 annual mean at the site (LAEI 2019)", "ug/m3", e.site_pm25, e.site_pm25,
                in.areas->name + "." + in.config.areas.pm25);
    m.borough = in.borough_pm25;
    c.measures.push_back(m);
    if (e.catchment_no2) {
        m = measure("no2_catchment", "NO2 annual mean where the catchment's residents live (population-weighted)", "ug/m3",
                    e.catchment_no2, e.catchment_no2, in.areas->name + "." + in.config.areas.no2);
        c.measures.push_back(m);
    }
    if (e.catchment_pm25) {
        m = measure("pm25_catchment", "PM2.5 annual mean where the catchment's residents live (population-weighted)", "ug/m3",
                    e.catchment_pm25, e.catchment_pm25, in.areas->name + "." + in.config.areas.pm25);
        c.measures.push_back(m);
    }
    c.explanation = "NO2 at the site averages " + fmt(*e.site_no2) + " ug/m3 (UK limit " + fmt(no2_limit, 0) + ", WHO " +
                    fmt(no2_who, 0) + ") and PM2.5 " + fmt(*e.site_pm25) + " ug/m3 (UK limit " + fmt(pm_limit, 0) + ", WHO " +
                    fmt(pm_who, 0) + "), the modelled means of the area holding the site. The brief does not change them; "
                    "the score says how exposed the new homes will be.";
    return c;
}

}  // namespace

BriefScorecard score_evidence(const AssessmentInputs& in, const Brief& brief, const BriefEvidence& e, const Parameters& p) {
    BriefScorecard s;
    s.name = brief.name;
    s.file = brief.file.string();
    s.description = brief.description;
    s.notes = brief.notes;
    if (e.catchment_covered < 0.98)
        s.notes.push_back(fmt(100.0 * (1.0 - e.catchment_covered), 0) + "% of the catchment lies outside the study's areas (layer '" +
                          in.areas->name + "'): its residents, need and green space are those of the part inside");
    if (in.housing) {
        double on_site = 0;
        for (double h : e.homes_on_site) on_site += h;
        if (brief.total_demolished() > on_site + 0.5)
            s.notes.push_back("the brief demolishes " + whole(brief.total_demolished()) + " homes, but the housing layer '" +
                              in.housing->name + "' holds " + whole(on_site) + " on the site: check the boundary or the stock");
    }
    s.criteria.push_back(need_criterion(in, e, p));
    s.criteria.push_back(housing_criterion(in, brief, e, p));
    s.criteria.push_back(health_criterion(in, brief, e, p));
    s.criteria.push_back(open_space_criterion(in, brief, e, p));
    s.criteria.push_back(travel_criterion(e, p));
    s.criteria.push_back(air_criterion(in, e, p));
    const double need = s.criteria[0].score;
    for (auto& c : s.criteria) {
        c.base_weight = p.get("weight_" + c.id);
        c.weight = weight_after_need(c.id, c.base_weight, need, p.get("need_weight_uplift"));
        if (c.id == "air_quality" && (!e.site_no2 || !e.site_pm25)) c.weight = 0;
        c.rag = rag_rating(c.score, p.get("rag_green_min_score"), p.get("rag_amber_min_score"));
        // Need is not the brief's performance: its rating reads as the level of need, red
        // where need is high, so that a high-need place is never shown green.
        if (c.id == "need") c.rag = c.rag == "green" ? "red" : c.rag == "red" ? "green" : c.rag;
    }
    s.total = weighted_total(s.criteria);
    std::vector<CriterionScore> before = s.criteria;
    for (auto& c : before) c.score = c.baseline_score.value_or(c.score);
    s.baseline_total = weighted_total(before);

    auto programme = [&](std::string id, std::string label, double value, std::string unit = "homes") {
        ScoreMeasure m;
        m.id = std::move(id);
        m.label = std::move(label);
        m.unit = std::move(unit);
        m.proposal = value;
        m.is_count_of_people = m.unit == "homes" || m.unit == "people";
        s.programme.push_back(m);
    };
    for (Tenure t : kTenures)
        programme(std::string("homes_") + tenure_key(t), std::string("Homes: ") + tenure_label(t), brief.homes[static_cast<std::size_t>(t)]);
    programme("homes_total", "Homes proposed", brief.total_homes());
    programme("homes_demolished", "Homes demolished", brief.total_demolished());
    double reprovided = 0;
    for (double r : brief.reprovided) reprovided += r;
    programme("homes_reprovided", "Of the new homes, re-providing demolished ones", reprovided);
    double open = 0;
    for (const auto& o : brief.open_space) open += o.area_m2;
    programme("open_space_m2", "Public open space added", open, "m2");
    programme("gp_consulting_rooms", "GP consulting rooms added",
              brief.gp_consulting_rooms + brief.health_floorspace_m2 / p.get("health_floorspace_m2_per_consulting_room"), "rooms");
    programme("new_stops", "New stops or stations", static_cast<double>(brief.new_stops.size()), "stops");
    programme("new_residents", "New residents (yield)", e.new_residents, "people");
    for (const auto& [year, homes] : brief.phasing)
        programme("completed_" + std::to_string(year), "Homes completed in " + std::to_string(year), homes);
    return s;
}

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

AssessmentLayers assessment_layers(const AssessmentInputs& in, const std::vector<const Brief*>& briefs,
                                   const std::vector<const BriefEvidence*>& evidence,
                                   const std::vector<const BriefScorecard*>& scorecards) {
    AssessmentLayers l;
    auto frame = [&](FeatureTable& t, const std::string& name, const std::string& description, OGRwkbGeometryType type,
                     std::vector<FieldDefinition> fields) {
        t.name = name;
        t.description = description;
        t.geometry_type = type;
        t.crs = in.areas->crs;
        t.fields.push_back({"brief", FieldType::String, "the brief's name"});
        for (auto& f : fields) t.fields.push_back(std::move(f));
        t.illustrative_inputs = in.illustrative_inputs;
    };
    frame(l.sites, "site", "Each brief's site boundary with its total score", wkbMultiPolygon,
          {{"total", FieldType::Real, "the brief's total score, 0-100 (weighted mean of the criteria)"},
           {"baseline_total", FieldType::Real, "the same criteria scored before the brief, 0-100"},
           {"homes", FieldType::Real, "homes proposed"},
           {"affordable_share", FieldType::Real, "affordable share of the homes proposed, 0-1"}});
    frame(l.catchments, "catchment", "Each brief's catchment: the site buffered by assess_catchment_m", wkbMultiPolygon,
          {{"catchment_m", FieldType::Real, "buffer distance, metres"},
           {"residents", FieldType::Real, "residents, apportioned by area"},
           {"imd_decile", FieldType::Real, "population-weighted IMD decile (1 = most deprived)"}});
    frame(l.catchment_areas, "catchment_areas", "The areas touching each brief's catchment with their need indicators",
          wkbMultiPolygon,
          {{"area_id", FieldType::String, "area code"},
           {"area_name", FieldType::String, "area name"},
           {"share_in_catchment", FieldType::Real, "share of the area inside the catchment, 0-1"},
           {"population", FieldType::Real, "the area's population"},
           {"imd_score", FieldType::Real, "IMD score (higher is more deprived)"},
           {"imd_decile", FieldType::Integer, "IMD decile (1 = most deprived tenth of England)"},
           {"health_score", FieldType::Real, "Health Deprivation and Disability score (higher is worse)"}});
    frame(l.homes, "catchment_homes", "Homes in each brief's catchment with PTAL and ANGSt before and after the brief", wkbPoint,
          {{"source_row", FieldType::Integer, "row of the housing layer"},
           {"homes", FieldType::Real, "homes at the point"},
           {"ptal_ai_before", FieldType::Real, "PTAL access index today"},
           {"ptal_before", FieldType::String, "PTAL band today"},
           {"ptal_ai_after", FieldType::Real, "PTAL access index with the brief's transport changes"},
           {"ptal", FieldType::String, "PTAL band with the brief's transport changes"},
           {"angst_2ha_before", FieldType::Integer, "1: a 2 ha accessible site within 300 m today"},
           {"angst_2ha_after", FieldType::Integer, "1: a 2 ha accessible site within 300 m after the brief"}});
    frame(l.new_open_space, "new_open_space", "Public open space each brief adds (a disc of its area where no shape was given)",
          wkbMultiPolygon,
          {{"name", FieldType::String, "name"},
           {"area_m2", FieldType::Real, "publicly accessible area, m2"},
           {"shape_given", FieldType::Integer, "1: the brief drew the shape; 0: a disc of its area stands in"}});
    frame(l.new_stops, "new_stops", "Stops and stations each brief adds", wkbPoint,
          {{"stop_id", FieldType::String, "stop id"},
           {"mode", FieldType::String, "mode"},
           {"routes", FieldType::String, "routes calling (services per hour)"}});
    frame(l.greenspace, "catchment_greenspace", "Publicly accessible green space touching each brief's catchment", wkbMultiPolygon,
          {{"site_id", FieldType::String, "green space id"},
           {"hectares", FieldType::Real, "the site's area, ha"}});

    auto multi = [](const OGRGeometry* g) -> OGRGeometryUniquePtr {
        if (!g) return nullptr;
        return OGRGeometryUniquePtr(OGRGeometryFactory::forceToMultiPolygon(g->clone()));
    };
    const int site_id = in.greenspace ? in.greenspace->field_index(in.config.access.greenspace_id) : -1;
    for (std::size_t b = 0; b < briefs.size(); ++b) {
        const Brief& brief = *briefs[b];
        const BriefEvidence& e = *evidence[b];
        const BriefScorecard& s = *scorecards[b];
        std::int64_t row = 0;
        auto add = [&](FeatureTable& t, std::vector<FieldValue> values, OGRGeometryUniquePtr g) {
            Feature f;
            f.source_row = ++row;
            f.values.push_back(brief.name);
            for (auto& v : values) f.values.push_back(std::move(v));
            f.geometry = std::move(g);
            t.features.push_back(std::move(f));
        };
        const double total = brief.total_homes();
        add(l.sites, {s.total, s.baseline_total ? FieldValue{*s.baseline_total} : FieldValue{}, total,
                      total > 0 ? FieldValue{brief.affordable_homes() / total} : FieldValue{}},
            multi(brief.site.get()));
        add(l.catchments, {e.catchment_m, e.residents, std::isfinite(e.imd_decile) ? FieldValue{e.imd_decile} : FieldValue{}},
            multi(e.catchment.get()));
        for (std::size_t k = 0; k < e.areas.size(); ++k) {
            const Feature& a = in.areas->features[e.areas[k]];
            auto v = [&](int field) { return field >= 0 ? a.values[static_cast<std::size_t>(field)] : FieldValue{}; };
            const auto decile = number_at(a, in.imd_decile);
            add(l.catchment_areas, {v(in.area_id), v(in.area_name), e.area_share[k], v(in.population), v(in.imd_score),
                                    decile ? FieldValue{static_cast<std::int64_t>(std::lround(*decile))} : FieldValue{},
                                    v(in.health_score)},
                multi(a.geometry.get()));
        }
        for (std::size_t k = 0; k < e.catchment_homes.size(); ++k) {
            const std::size_t h = e.catchment_homes[k];
            const bool ptal = k < e.home_ai_before.size();
            const bool green = k < e.angst_before.size();
            add(l.homes, {FieldValue{static_cast<std::int64_t>(in.homes.source_row[h] + 1)}, in.homes_weight[h],
                          ptal ? FieldValue{e.home_ai_before[k]} : FieldValue{},
                          ptal ? FieldValue{ptal_band(e.home_ai_before[k])} : FieldValue{},
                          ptal ? FieldValue{e.home_ai_after[k]} : FieldValue{},
                          ptal ? FieldValue{ptal_band(e.home_ai_after[k])} : FieldValue{},
                          green ? FieldValue{std::int64_t{e.angst_before[k] ? 1 : 0}} : FieldValue{},
                          green ? FieldValue{std::int64_t{e.angst_after[k] ? 1 : 0}} : FieldValue{}},
                OGRGeometryUniquePtr(new OGRPoint(in.homes.x[h], in.homes.y[h])));
        }
        for (const auto& o : brief.open_space)
            add(l.new_open_space, {o.name, o.area_m2, std::int64_t{o.shape_given ? 1 : 0}}, multi(o.shape.get()));
        for (const auto& st : brief.new_stops) {
            std::string routes;
            for (const auto& r : st.routes) routes += (routes.empty() ? "" : ", ") + r.route + " (" + fmt(r.services_per_hour, 1) + "/h)";
            add(l.new_stops, {st.id, std::string(transport_mode_name(st.mode)), routes}, OGRGeometryUniquePtr(new OGRPoint(st.x, st.y)));
        }
        for (std::size_t s_index : e.green_sites) {
            const Feature& g = in.greenspace->features[s_index];
            add(l.greenspace, {site_id >= 0 ? g.values[static_cast<std::size_t>(site_id)] : FieldValue{},
                               area_of(g.geometry.get()) / 10000.0},
                multi(g.geometry.get()));
        }
    }
    return l;
}

}  // namespace hearth
