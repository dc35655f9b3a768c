// The layers of assessment.gpkg, one row per brief (or per brief and feature).
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
