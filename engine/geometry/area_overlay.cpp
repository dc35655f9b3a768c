#include "hearth/geometry/area_overlay.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "hearth/geometry/geos_context.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/geometry/spatial_index.hpp"

namespace hearth {

namespace {

constexpr double kSnapGrid_m = 0.001;

double area_of(GeosContext& geos, const GEOSGeometry* g) {
    double area = 0;
    if (!GEOSArea_r(geos.handle(), g, &area)) throw std::runtime_error("GEOS area failed: " + geos.take_last_error());
    return area;
}

}  // namespace

OverlayResult overlay_areas(const std::vector<const OGRGeometry*>& a, const std::vector<const OGRGeometry*>& b,
                            unsigned workers) {
    std::vector<std::vector<unsigned char>> wkb_a, wkb_b;
    for (const auto* g : a) wkb_a.push_back(to_wkb(g));
    for (const auto* g : b) wkb_b.push_back(to_wkb(g));
    const BoxTree index_b = index_envelopes(b);

    OverlayResult result;
    result.area_a_m2.assign(a.size(), 0.0);
    result.area_b_m2.assign(b.size(), 0.0);
    std::mutex merge;
    parallel_blocks(a.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        GeosContext geos;
        std::vector<AreaOverlap> local;
        std::size_t snapped = 0;
        std::vector<BoxEntry> candidates;
        for (std::size_t i = begin; i < end; ++i) {
            if (wkb_a[i].empty()) continue;
            const GeosGeometry ga = geos_from_wkb(geos, wkb_a[i]);
            result.area_a_m2[i] = area_of(geos, ga.get());
            const GeosPrepared prepared = prepare(geos, ga.get());
            OGREnvelope e;
            a[i]->getEnvelope(&e);
            candidates.clear();
            index_b.query(bgi::intersects(IndexBox({e.MinX, e.MinY}, {e.MaxX, e.MaxY})), std::back_inserter(candidates));
            for (const auto& c : candidates) {
                const GeosGeometry gb = geos_from_wkb(geos, wkb_b[c.second]);
                if (!geos_predicate(geos, GEOSPreparedIntersects_r(geos.handle(), prepared.get(), gb.get()), "intersects"))
                    continue;
                double area = 0;
                if (geos_predicate(geos, GEOSPreparedContains_r(geos.handle(), prepared.get(), gb.get()), "contains")) {
                    area = area_of(geos, gb.get());
                } else {
                    GeosGeometry cut(geos.handle(), GEOSIntersection_r(geos.handle(), ga.get(), gb.get()));
                    if (!cut) {
                        geos.take_last_error();
                        cut = GeosGeometry(geos.handle(), GEOSIntersectionPrec_r(geos.handle(), ga.get(), gb.get(), kSnapGrid_m));
                        if (!cut) throw std::runtime_error("GEOS could not intersect polygons " + std::to_string(i) + " and " +
                                                           std::to_string(c.second) + ": " + geos.take_last_error());
                        ++snapped;
                    }
                    area = area_of(geos, cut.get());
                }
                if (area > 0) local.push_back({static_cast<std::uint32_t>(i), c.second, area});
            }
        }
        std::lock_guard lock(merge);
        result.overlaps.insert(result.overlaps.end(), local.begin(), local.end());
        result.snapped_pairs += snapped;
    });
    {
        GeosContext geos;
        for (std::size_t j = 0; j < b.size(); ++j)
            if (!wkb_b[j].empty()) result.area_b_m2[j] = area_of(geos, geos_from_wkb(geos, wkb_b[j]).get());
    }
    std::sort(result.overlaps.begin(), result.overlaps.end(),
              [](const AreaOverlap& x, const AreaOverlap& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    return result;
}

}  // namespace hearth
