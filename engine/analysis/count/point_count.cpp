#include "hearth/analysis/count/point_count.hpp"

#include <cctype>
#include <set>

#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/geometry/point_location.hpp"

namespace hearth {


PointCountResult count_points_in_areas(FeatureTable areas, const std::string& area_id, const PointSet& points,
                                       const std::vector<std::string>& value_names, unsigned workers) {
    const int id_index = areas.field_index(area_id);
    if (id_index < 0) throw InputError({areas.source, areas.name, {}, area_id}, "no such field in the areas layer");
    if (!areas.has_geometry()) throw InputError({areas.source, areas.name, {}, {}}, "areas layer has no geometry");

    std::vector<const OGRGeometry*> geometries;
    for (const auto& f : areas.features) geometries.push_back(f.geometry.get());
    {  // an area id given twice would split its points between two rows of the output
        std::set<std::string> seen;
        for (const auto& f : areas.features)
            if (!seen.insert(value_text(f.values[id_index])).second)
                throw InputError({areas.source, areas.name, f.source_row, area_id},
                                 "area id '" + value_text(f.values[id_index]) + "' is used by more than one area");
    }
    const std::vector<std::int32_t> area_of = locate_points(points, geometries, workers);

    const std::size_t n_areas = areas.features.size();
    const std::size_t n_categories = points.category_names.size();
    std::vector<std::int64_t> count(n_areas, 0);
    std::vector<std::int64_t> by_category(n_areas * n_categories, 0);
    std::vector<double> sums(n_areas * points.values.size(), 0.0);
    PointCountResult result;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const std::int32_t a = area_of[i];
        if (a == kNoArea) {
            if (result.outside_examples.size() < 5) result.outside_examples.push_back(points.source_row[i]);
            ++result.points_outside;
            continue;
        }
        ++count[a];
        if (!points.category.empty() && points.category[i] >= 0) ++by_category[a * n_categories + points.category[i]];
        for (std::size_t v = 0; v < points.values.size(); ++v) sums[a * points.values.size() + v] += points.values[v][i];
    }

    FeatureTable& out = result.areas;
    out.name = areas.name;
    out.source = areas.source;
    out.description = "Points counted per area";
    out.geometry_type = areas.geometry_type;
    out.crs = areas.crs;
    out.fields.push_back(areas.fields[id_index]);
    out.fields.push_back({"count", FieldType::Integer, "points in the area (boundary points counted once)"});
    std::set<std::string> used = {area_id, "count"};
    auto unique_name = [&used](std::string name) {
        std::string candidate = name;
        for (int k = 2; used.count(candidate); ++k) candidate = name + "_" + std::to_string(k);
        used.insert(candidate);
        return candidate;
    };
    for (const auto& c : points.category_names)
        out.fields.push_back({unique_name("count_" + field_safe(c)), FieldType::Integer, "points with category '" + c + "'"});
    for (const auto& v : value_names)
        out.fields.push_back({unique_name("sum_" + field_safe(v)), FieldType::Real, "sum of " + v + " over the points"});

    for (std::size_t a = 0; a < n_areas; ++a) {
        Feature f;
        f.source_row = areas.features[a].source_row;
        f.geometry = std::move(areas.features[a].geometry);
        f.values.push_back(std::move(areas.features[a].values[id_index]));
        f.values.push_back(count[a]);
        for (std::size_t c = 0; c < n_categories; ++c) f.values.push_back(by_category[a * n_categories + c]);
        for (std::size_t v = 0; v < points.values.size(); ++v) f.values.push_back(sums[a * points.values.size() + v]);
        out.features.push_back(std::move(f));
    }
    return result;
}

}  // namespace hearth
