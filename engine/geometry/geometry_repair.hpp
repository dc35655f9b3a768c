#pragma once
// Invalid input polygons (self-intersections, bow-ties, unclosed rings after
// generalisation) are repaired rather than rejected, so one broken boundary does
// not stop a national run; the count of repairs is reported.

#include <ogr_geometry.h>

#include "hearth/geometry/geos_context.hpp"

namespace hearth {

enum class RepairOutcome { AlreadyValid, Repaired, Collapsed };

/// Checks `geometry` with GEOS and, when invalid, replaces it with GEOS MakeValid's
/// "structure" result (areas stay areas, collapsed parts are dropped: the same as
/// PostGIS ST_MakeValid(g, 'method=structure')). Collapsed means nothing of the
/// geometry's dimension survived and `geometry` is now null.
RepairOutcome repair_geometry(GeosContext& context, OGRGeometryUniquePtr& geometry);

}  // namespace hearth
