#include "hearth/analysis/access/accessibility.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "hearth/geometry/area_overlay.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/geometry/nearest.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/geometry/point_location.hpp"
#include "hearth/geometry/table_points.hpp"
#include "hearth/core/point_set.hpp"
#include "hearth/core/point_table.hpp"

namespace hearth {

namespace {

constexpr double kSquareMetresPerHectare = 10000.0;

int require(const FeatureTable& t, const std::string& field, const std::string& role) {
    const int i = t.field_index(field);
    if (i < 0) throw InputError({t.source, t.name, {}, field}, "no such field (named as " + role + " in access:)");
    return i;
}

std::vector<const OGRGeometry*> geometries(const FeatureTable& t) {
    std::vector<const OGRGeometry*> out;
    for (const auto& f : t.features) out.push_back(f.geometry.get());
    return out;
}

FieldValue optional_value(double v) { return std::isfinite(v) ? FieldValue{v} : FieldValue{std::monostate{}}; }

struct AngstTier {
    const char* field;
    double min_hectares;
    const char* distance_parameter;
    const char* meaning;
};
constexpr AngstTier kAngst[] = {{"angst_2ha_300m", 2, "angst_2ha_within_m", "a site of 2 ha or more within 300 m"},
                                {"angst_20ha_2km", 20, "angst_20ha_within_m", "a site of 20 ha or more within 2 km"},
                                {"angst_100ha_5km", 100, "angst_100ha_within_m", "a site of 100 ha or more within 5 km"},
                                {"angst_500ha_10km", 500, "angst_500ha_within_m", "a site of 500 ha or more within 10 km"}};

/// Per-home green space measures.
struct GreenspaceAccess {
    NearestResult nearest;
    std::vector<std::vector<char>> meets;  ///< per tier, per home
    std::vector<const OGRGeometry*> accessible_sites;
    int id_field = -1;  ///< site id field of the green space layer
};

GreenspaceAccess greenspace_access(const AccessConfig& c, const StudyTables& tables, const Parameters& p,
                                   const PointSet& homes, unsigned workers, std::vector<std::string>& notes) {
    const FeatureTable& sites = tables.get(c.greenspace_layer);
    const int id = require(sites, c.greenspace_id, "greenspace id");
    const int function = require(sites, c.greenspace_function, "greenspace function");
    const std::set<std::string> accessible(c.accessible_functions.begin(), c.accessible_functions.end());

    std::vector<std::size_t> kept;  // site indices that are publicly accessible
    std::vector<double> hectares;
    for (std::size_t s = 0; s < sites.features.size(); ++s) {
        const auto& f = sites.features[s];
        if (!f.geometry || !accessible.count(value_text(f.values[function]))) continue;
        kept.push_back(s);
        hectares.push_back(f.geometry->toMultiPolygon()->get_Area() / kSquareMetresPerHectare);
    }
    notes.push_back(std::to_string(kept.size()) + " of " + std::to_string(sites.features.size()) +
                    " green spaces have an accessible function");

    // Entrances, mapped to positions in `kept`.
    PointSet entrances;
    std::vector<std::size_t> entrance_site;  // index into `kept`
    if (!c.access_points_layer.empty()) {
        const FeatureTable& ap = tables.get(c.access_points_layer);
        const int key = require(ap, c.access_key, "access_key");
        std::map<std::string, std::size_t> kept_of_id;
        for (std::size_t k = 0; k < kept.size(); ++k) kept_of_id[value_text(sites.features[kept[k]].values[id])] = k;
        for (const auto& f : ap.features) {
            const auto it = kept_of_id.find(value_text(f.values[key]));
            if (it == kept_of_id.end() || !f.geometry) continue;
            entrances.x.push_back(f.geometry->toPoint()->getX());
            entrances.y.push_back(f.geometry->toPoint()->getY());
            entrances.source_row.push_back(f.source_row);
            entrance_site.push_back(it->second);
        }
    }

    GreenspaceAccess out;
    out.id_field = id;
    std::vector<const OGRGeometry*> kept_sites;
    for (const std::size_t s : kept) kept_sites.push_back(sites.features[s].geometry.get());
    std::vector<OGRPoint> entrance_points;
    for (std::size_t e = 0; e < entrances.size(); ++e) entrance_points.emplace_back(entrances.x[e], entrances.y[e]);

    // Nearest accessible site: 0 inside one, else to its nearest entrance (or its edge).
    // ANGSt: a home meets a tier when it lies inside a site of that size, or an entrance of
    // one (its edge, without entrances) is within the tier's distance. Which sites hold
    // each home is found once, for the nearest site and all tiers; each tier then needs
    // only a range test.
    std::vector<double> largest_site_ha;
    if (entrances.size() == 0) {
        out.nearest = nearest_targets(homes, kept_sites, 0, workers);
    } else {
        CoveringAreas holding = covering_areas(homes, kept_sites, hectares, workers);
        std::vector<std::int32_t> entrance_target(entrance_site.begin(), entrance_site.end());
        out.nearest = nearest_via_access_points(homes, entrances, entrance_target, holding.first, 0, workers);
        largest_site_ha = std::move(holding.largest);
    }
    for (auto& t : out.nearest.target)
        if (t != kNoTarget) t = static_cast<std::int32_t>(kept[t]);  // back to site indices

    for (const auto& tier : kAngst) {
        const double within = p.get(tier.distance_parameter);
        std::vector<const OGRGeometry*> reachable;
        if (entrances.size() == 0) {
            for (std::size_t k = 0; k < kept.size(); ++k)
                if (hectares[k] >= tier.min_hectares) reachable.push_back(kept_sites[k]);
        } else {
            for (std::size_t e = 0; e < entrance_points.size(); ++e)
                if (hectares[entrance_site[e]] >= tier.min_hectares) reachable.push_back(&entrance_points[e]);
        }
        std::vector<char> meets = any_within(homes, reachable, within, workers);
        if (!largest_site_ha.empty())
            for (std::size_t h = 0; h < homes.size(); ++h) meets[h] |= largest_site_ha[h] >= tier.min_hectares;
        out.meets.push_back(std::move(meets));
    }
    out.accessible_sites = std::move(kept_sites);
    return out;
}

LayerStyle ptal_style(const std::string& field) {
    LayerStyle s;
    s.renderer = StyleRenderer::Categorized;
    s.field = field;
    s.outline_color = "#ffffff";
    s.outline_width_mm = 0.05;
    s.marker_size_mm = 1.6;
    // TfL's PTAL map colours, from dark blue (0) to dark red (6b).
    s.categories = {{"0", "0 (worst)", "#0b2c7a"}, {"1a", "1a", "#1f5fbf"}, {"1b", "1b", "#4fa3e0"},
                    {"2", "2", "#4db848"},         {"3", "3", "#b5d334"},   {"4", "4", "#fff200"},
                    {"5", "5", "#f7a21b"},         {"6a", "6a", "#e2231a"}, {"6b", "6b (best)", "#8b0000"}};
    return s;
}

}  // namespace

const FeatureTable& StudyTables::get(const std::string& name) const {
    for (const auto* t : tables)
        if (t->name == name) return *t;
    throw InputError({{}, name, {}, {}}, "the access section names a layer the study does not have");
}

PtalCalculator build_ptal(const AccessConfig& c, const StudyTables& tables, const Parameters& p,
                          std::vector<std::string>* notes) {
    PtalNetwork network = ptal_network(c, tables, p, notes);
    return PtalCalculator(std::move(network.stops), std::move(network.routes), network.parameters);
}

PtalNetwork ptal_network(const AccessConfig& c, const StudyTables& tables, const Parameters& p,
                         std::vector<std::string>* notes) {
    std::vector<ServiceAccessPoint> stops;
    std::multimap<std::string, std::uint32_t> stops_of_id;
    std::vector<std::string> layer_mode;  // per stop: its layer's declared mode
    for (const auto& spec : c.stops) {
        const FeatureTable& layer = tables.get(spec.layer);
        const int id = require(layer, spec.id, "stop id");
        for (const auto& f : layer.features) {
            if (!f.geometry) continue;
            const auto* point = f.geometry->toPoint();
            stops_of_id.emplace(value_text(f.values[id]), static_cast<std::uint32_t>(stops.size()));
            stops.push_back({value_text(f.values[id]), point->getX(), point->getY()});
            layer_mode.push_back(spec.mode);
        }
    }
    const FeatureTable& frequencies = tables.get(c.frequencies_layer);
    const int stop_field = require(frequencies, "stop_id", "frequency stop_id");
    const int route_field = require(frequencies, "route_id", "frequency route_id");
    const int mode_field = require(frequencies, "mode", "frequency mode");
    const int rate_field = require(frequencies, "services_per_hour", "frequency services_per_hour");

    std::vector<StopRoute> routes;
    std::vector<bool> served(stops.size(), false);
    std::size_t unknown_stops = 0;
    for (const auto& row : frequencies.features) {
        const InputLocation where{frequencies.source, frequencies.name, row.source_row, "services_per_hour"};
        const auto rate = value_number(row.values[rate_field]);
        if (!rate) throw InputError(where, "no services per hour given (set default_bus_services_per_hour only to fill gaps in bus data)");
        if (!std::isfinite(*rate) || *rate <= 0)
            throw InputError(where, "services per hour must be a positive number, found " + std::to_string(*rate));
        TransportMode mode;
        try {
            mode = parse_transport_mode(value_text(row.values[mode_field]));
        } catch (const std::invalid_argument& e) {
            throw InputError({frequencies.source, frequencies.name, row.source_row, "mode"}, e.what());
        }
        const auto [first, last] = stops_of_id.equal_range(value_text(row.values[stop_field]));
        if (first == last) ++unknown_stops;
        for (auto it = first; it != last; ++it) {
            routes.push_back({it->second, value_text(row.values[route_field]), mode, *rate});
            served[it->second] = true;
        }
    }
    const double default_bus = p.get("default_bus_services_per_hour");
    std::size_t unserved = 0, defaulted = 0;
    for (std::uint32_t s = 0; s < stops.size(); ++s) {
        if (served[s]) continue;
        if (default_bus > 0 && layer_mode[s] == "bus") {
            routes.push_back({s, "default@" + stops[s].stop_id, TransportMode::Bus, default_bus});
            ++defaulted;
        } else {
            ++unserved;
        }
    }
    if (routes.empty())
        throw InputError({frequencies.source, frequencies.name, {}, "stop_id"},
                         "no stop of the study has a row in the frequency table; check the stop ids");
    if (notes) {
        if (unserved) notes->push_back(std::to_string(unserved) + " stops have no scheduled services and add nothing to PTAL");
        if (defaulted)
            notes->push_back(std::to_string(defaulted) + " bus stops without services given the default " +
                             std::to_string(default_bus) + " buses/hour (default_bus_services_per_hour)");
        if (unknown_stops) notes->push_back(std::to_string(unknown_stops) + " frequency rows name no stop of the study");
    }
    PtalParameters pp;
    pp.walk_speed_m_per_min = p.get("walk_speed_m_per_min");
    pp.bus_max_walk_m = p.get("ptal_bus_max_walk_m");
    pp.rail_max_walk_m = p.get("ptal_rail_max_walk_m");
    pp.bus_reliability_min = p.get("ptal_bus_reliability_min");
    pp.rail_reliability_min = p.get("ptal_rail_reliability_min");
    return {std::move(stops), std::move(routes), pp};
}

namespace {

// ---- compute_access's stages: measure each home, summarise per area, grid, home table.

/// What is measured at each home, before it is summarised or written.
struct HomeMeasures {
    std::vector<double> weight;  ///< homes at each point (1 without a weight field)
    std::optional<GreenspaceAccess> green;
    std::optional<PtalCalculator> ptal;
    std::vector<double> ptal_ai;
    const FeatureTable* gp_table = nullptr;
    int gp_id = -1;
    std::optional<NearestResult> gp;
    std::vector<std::int32_t> gps_within;
    std::vector<double> gp_patients;          ///< per practice, when the layer has list sizes
    std::vector<double> gp_patients_within;   ///< per home: patients of the practices within the radius
};

HomeMeasures measure_homes(const AccessConfig& c, const StudyTables& tables, PointSet& homes, const Parameters& p,
                           unsigned workers, const std::function<void(double, const char*)>& stage,
                           std::vector<std::string>& notes) {
    HomeMeasures m;
    if (!c.homes_weight.empty() && homes.values.empty())
        throw std::logic_error("compute_access: the homes were read without their weight field");
    m.weight = c.homes_weight.empty() ? std::vector<double>(homes.size(), 1.0) : std::move(homes.values[0]);
    if (!c.homes_weight.empty() && homes.null_counts[0])
        notes.push_back(std::to_string(homes.null_counts[0]) + " homes with no '" + c.homes_weight + "' value count as 0 homes");

    stage(0.0, "green space");
    if (!c.greenspace_layer.empty()) m.green = greenspace_access(c, tables, p, homes, workers, notes);

    stage(0.45, "PTAL");
    if (!c.stops.empty()) {
        m.ptal.emplace(build_ptal(c, tables, p, &notes));
        m.ptal_ai.assign(homes.size(), 0.0);
        parallel_blocks(homes.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
            for (std::size_t h = begin; h < end; ++h) m.ptal_ai[h] = m.ptal->at(homes.x[h], homes.y[h]).access_index;
        });
    }

    stage(0.75, "GP surgeries");
    if (!c.gp_layer.empty()) {
        m.gp_table = &tables.get(c.gp_layer);
        m.gp_id = c.gp_id.empty() ? -1 : require(*m.gp_table, c.gp_id, "gp id");
        m.gp = nearest_targets(homes, geometries(*m.gp_table), 0, workers);
        const double radius = p.get("gp_catchment_radius_m");
        if (c.gp_patients.empty()) {
            m.gps_within = count_within(homes, geometries(*m.gp_table), radius, workers);
        } else {  // practices within the radius counted and their patients summed in one pass
            const int patients = require(*m.gp_table, c.gp_patients, "gp patients");
            for (const auto& f : m.gp_table->features)
                m.gp_patients.push_back(value_number(f.values[patients]).value_or(0.0));
            WithinTotals within = count_and_sum_within(homes, geometries(*m.gp_table), m.gp_patients, radius, workers);
            m.gps_within = std::move(within.count);
            m.gp_patients_within = std::move(within.sum);
        }
    }
    return m;
}

/// A column of an output: declared once, with how each row's value is made, so the
/// fields and the values cannot fall out of step.
struct Column {
    FieldDefinition definition;
    std::function<FieldValue(std::size_t row)> value;
};

/// One area layer's summary: home-weighted means and shares of the home measures.
FeatureTable area_summary(const AccessAreas& spec, const StudyTables& tables, const PointSet& homes,
                          const HomeMeasures& m, const Parameters& p, unsigned workers) {
    const FeatureTable& areas = tables.get(spec.layer);
    const int id = require(areas, spec.id, "area id");
    const int name = spec.name.empty() ? -1 : require(areas, spec.name, "area name");
    const int population = spec.population.empty() ? -1 : require(areas, spec.population, "area population");
    const std::vector<std::int32_t> area_of = locate_points(homes, geometries(areas), workers);
    const std::size_t n = areas.features.size();

    // Home-weighted sums per area.
    std::vector<double> homes_in(n, 0), ptal_sum(n, 0), green_distance_sum(n, 0), gp_distance_sum(n, 0), gp_within_sum(n, 0);
    std::vector<std::vector<double>> meets_sum(std::size(kAngst), std::vector<double>(n, 0));
    for (std::size_t h = 0; h < homes.size(); ++h) {
        const std::int32_t a = area_of[h];
        if (a == kNoArea) continue;
        const double w = m.weight[h];
        homes_in[a] += w;
        if (m.ptal) ptal_sum[a] += w * m.ptal_ai[h];
        if (m.green) {
            green_distance_sum[a] += w * m.green->nearest.distance_m[h];
            for (std::size_t k = 0; k < std::size(kAngst); ++k) meets_sum[k][a] += w * m.green->meets[k][h];
        }
        if (m.gp) {
            gp_distance_sum[a] += w * m.gp->distance_m[h];
            gp_within_sum[a] += w * (m.gps_within[h] > 0);
        }
    }
    // GP practices located in each area, and their registered patients.
    std::vector<double> practices_in(n, 0), patients_in(n, 0);
    if (m.gp_table && !m.gp_patients.empty()) {
        const PointSet practices = point_set_from_table(*m.gp_table);
        const std::vector<std::int32_t> practice_area = locate_points(practices, geometries(areas), workers);
        for (std::size_t k = 0; k < practices.size(); ++k) {
            const std::int32_t a = practice_area[k];
            if (a == kNoArea) continue;
            practices_in[a] += 1;
            patients_in[a] += m.gp_patients[static_cast<std::size_t>(practices.source_row[k])];
        }
    }
    std::vector<double> green_m2(n, 0.0);
    if (m.green) {
        const OverlayResult overlay = overlay_areas(geometries(areas), m.green->accessible_sites, workers);
        for (const auto& o : overlay.overlaps) green_m2[o.a] += o.area_m2;
    }
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    auto mean = [&](const std::vector<double>& sum, std::size_t a) { return homes_in[a] > 0 ? sum[a] / homes_in[a] : nan; };
    auto residents = [&](std::size_t a) {
        return population >= 0 ? value_number(areas.features[a].values[population]).value_or(nan)
                               : homes_in[a] * p.get("people_per_home");
    };
    auto hectares = [&](std::size_t a) { return green_m2[a] / kSquareMetresPerHectare; };

    std::vector<Column> columns;
    columns.push_back({areas.fields[id], [&](std::size_t a) { return areas.features[a].values[id]; }});
    if (name >= 0) columns.push_back({areas.fields[name], [&](std::size_t a) { return areas.features[a].values[name]; }});
    columns.push_back({{"homes", FieldType::Real, "homes located in the area"}, [&](std::size_t a) { return FieldValue{homes_in[a]}; }});
    columns.push_back({{"residents", FieldType::Real,
                        population >= 0 ? "residents (" + spec.population + ")" : "homes × people_per_home"},
                       [&](std::size_t a) { return optional_value(residents(a)); }});
    if (m.green) {
        columns.push_back({{"greenspace_ha", FieldType::Real, "accessible green space inside the area, hectares (higher is better)"},
                           [&](std::size_t a) { return FieldValue{hectares(a)}; }});
        columns.push_back({{"greenspace_ha_per_1000", FieldType::Real,
                            "accessible green space, hectares per 1,000 residents (higher is better)"},
                           [&](std::size_t a) {
                               const double r = residents(a);
                               return optional_value(r > 0 ? hectares(a) / r * 1000.0 : nan);
                           }});
        columns.push_back({{"mean_greenspace_distance_m", FieldType::Real,
                            "home-weighted mean straight-line distance to accessible green space, metres (higher is worse)"},
                           [&](std::size_t a) { return optional_value(mean(green_distance_sum, a)); }});
        for (std::size_t k = 0; k < std::size(kAngst); ++k)
            columns.push_back({{std::string("share_") + kAngst[k].field, FieldType::Real,
                                std::string("share of homes meeting ANGSt: ") + kAngst[k].meaning + ", 0 to 1 (higher is better)"},
                               [&, k](std::size_t a) { return optional_value(mean(meets_sum[k], a)); }});
    }
    if (m.ptal) {
        columns.push_back({{"mean_ptal_ai", FieldType::Real, "home-weighted mean PTAL access index (higher is better)"},
                           [&](std::size_t a) { return optional_value(mean(ptal_sum, a)); }});
        columns.push_back({{"ptal_band_of_mean", FieldType::String, "PTAL band of that mean: 0 (worst) to 6b (best)"},
                           [&](std::size_t a) {
                               const double v = mean(ptal_sum, a);
                               return std::isfinite(v) ? FieldValue{ptal_band(v)} : FieldValue{};
                           }});
    }
    if (m.gp) {
        columns.push_back({{"mean_gp_distance_m", FieldType::Real,
                            "home-weighted mean straight-line distance to the nearest GP surgery, metres (higher is worse)"},
                           [&](std::size_t a) { return optional_value(mean(gp_distance_sum, a)); }});
        columns.push_back({{"share_gp_within_radius", FieldType::Real,
                            "share of homes with a GP surgery within gp_catchment_radius_m, 0 to 1 (higher is better)"},
                           [&](std::size_t a) { return optional_value(mean(gp_within_sum, a)); }});
        if (!m.gp_patients.empty()) {
            columns.push_back({{"gp_practices_in_area", FieldType::Real, "GP practices located in the area"},
                               [&](std::size_t a) { return FieldValue{practices_in[a]}; }});
            columns.push_back({{"gp_patients_in_area", FieldType::Real,
                                "patients registered at the practices located in the area (list sizes)"},
                               [&](std::size_t a) { return FieldValue{patients_in[a]}; }});
            columns.push_back({{"gps_needed_in_area", FieldType::Real,
                                "full-time GPs those patients need at patients_per_gp (no GP workforce layer: "
                                "a need, not a comparison with staffing)"},
                               [&](std::size_t a) { return FieldValue{patients_in[a] / p.get("patients_per_gp")}; }});
            columns.push_back({{"gp_patients_per_resident", FieldType::Real,
                                "patients registered in the area per resident (under 1: residents register "
                                "elsewhere or practices are full; over 1: practices serve neighbours)"},
                               [&](std::size_t a) {
                                   const double r = residents(a);
                                   return optional_value(r > 0 ? patients_in[a] / r : nan);
                               }});
        }
    }

    FeatureTable summary;
    summary.name = spec.layer + "_access";
    summary.description = "Access summary per area of '" + spec.layer + "' (home-weighted; straight-line distances)";
    summary.source = areas.source;
    summary.geometry_type = areas.geometry_type;
    summary.crs = areas.crs;
    for (const auto& column : columns) summary.fields.push_back(column.definition);
    for (std::size_t a = 0; a < n; ++a) {
        Feature f;
        f.source_row = areas.features[a].source_row;
        if (areas.features[a].geometry) f.geometry.reset(areas.features[a].geometry->clone());
        for (const auto& column : columns) f.values.push_back(column.value(a));
        summary.features.push_back(std::move(f));
    }
    return summary;
}

/// PTAL on a grid over the first area layer (cells whose centre lies in one of its areas).
PointTable ptal_grid(const PtalCalculator& ptal, const FeatureTable& frame, double cell, unsigned workers) {
    OGREnvelope extent;
    for (const auto& f : frame.features) {
        if (!f.geometry) continue;
        OGREnvelope e;
        f.geometry->getEnvelope(&e);
        extent.Merge(e);
    }
    PointSet centres;
    const double x0 = std::floor(extent.MinX / cell) * cell, y0 = std::floor(extent.MinY / cell) * cell;
    for (double y = y0; y < extent.MaxY; y += cell)
        for (double x = x0; x < extent.MaxX; x += cell) {
            centres.x.push_back(x + cell / 2);
            centres.y.push_back(y + cell / 2);
            centres.source_row.push_back(static_cast<std::int64_t>(centres.source_row.size()));
        }
    const std::vector<std::int32_t> inside = locate_points(centres, geometries(frame), workers);
    PointTable grid;
    grid.name = "ptal_grid";
    grid.description = "PTAL on a " + std::to_string(static_cast<int>(cell)) +
                       " m grid at cell centres (TfL method, straight-line walk distances)";
    grid.crs = frame.crs;
    grid.cell_m = cell;
    for (std::size_t k = 0; k < centres.size(); ++k) {
        if (inside[k] == kNoArea) continue;
        grid.x.push_back(centres.x[k]);
        grid.y.push_back(centres.y[k]);
    }
    std::vector<double> ai(grid.size());
    std::vector<std::int32_t> band(grid.size());
    parallel_blocks(grid.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t k = begin; k < end; ++k) {
            ai[k] = ptal.at(grid.x[k], grid.y[k]).access_index;
            band[k] = ptal_band_index(ai[k]);
        }
    });
    grid.columns.push_back(PointColumn::real("ptal_ai", "PTAL access index at the cell centre (higher is better)", std::move(ai)));
    grid.columns.push_back(PointColumn::coded("ptal_band", "PTAL band: 0 (worst) to 6b (best)", std::move(band), ptal_band_names()));
    return grid;
}

/// The per-home layer; it takes over the homes' and the measures' columns.
PointTable home_access_table(const AccessConfig& c, const StudyTables& tables, PointSet& homes, HomeMeasures& m,
                             const OGRSpatialReference& home_crs, double patients_per_gp) {
    const std::size_t homes_count = homes.size();
    PointTable out;
    out.name = "home_access";
    out.description = "Access to green space, public transport and GPs per home (straight-line distances, not walking routes)";
    out.source = c.homes_layer;
    out.crs = home_crs;
    out.columns.push_back(PointColumn::integer("source_fid", "feature id of the home in its source", std::move(homes.source_row)));
    if (!c.homes_id.empty()) {
        try {
            out.columns.push_back(PointColumn::carried_id(c.homes_id, "id of the home", std::move(homes.ids), homes.id_type));
        } catch (const std::invalid_argument& e) {
            throw InputError({c.homes_layer, {}, {}, c.homes_id}, std::string("expected ids of the recipe's type: ") + e.what());
        }
    }
    out.columns.push_back(PointColumn::real("homes", "homes at this point (weight)", std::move(m.weight)));
    if (m.green) {
        const FeatureTable& sites = tables.get(c.greenspace_layer);
        std::vector<std::string> site_ids;
        for (const auto& f : sites.features) site_ids.push_back(value_text(f.values[m.green->id_field]));
        out.columns.push_back(PointColumn::coded("greenspace_id", "nearest accessible green space", m.green->nearest.target,
                                                 std::move(site_ids)));
        out.columns.push_back(PointColumn::real("greenspace_distance_m",
                                                "straight-line distance to its nearest entrance, metres (0 inside; higher is worse)",
                                                m.green->nearest.distance_m));
        for (std::size_t k = 0; k < std::size(kAngst); ++k)
            out.columns.push_back(PointColumn::integer(kAngst[k].field, "1 if the ANGSt standard is met, else 0 (1 is better)",
                                                       {m.green->meets[k].begin(), m.green->meets[k].end()}));
    }
    if (m.ptal) {
        std::vector<std::int32_t> band(homes.size());
        for (std::size_t h = 0; h < homes.size(); ++h) band[h] = ptal_band_index(m.ptal_ai[h]);
        out.columns.push_back(PointColumn::real("ptal_ai", "PTAL access index, TfL method with straight-line walks (higher is better)",
                                                std::move(m.ptal_ai)));
        out.columns.push_back(PointColumn::coded("ptal_band", "PTAL band: 0 (worst) to 6b (best)", std::move(band), ptal_band_names()));
    }
    if (m.gp) {
        std::vector<std::string> ids;
        for (const auto& f : m.gp_table->features)
            ids.push_back(m.gp_id >= 0 ? value_text(f.values[m.gp_id]) : std::to_string(f.source_row));
        out.columns.push_back(PointColumn::coded("gp_id", "nearest GP surgery", m.gp->target, std::move(ids)));
        out.columns.push_back(PointColumn::real("gp_distance_m",
                                                "straight-line distance to the nearest GP surgery, metres (higher is worse)",
                                                m.gp->distance_m));
        out.columns.push_back(PointColumn::integer("gps_within_radius", "GP surgeries within gp_catchment_radius_m (higher is better)",
                                                   {m.gps_within.begin(), m.gps_within.end()}));
        if (!m.gp_patients.empty()) {
            std::vector<double> nearest_patients(homes_count);
            for (std::size_t h = 0; h < homes_count; ++h)
                nearest_patients[h] = m.gp->target[h] >= 0 ? m.gp_patients[static_cast<std::size_t>(m.gp->target[h])]
                                                           : std::numeric_limits<double>::quiet_NaN();
            out.columns.push_back(PointColumn::real("gp_patients", "patients registered at the nearest practice",
                                                    std::move(nearest_patients)));
            std::vector<double> needed(homes_count);
            for (std::size_t h = 0; h < homes_count; ++h) needed[h] = m.gp_patients_within[h] / patients_per_gp;
            out.columns.push_back(PointColumn::real("gp_patients_within_radius",
                                                    "patients registered at the practices within gp_catchment_radius_m",
                                                    std::move(m.gp_patients_within)));
            out.columns.push_back(PointColumn::real("gps_needed_within_radius",
                                                    "full-time GPs the patients of those practices need at patients_per_gp "
                                                    "(a need; no GP workforce layer)",
                                                    std::move(needed)));
        }
    }
    out.x = std::move(homes.x);
    out.y = std::move(homes.y);
    return out;
}

}  // namespace

AccessResult compute_access(const AccessConfig& c, const StudyTables& tables, PointSet homes,
                            const OGRSpatialReference& home_crs, const Parameters& p, unsigned workers,
                            GDALProgressFunc progress, void* progress_data) {
    const std::function<void(double, const char*)> stage = [&](double done, const char* what) {
        if (progress && !progress(done, what, progress_data)) throw std::runtime_error("access: cancelled");
    };
    AccessResult result;
    if (homes.size() == 0) throw InputError({{}, c.homes_layer, {}, {}}, "no home has a location");
    if (homes.without_geometry)
        result.notes.push_back(std::to_string(homes.without_geometry) + " homes without a location left out");

    HomeMeasures measures = measure_homes(c, tables, homes, p, workers, stage, result.notes);
    stage(0.85, "area summaries");
    for (const auto& spec : c.areas) result.area_summaries.push_back(area_summary(spec, tables, homes, measures, p, workers));
    const double cell = p.get("ptal_grid_cell_m");
    if (measures.ptal && cell > 0 && !c.areas.empty())
        result.ptal_grid = ptal_grid(*measures.ptal, tables.get(c.areas.front().layer), cell, workers);
    stage(1.0, "access computed");
    result.homes = home_access_table(c, tables, homes, measures, home_crs, p.get("patients_per_gp"));
    return result;
}

LayerStyle ptal_band_style(const std::string& field) { return ptal_style(field); }

}  // namespace hearth
