// What a brief's catchment holds, before and after the brief.
#include "hearth/analysis/assess/brief_assessment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include <ogr_api.h>

#include "hearth/analysis/assess/assess_support.hpp"
#include "hearth/analysis/assess/criterion_scoring.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/geometry/nearest.hpp"
#include "hearth/geometry/point_location.hpp"

namespace hearth {

using namespace assess_detail;

namespace {

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

}  // namespace hearth
