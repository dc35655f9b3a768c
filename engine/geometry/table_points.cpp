#include "hearth/geometry/table_points.hpp"

#include <ogr_api.h>

namespace hearth {

bool point_on_feature(const OGRGeometry* g, double& x, double& y) {
    if (!g || g->IsEmpty()) return false;
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPoint) {
        x = g->toPoint()->getX();
        y = g->toPoint()->getY();
        return true;
    }
    // Buildings and multi-part features: a point guaranteed to lie on the feature.
    OGRGeometryUniquePtr surface_point(
        OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)))));
    if (!surface_point || surface_point->IsEmpty()) return false;
    x = surface_point->toPoint()->getX();
    y = surface_point->toPoint()->getY();
    return true;
}

PointSet point_set_from_table(const FeatureTable& table) {
    PointSet out;
    for (std::size_t i = 0; i < table.features.size(); ++i) {
        double x = 0, y = 0;
        if (!point_on_feature(table.features[i].geometry.get(), x, y)) {
            ++out.without_geometry;
            continue;
        }
        out.x.push_back(x);
        out.y.push_back(y);
        out.source_row.push_back(static_cast<std::int64_t>(i));
    }
    return out;
}

}  // namespace hearth
