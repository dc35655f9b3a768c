#pragma once
// Which area each point lies in: a uniform grid of area envelopes, then the exact test on
// coordinates (IndexedArea: GEOS's ray-crossing rule, GEOS itself where rounding leaves it
// undecided), on every core.
//
// Boundary rule: a point is in an area when it lies in the area's interior or on its
// boundary (GEOS "intersects", PostGIS ST_Intersects / ST_Covers for a point). A point on
// the shared boundary of several areas goes to the one that comes first in the area
// layer, so every point is counted once and the result does not depend on threads.

#include <cstdint>
#include <vector>

#include <ogr_geometry.h>

#include "hearth/point_set.hpp"

namespace hearth {

constexpr std::int32_t kNoArea = -1;

/// Area index per point, or kNoArea.
std::vector<std::int32_t> locate_points(const PointSet& points, const std::vector<const OGRGeometry*>& areas,
                                        unsigned workers);

/// For each point, the largest `size[area]` among all the areas covering it (they may
/// overlap), or NaN when none does: e.g. the hectares of the biggest green space a home
/// lies in.
std::vector<double> largest_covering(const PointSet& points, const std::vector<const OGRGeometry*>& areas,
                                     const std::vector<double>& size, unsigned workers);

}  // namespace hearth
