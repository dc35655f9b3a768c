#pragma once
// Points aggregated into areas, as QGIS "Count points in polygon" or PostGIS
// SELECT a.id, count(p.*) ... JOIN ON ST_Intersects: per area the number of points,
// the number per category of a field, and sums of numeric fields.

#include <string>
#include <vector>

#include "hearth/core/feature_table.hpp"
#include "hearth/core/point_set.hpp"

namespace hearth {

struct PointCountResult {
    FeatureTable areas;              ///< area id, geometry, count, count_<category>..., sum_<field>...
    std::size_t points_outside = 0;  ///< points in no area
    std::vector<std::int64_t> outside_examples;  ///< source rows of the first few
};

/// Counts `points` into `areas` (which it takes over), keeping only the area's
/// `area_id` field. `value_names` name the columns of points.values for sum_<name>.
PointCountResult count_points_in_areas(FeatureTable areas, const std::string& area_id, const PointSet& points,
                                       const std::vector<std::string>& value_names, unsigned workers);


}  // namespace hearth
