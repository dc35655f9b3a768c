#include "hearth/point_location.hpp"

#include <algorithm>
#include <stdexcept>

#include "hearth/geos_context.hpp"
#include "hearth/parallel.hpp"
#include "hearth/spatial_index.hpp"

namespace hearth {

namespace {

/// One worker's GEOS objects: a context, and each area read and prepared on first use.
class PreparedAreas {
public:
    explicit PreparedAreas(const std::vector<std::vector<unsigned char>>& wkb)
        : wkb_(wkb), geometry_(wkb.size()), prepared_(wkb.size()) {}

    bool covers(std::uint32_t area, double x, double y) {
        if (!prepared_[area]) {
            geometry_[area] = geos_from_wkb(context_, wkb_[area]);
            prepared_[area] = GeosPrepared(context_.handle(), GEOSPrepare_r(context_.handle(), geometry_[area].get()));
            if (!prepared_[area]) throw std::runtime_error("GEOS could not prepare an area: " + context_.take_last_error());
        }
        const GeosGeometry point(context_.handle(), GEOSGeom_createPointFromXY_r(context_.handle(), x, y));
        return geos_predicate(context_, GEOSPreparedIntersects_r(context_.handle(), prepared_[area].get(), point.get()),
                              "point-in-polygon test");
    }

    ~PreparedAreas() {
        // Prepared geometries refer to their base geometry: release them first.
        for (auto& p : prepared_) p.reset();
    }
    PreparedAreas(const PreparedAreas&) = delete;
    PreparedAreas& operator=(const PreparedAreas&) = delete;

private:
    GeosContext context_;  // declared first: destroyed last
    const std::vector<std::vector<unsigned char>>& wkb_;
    std::vector<GeosGeometry> geometry_;
    std::vector<GeosPrepared> prepared_;
};

}  // namespace

std::vector<std::int32_t> locate_points(const PointSet& points, const std::vector<const OGRGeometry*>& areas,
                                        unsigned workers) {
    std::vector<std::vector<unsigned char>> wkb;
    for (const auto* a : areas) wkb.push_back(to_wkb(a));
    const BoxTree index = index_envelopes(areas);
    std::vector<std::int32_t> area_of(points.size(), kNoArea);

    parallel_blocks(points.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        PreparedAreas prepared(wkb);
        std::vector<BoxEntry> candidates;
        for (std::size_t i = begin; i < end; ++i) {
            candidates.clear();
            index.query(bgi::intersects(IndexPoint(points.x[i], points.y[i])), std::back_inserter(candidates));
            if (candidates.size() > 1)
                std::sort(candidates.begin(), candidates.end(),
                          [](const BoxEntry& a, const BoxEntry& b) { return a.second < b.second; });
            for (const auto& c : candidates) {
                if (prepared.covers(c.second, points.x[i], points.y[i])) {
                    area_of[i] = static_cast<std::int32_t>(c.second);
                    break;
                }
            }
        }
    });
    return area_of;
}

}  // namespace hearth
