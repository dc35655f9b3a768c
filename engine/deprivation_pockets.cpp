#include "hearth/deprivation_pockets.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "hearth/errors.hpp"
#include "hearth/geos_context.hpp"
#include "hearth/point_count.hpp"
#include "hearth/point_location.hpp"
#include "hearth/point_set.hpp"

namespace hearth {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class Kind { Any, Numeric };

int field(const FeatureTable& t, const std::string& name, const char* role, Kind kind = Kind::Numeric) {
    const int i = t.field_index(name);
    if (i < 0) throw InputError({t.source, t.name, {}, name}, std::string("no such field (") + role + ")");
    if (kind == Kind::Numeric && t.fields[i].type == FieldType::String)
        throw InputError({t.source, t.name, {}, name}, std::string("expected a numeric field (") + role + "), found text");
    return i;
}

FieldValue maybe(double v) { return std::isfinite(v) ? FieldValue{v} : FieldValue{}; }

/// Mitred joins keep square corners square (a round buffer would shave them).
GEOSGeometry* mitred_buffer(GeosContext& geos, const GEOSGeometry* g, double width) {
    return GEOSBufferWithStyle_r(geos.handle(), g, width, 2, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 5.0);
}

/// Union of neighbouring areas. Generalised boundaries leave hairline gaps between
/// neighbours, so each part is grown by the contiguity tolerance before the union and
/// the result shrunk back by it (a morphological closing), which closes the gaps without
/// moving the outer boundary by more than float noise.
OGRGeometryUniquePtr dissolve(const std::vector<const OGRGeometry*>& parts, double tolerance_m) {
    GeosContext geos;
    std::vector<GEOSGeometry*> members;
    for (const auto* p : parts) {
        GeosGeometry g = to_geos(geos, *p);
        if (tolerance_m > 0) g = GeosGeometry(geos.handle(), mitred_buffer(geos, g.get(), tolerance_m));
        members.push_back(g.release());
    }
    GeosGeometry collection(geos.handle(), GEOSGeom_createCollection_r(geos.handle(), GEOS_GEOMETRYCOLLECTION,
                                                                       members.data(), static_cast<unsigned>(members.size())));
    GeosGeometry merged(geos.handle(), GEOSUnaryUnion_r(geos.handle(), collection.get()));
    if (merged && tolerance_m > 0) merged = GeosGeometry(geos.handle(), mitred_buffer(geos, merged.get(), -tolerance_m));
    if (!merged) throw std::runtime_error("GEOS could not dissolve a pocket: " + geos.take_last_error());
    OGRGeometryUniquePtr out = to_ogr(geos, merged.get());
    return OGRGeometryUniquePtr(OGRGeometryFactory::forceToMultiPolygon(out.release()));
}

struct Ranked {
    std::size_t area;
    double value;
};

}  // namespace

bool is_lsoa2021_only_code(const std::string& code) {
    if (code.size() != 9 || code.compare(0, 3, "E01") != 0) return false;
    if (!std::all_of(code.begin() + 3, code.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
    return std::stol(code.substr(3)) > 33768;
}

PocketResult find_pockets(const PocketInputs& in, const PocketOptions& o) {
    const FeatureTable& areas = *in.areas;
    const int id = field(areas, in.area_id, "area id", Kind::Any);
    const int indicator = field(areas, in.indicator, "indicator");
    const int decile_field = in.decile.empty() ? -1 : field(areas, in.decile, "decile");
    const int population_field = in.population.empty() ? -1 : field(areas, in.population, "population");
    std::vector<int> health;
    for (const auto& h : in.health) health.push_back(field(areas, h, "health indicator"));
    if (o.methods.masked && population_field < 0 && !o.area_weighting)
        throw InputError({areas.source, areas.name, {}, in.population.empty() ? "population" : in.population},
                         "masked pockets weight by population: give a population field, or ask for area weighting");
    if (o.methods.masked && !in.within)
        throw InputError({areas.source, areas.name, {}, {}}, "masked pockets need the wards or authorities containing the areas");

    PocketResult result;
    const std::size_t n_all = areas.features.size();

    // Areas with a value; the rest are listed and left out.
    std::vector<std::size_t> kept;
    std::vector<std::string> excluded;
    for (std::size_t a = 0; a < n_all; ++a) {
        const auto v = value_number(areas.features[a].values[indicator]);
        if (v && std::isfinite(*v) && areas.features[a].geometry) kept.push_back(a);
        else excluded.push_back(value_text(areas.features[a].values[id]));
    }
    if (!excluded.empty()) {
        std::string list;
        for (std::size_t i = 0; i < excluded.size() && i < 10; ++i) list += (i ? ", " : "") + excluded[i];
        result.notes.push_back(std::to_string(excluded.size()) + " areas have no value of " + in.indicator +
                               " and are left out: " + list + (excluded.size() > 10 ? ", ..." : ""));
    }
    if (kept.size() < 3) throw InputError({areas.source, areas.name, {}, in.indicator}, "fewer than 3 areas have a value");
    std::size_t vintage = 0;
    std::string vintage_example;
    for (std::size_t a : kept)
        if (is_lsoa2021_only_code(value_text(areas.features[a].values[id]))) {
            if (!vintage++) vintage_example = value_text(areas.features[a].values[id]);
        }
    if (vintage) {
        std::string lower = in.indicator;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.notes.push_back(std::to_string(vintage) + " area codes exist only in the 2021 LSOAs (e.g. " + vintage_example +
                               ")" + (lower.find("imd") != std::string::npos
                                          ? ": IMD 2019 uses 2011 codes, so these values cannot be IMD 2019's"
                                          : "; check the indicator uses the same LSOA vintage"));
    }

    const std::size_t n = kept.size();
    std::vector<double> y(n), weight(n);  // y oriented so that higher is more deprived
    std::vector<const OGRGeometry*> shapes(n);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& f = areas.features[kept[k]];
        const double v = *value_number(f.values[indicator]);
        y[k] = o.higher_is_worse ? v : -v;
        shapes[k] = f.geometry.get();
        weight[k] = population_field >= 0 ? value_number(f.values[population_field]).value_or(kNaN)
                                          : f.geometry->toMultiPolygon()->get_Area();
        if (!std::isfinite(weight[k]) || weight[k] < 0)
            throw InputError({areas.source, areas.name, f.source_row, population_field >= 0 ? in.population : "area"},
                             "population must be a non-negative number");
    }

    // Deciles: the published national one, else ranked within these areas (1 = most deprived).
    std::vector<int> decile(n);
    if (decile_field >= 0) {
        for (std::size_t k = 0; k < n; ++k) {
            const auto d = value_number(areas.features[kept[k]].values[decile_field]);
            if (!d || *d < 1 || *d > 10)
                throw InputError({areas.source, areas.name, areas.features[kept[k]].source_row, in.decile},
                                 "expected a decile from 1 to 10");
            decile[k] = static_cast<int>(*d);
        }
    } else {
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return y[a] > y[b]; });
        for (std::size_t r = 0; r < n; ++r) decile[order[r]] = static_cast<int>(r * 10 / n) + 1;
        result.notes.push_back("deciles of " + in.indicator + " ranked within the " + std::to_string(n) +
                               " areas given (national deciles need national data or a decile field)");
    }

    const SpatialWeights w = contiguity_weights(shapes, o.contiguity, o.tolerance_m, o.permutations.workers);
    if (const auto islands = w.islands(); !islands.empty()) {
        std::string list;
        for (std::size_t i = 0; i < islands.size() && i < 10; ++i)
            list += (i ? ", " : "") + value_text(areas.features[kept[islands[i]]].values[id]);
        result.notes.push_back(std::to_string(islands.size()) + " areas have no neighbour (islands; no local statistic): " + list);
    }

    // Masked pockets: each area's containing ward by its point on surface.
    std::vector<std::int32_t> ward(n, kNoArea);
    std::vector<double> ward_mean(n, kNaN);
    if (in.within) {
        field(*in.within, in.within_id, "within id", Kind::Any);
        PointSet inside;
        for (std::size_t k = 0; k < n; ++k) {
            OGRGeometryUniquePtr p(OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(shapes[k])))));
            inside.x.push_back(p->toPoint()->getX());
            inside.y.push_back(p->toPoint()->getY());
            inside.source_row.push_back(static_cast<std::int64_t>(k));
        }
        std::vector<const OGRGeometry*> wards;
        for (const auto& f : in.within->features) wards.push_back(f.geometry.get());
        ward = locate_points(inside, wards, o.permutations.workers);
        std::vector<double> sum(wards.size(), 0), total(wards.size(), 0);
        std::size_t outside = 0;
        for (std::size_t k = 0; k < n; ++k) {
            if (ward[k] == kNoArea) {
                ++outside;
                continue;
            }
            sum[ward[k]] += weight[k] * decile[k];
            total[ward[k]] += weight[k];
        }
        for (std::size_t k = 0; k < n; ++k)
            if (ward[k] != kNoArea && total[ward[k]] > 0) ward_mean[k] = sum[ward[k]] / total[ward[k]];
        if (outside) result.notes.push_back(std::to_string(outside) + " areas lie in no area of the 'within' layer");
    }

    LocalMoranResult lisa;
    GetisOrdResult gi;
    if (o.methods.lisa) lisa = local_moran(y, w, o.permutations);
    if (o.methods.gistar) gi = getis_ord(y, w, true, false, o.permutations);

    std::vector<std::vector<std::string>> flags(n);
    for (std::size_t k = 0; k < n; ++k) {
        if (o.methods.deciles && decile[k] <= o.decile_threshold) flags[k].push_back("deciles");
        if (o.methods.masked && std::isfinite(ward_mean[k]) && ward_mean[k] - decile[k] >= o.masked_decile_gap)
            flags[k].push_back("masked");
        if (o.methods.lisa && lisa.significant[k] &&
            (lisa.quadrant[k] == LisaQuadrant::HH || lisa.quadrant[k] == LisaQuadrant::HL))
            flags[k].push_back("lisa");
        if (o.methods.gistar && gi.significant[k] && gi.z[k] > 0) flags[k].push_back("gistar");
    }

    // Pockets: connected components of flagged areas.
    std::vector<int> pocket_of(n, -1);
    std::vector<std::vector<std::size_t>> pockets;
    for (std::size_t k = 0; k < n; ++k) {
        if (flags[k].empty() || pocket_of[k] >= 0) continue;
        std::vector<std::size_t> members = {k}, stack = {k};
        pocket_of[k] = static_cast<int>(pockets.size());
        while (!stack.empty()) {
            const std::size_t a = stack.back();
            stack.pop_back();
            for (auto b : w.neighbours[a])
                if (!flags[b].empty() && pocket_of[b] < 0) {
                    pocket_of[b] = static_cast<int>(pockets.size());
                    members.push_back(b);
                    stack.push_back(b);
                }
        }
        std::sort(members.begin(), members.end());
        pockets.push_back(std::move(members));
    }
    // Rank pockets by population affected, largest first; ids follow that order.
    std::vector<double> pocket_population(pockets.size(), 0);
    for (std::size_t p = 0; p < pockets.size(); ++p)
        for (auto k : pockets[p]) pocket_population[p] += population_field >= 0 ? weight[k] : 0;
    std::vector<std::size_t> rank(pockets.size());
    std::iota(rank.begin(), rank.end(), 0);
    std::stable_sort(rank.begin(), rank.end(), [&](auto a, auto b) { return pocket_population[a] > pocket_population[b]; });
    std::vector<int> pocket_number(pockets.size());
    for (std::size_t r = 0; r < rank.size(); ++r) pocket_number[rank[r]] = static_cast<int>(r + 1);
    auto pocket_name = [&](int p) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "P%03d", pocket_number[p]);
        return std::string(buf);
    };

    // Housing stock in each pocket.
    std::vector<std::map<std::string, double>> by_tenure(pockets.size()), by_landlord(pockets.size());
    std::vector<double> homes(pockets.size(), 0), cat1(pockets.size(), 0), epc_fg(pockets.size(), 0);
    std::set<std::string> tenures;
    const HousingStock& hs = in.housing;
    if (hs.table) {
        const FeatureTable& t = *hs.table;
        const int hw = hs.homes.empty() ? -1 : field(t, hs.homes, "homes");
        const int ht = hs.tenure.empty() ? -1 : field(t, hs.tenure, "tenure", Kind::Any);
        const int hl = hs.landlord.empty() ? -1 : field(t, hs.landlord, "landlord", Kind::Any);
        const int he = hs.epc.empty() ? -1 : field(t, hs.epc, "EPC band", Kind::Any);
        const int hc = hs.cat1.empty() ? -1 : field(t, hs.cat1, "Category 1 hazards");
        const PointSet points = point_set_from_table(t);
        const std::vector<std::int32_t> area_of = locate_points(points, shapes, o.permutations.workers);
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (area_of[i] == kNoArea) continue;
            const int p = pocket_of[area_of[i]];
            if (p < 0) continue;
            const auto& row = t.features[points.source_row[i]].values;
            const double h = hw >= 0 ? value_number(row[hw]).value_or(0) : 1.0;
            homes[p] += h;
            if (ht >= 0) {
                const std::string tenure = value_text(row[ht]).empty() ? "unknown" : value_text(row[ht]);
                by_tenure[p][tenure] += h;
                tenures.insert(tenure);
            }
            if (hl >= 0 && !value_text(row[hl]).empty()) by_landlord[p][value_text(row[hl])] += h;
            if (he >= 0 && (value_text(row[he]) == "F" || value_text(row[he]) == "G")) epc_fg[p] += h;
            if (hc >= 0 && value_number(row[hc]).value_or(0) > 0) cat1[p] += h;
        }
    }

    // Per-area layers.
    auto area_layer = [&](const std::string& name, const std::string& description) {
        FeatureTable t;
        t.name = name;
        t.description = description;
        t.source = areas.source;
        t.geometry_type = areas.geometry_type;
        t.crs = areas.crs;
        t.fields.push_back(areas.fields[id]);
        return t;
    };
    auto area_feature = [&](std::size_t k) {
        Feature f;
        f.source_row = areas.features[kept[k]].source_row;
        f.geometry.reset(shapes[k]->clone());
        f.values.push_back(areas.features[kept[k]].values[id]);
        return f;
    };
    result.area_flags = area_layer("pocket_areas", "Each area's decile, ward mean decile and the methods that flag it");
    result.area_flags.fields.push_back({"indicator", FieldType::Real, in.indicator});
    result.area_flags.fields.push_back({"decile", FieldType::Integer, "1 = most deprived"});
    result.area_flags.fields.push_back({"within_mean_decile", FieldType::Real, "population-weighted mean decile of its ward"});
    result.area_flags.fields.push_back({"methods", FieldType::String, "methods that flag it"});
    result.area_flags.fields.push_back({"pocket_id", FieldType::String, "pocket it belongs to"});
    for (std::size_t k = 0; k < n; ++k) {
        Feature f = area_feature(k);
        f.values.push_back(*value_number(areas.features[kept[k]].values[indicator]));
        f.values.push_back(std::int64_t{decile[k]});
        f.values.push_back(maybe(ward_mean[k]));
        std::string m;
        for (const auto& s : flags[k]) m += (m.empty() ? "" : ",") + s;
        f.values.push_back(m.empty() ? FieldValue{} : FieldValue{m});
        f.values.push_back(pocket_of[k] >= 0 ? FieldValue{pocket_name(pocket_of[k])} : FieldValue{});
        result.area_flags.features.push_back(std::move(f));
    }
    if (o.methods.lisa) {
        result.local_moran = area_layer("local_moran", "Local Moran's I of " + in.indicator +
                                                           " (row-standardised contiguity, conditional permutations)");
        auto& t = result.local_moran;
        t.fields.push_back({"moran_i", FieldType::Real, "local Moran's I"});
        t.fields.push_back({"quadrant", FieldType::String, "HH, LH, LL or HL"});
        t.fields.push_back({"p_sim", FieldType::Real, "pseudo p-value, two-sided"});
        t.fields.push_back({"significant", FieldType::Integer, "1 if p_sim <= threshold"});
        t.fields.push_back({"cluster", FieldType::String, "quadrant where significant, else 'ns'"});
        for (std::size_t k = 0; k < n; ++k) {
            Feature f = area_feature(k);
            f.values.push_back(maybe(lisa.moran_i[k]));
            f.values.push_back(lisa.quadrant[k] == LisaQuadrant::None ? FieldValue{} : FieldValue{std::string(quadrant_name(lisa.quadrant[k]))});
            f.values.push_back(maybe(lisa.p_sim[k]));
            f.values.push_back(std::int64_t{lisa.significant[k]});
            f.values.push_back(lisa.significant[k] ? std::string(quadrant_name(lisa.quadrant[k])) : std::string("ns"));
            t.features.push_back(std::move(f));
        }
    }
    if (o.methods.gistar) {
        result.getis_ord = area_layer("getis_ord", "Getis-Ord Gi* of " + in.indicator + " (binary contiguity with self)");
        auto& t = result.getis_ord;
        t.fields.push_back({"gi_star_z", FieldType::Real, "Gi* z-score"});
        t.fields.push_back({"p_sim", FieldType::Real, "pseudo p-value, two-sided"});
        t.fields.push_back({"hotspot", FieldType::String, "hot, cold or none"});
        for (std::size_t k = 0; k < n; ++k) {
            Feature f = area_feature(k);
            f.values.push_back(maybe(gi.z[k]));
            f.values.push_back(maybe(gi.p_sim[k]));
            f.values.push_back(std::string(!gi.significant[k] ? "none" : gi.z[k] > 0 ? "hot" : "cold"));
            t.features.push_back(std::move(f));
        }
    }

    // The pockets.
    FeatureTable& pt = result.pockets;
    pt.name = "deprivation_pockets";
    pt.description = "Contiguous flagged areas dissolved into pockets, ranked by population";
    pt.source = areas.source;
    pt.geometry_type = wkbMultiPolygon;
    pt.crs = areas.crs;
    pt.fields = {{"pocket_id", FieldType::String, "P001 is the pocket with most people"},
                 {"methods", FieldType::String, "methods that flag any member"},
                 {"member_codes", FieldType::String, "member area codes"},
                 {"areas", FieldType::Integer, "member areas"},
                 {"population", FieldType::Real, in.population.empty() ? "no population field given" : in.population},
                 {"indicator_weighted", FieldType::Real, "population-weighted mean of " + in.indicator}};
    for (const auto& h : in.health) pt.fields.push_back({h, FieldType::Real, "population-weighted mean"});
    if (hs.table) {
        pt.fields.push_back({"homes", FieldType::Real, "homes inside the pocket"});
        for (const auto& t : tenures) pt.fields.push_back({"homes_" + field_safe(t), FieldType::Real, "homes: " + t});
        pt.fields.push_back({"homes_cat1_hazard", FieldType::Real, "homes with a Category 1 hazard"});
        pt.fields.push_back({"homes_epc_f_g", FieldType::Real, "homes with EPC band F or G"});
        pt.fields.push_back({"main_landlord", FieldType::String, "landlord holding most homes"});
    }
    FeatureTable& lt = result.landlords;
    lt.name = "pocket_landlords";
    lt.description = "Landlords by pocket: homes each holds there";
    lt.fields = {{"pocket_id", FieldType::String, ""}, {"landlord", FieldType::String, ""},
                 {"homes", FieldType::Real, ""}, {"share_of_pocket_homes", FieldType::Real, ""}};
    for (std::size_t r = 0; r < rank.size(); ++r) {
        const std::size_t p = rank[r];
        Feature f;
        f.source_row = static_cast<std::int64_t>(r + 1);
        std::vector<const OGRGeometry*> parts;
        std::set<std::string> methods;
        std::string codes;
        double pop = 0, weighted = 0, wsum = 0;
        std::vector<double> health_sum(health.size(), 0);
        for (auto k : pockets[p]) {
            parts.push_back(shapes[k]);
            methods.insert(flags[k].begin(), flags[k].end());
            codes += (codes.empty() ? "" : ",") + value_text(areas.features[kept[k]].values[id]);
            pop += population_field >= 0 ? weight[k] : 0;
            weighted += weight[k] * (o.higher_is_worse ? y[k] : -y[k]);
            wsum += weight[k];
            for (std::size_t h = 0; h < health.size(); ++h)
                health_sum[h] += weight[k] * value_number(areas.features[kept[k]].values[health[h]]).value_or(kNaN);
        }
        f.geometry = dissolve(parts, o.contiguity == ContiguityRule::Tolerance ? o.tolerance_m : 0.0);
        std::string m;
        for (const char* name : {"deciles", "masked", "lisa", "gistar"})
            if (methods.count(name)) m += (m.empty() ? "" : ",") + std::string(name);
        f.values = {pocket_name(static_cast<int>(p)), m, codes, static_cast<std::int64_t>(pockets[p].size()),
                    population_field >= 0 ? FieldValue{pop} : FieldValue{}, maybe(wsum > 0 ? weighted / wsum : kNaN)};
        for (double s : health_sum) f.values.push_back(maybe(wsum > 0 ? s / wsum : kNaN));
        if (hs.table) {
            f.values.push_back(homes[p]);
            for (const auto& t : tenures) f.values.push_back(by_tenure[p].count(t) ? by_tenure[p].at(t) : 0.0);
            f.values.push_back(cat1[p]);
            f.values.push_back(epc_fg[p]);
            std::vector<std::pair<std::string, double>> lords(by_landlord[p].begin(), by_landlord[p].end());
            std::stable_sort(lords.begin(), lords.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
            f.values.push_back(lords.empty() ? FieldValue{} : FieldValue{lords.front().first});
            for (const auto& [name, count] : lords) {
                Feature row;
                row.source_row = static_cast<std::int64_t>(lt.features.size() + 1);
                row.values = {pocket_name(static_cast<int>(p)), name, count, maybe(homes[p] > 0 ? count / homes[p] : kNaN)};
                lt.features.push_back(std::move(row));
            }
        }
        pt.features.push_back(std::move(f));
    }
    return result;
}

}  // namespace hearth
