#pragma once
// The nearest target to each point, by straight-line (Euclidean) distance in the working
// CRS, metres in British National Grid. Targets may be points, lines or polygons; the
// distance to a polygon is to its boundary and 0 for a point inside it (as PostGIS
// ST_Distance and QGIS "Join attributes by nearest"). Ties go to the target that comes
// first in the target layer. Packed R-tree, incremental nearest search, every core.

#include <cstdint>
#include <limits>
#include <vector>

#include <ogr_geometry.h>

#include "hearth/core/point_set.hpp"

namespace hearth {

constexpr std::int32_t kNoTarget = -1;

struct NearestResult {
    std::vector<std::int32_t> target;  ///< target index per point, or kNoTarget beyond max distance
    std::vector<double> distance_m;    ///< NaN where there is no target
};

/// `max_distance_m` <= 0 or infinite means no limit. Null target geometries are ignored.
NearestResult nearest_targets(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                              double max_distance_m, unsigned workers);

/// Nearest target reached through its entrances: 0 for a point inside a target polygon,
/// else the distance to the nearest access point (access_target[k] = the target index of
/// access point k, or kNoTarget for an access point of no known target, which is ignored).
NearestResult nearest_via_access_points(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                                        const PointSet& access_points, const std::vector<std::int32_t>& access_target,
                                        double max_distance_m, unsigned workers);

/// The same, with the points already located in the target polygons: `inside[i]` is the
/// target holding point i, or kNoArea (e.g. from covering_areas, shared with other uses).
NearestResult nearest_via_access_points(const PointSet& from, const PointSet& access_points,
                                        const std::vector<std::int32_t>& access_target,
                                        const std::vector<std::int32_t>& inside, double max_distance_m, unsigned workers);

/// Every target within `radius_m` of each point, counted (targets as points or shapes).
std::vector<std::int32_t> count_within(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                                       double radius_m, unsigned workers);

/// Per point, the targets within `radius_m` counted and their `weights` (one per target,
/// e.g. a GP practice's registered patients) summed, in one pass.
struct WithinTotals {
    std::vector<std::int32_t> count;
    std::vector<double> sum;
};
WithinTotals count_and_sum_within(const PointSet& from, const std::vector<const OGRGeometry*>& targets,
                                  const std::vector<double>& weights, double radius_m, unsigned workers);

/// 1 where some target lies within `radius_m` of the point (0 inside a polygon), else 0;
/// stops at the first one found, so it is cheaper than counting or a nearest search.
std::vector<char> any_within(const PointSet& from, const std::vector<const OGRGeometry*>& targets, double radius_m,
                             unsigned workers);

}  // namespace hearth
