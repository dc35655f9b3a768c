#pragma once
// The points of features already read: a point's own position, or for lines and
// polygons a point GEOS guarantees lies on the feature (point on surface).

#include <ogr_geometry.h>

#include "hearth/core/feature_table.hpp"
#include "hearth/core/point_set.hpp"

namespace hearth {

/// x, y of a point, or of a point on the surface of any other geometry; false when the
/// geometry is null or empty or has no such point.
bool point_on_feature(const OGRGeometry* geometry, double& x, double& y);

/// The points of an already-read point table (e.g. a study's homes), by feature order;
/// source_row is the index of the feature in the table.
PointSet point_set_from_table(const FeatureTable& table);

}  // namespace hearth
