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

#include "hearth/core/point_set.hpp"

namespace hearth {

constexpr std::int32_t kNoArea = -1;

/// Area index per point, or kNoArea.
std::vector<std::int32_t> locate_points(const PointSet& points, const std::vector<const OGRGeometry*>& areas,
                                        unsigned workers);

/// Every area covering each point (they may overlap), summed up in one pass.
struct CoveringAreas {
    std::vector<std::int32_t> first;  ///< the first covering area in layer order (locate_points's answer), or kNoArea
    std::vector<double> largest;      ///< the largest size[area] among them, or NaN: e.g. the hectares of
                                      ///< the biggest green space a home lies in
};
CoveringAreas covering_areas(const PointSet& points, const std::vector<const OGRGeometry*>& areas,
                             const std::vector<double>& size, unsigned workers);

}  // namespace hearth
