#include "hearth/geometry/spatial_index.hpp"

namespace hearth {

BoxTree index_envelopes(const std::vector<const OGRGeometry*>& geometries) {
    std::vector<BoxEntry> entries;
    entries.reserve(geometries.size());
    for (std::size_t i = 0; i < geometries.size(); ++i) {
        if (!geometries[i] || geometries[i]->IsEmpty()) continue;
        OGREnvelope e;
        geometries[i]->getEnvelope(&e);
        entries.emplace_back(IndexBox({e.MinX, e.MinY}, {e.MaxX, e.MaxY}), static_cast<std::uint32_t>(i));
    }
    return BoxTree(entries.begin(), entries.end());  // range constructor: packing (STR-like) bulk load
}

PointTree index_points(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<PointEntry> entries;
    entries.reserve(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) entries.emplace_back(IndexPoint(x[i], y[i]), static_cast<std::uint32_t>(i));
    return PointTree(entries.begin(), entries.end());
}

}  // namespace hearth
