#include "hearth/geometry/point_location.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <memory>
#include <stdexcept>

#include "hearth/geometry/geos_context.hpp"
#include "hearth/geometry/indexed_area.hpp"
#include "hearth/core/parallel.hpp"

namespace hearth {

namespace {

/// One worker's GEOS objects: a context, and each area read and prepared on first use.
class PreparedAreas {
public:
    explicit PreparedAreas(const std::vector<const OGRGeometry*>& areas)
        : areas_(areas), geometry_(areas.size()), prepared_(areas.size()) {}

    bool covers(std::uint32_t area, double x, double y) {
        if (!prepared_[area]) {
            geometry_[area] = geos_from_wkb(context_, to_wkb(areas_[area]));
            prepared_[area] = prepare(context_, geometry_[area].get());
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
    const std::vector<const OGRGeometry*>& areas_;
    std::vector<GeosGeometry> geometry_;
    std::vector<GeosPrepared> prepared_;
};

/// Area envelopes bucketed on a uniform grid of about four cells an area. A cell lists
/// the areas whose envelope meets it, in layer order, so the first area that covers a
/// point is found without sorting candidates.
class EnvelopeGrid {
public:
    explicit EnvelopeGrid(const std::vector<const OGRGeometry*>& areas) {
        std::vector<OGREnvelope> envelopes(areas.size());
        OGREnvelope all;
        for (std::size_t a = 0; a < areas.size(); ++a) {
            if (!areas[a] || areas[a]->IsEmpty()) continue;
            areas[a]->getEnvelope(&envelopes[a]);
            all.Merge(envelopes[a]);
        }
        if (!all.IsInit()) return;
        min_x_ = all.MinX;
        min_y_ = all.MinY;
        const double width = all.MaxX - all.MinX, height = all.MaxY - all.MinY;
        const double cells = std::clamp(4.0 * static_cast<double>(areas.size()), 1.0, 4.0e6);
        cell_m_ = std::max(std::sqrt(std::max(width * height, 1e-12) / cells), std::max(width, height) / 4096.0);
        if (!(cell_m_ > 0)) cell_m_ = 1.0;
        columns_ = static_cast<std::size_t>(width / cell_m_) + 1;
        rows_ = static_cast<std::size_t>(height / cell_m_) + 1;

        offset_.assign(columns_ * rows_ + 1, 0);
        auto each_cell = [&](auto&& visit) {
            for (std::size_t a = 0; a < areas.size(); ++a) {
                if (!envelopes[a].IsInit()) continue;
                const std::size_t c0 = column(envelopes[a].MinX), c1 = column(envelopes[a].MaxX);
                const std::size_t r0 = row(envelopes[a].MinY), r1 = row(envelopes[a].MaxY);
                for (std::size_t r = r0; r <= r1; ++r)
                    for (std::size_t c = c0; c <= c1; ++c) visit(r * columns_ + c, static_cast<std::uint32_t>(a));
            }
        };
        each_cell([&](std::size_t cell, std::uint32_t) { ++offset_[cell + 1]; });
        for (std::size_t k = 0; k + 1 < offset_.size(); ++k) offset_[k + 1] += offset_[k];
        areas_.resize(offset_.back());
        std::vector<std::size_t> fill(offset_.begin(), offset_.end() - 1);
        each_cell([&](std::size_t cell, std::uint32_t a) { areas_[fill[cell]++] = a; });
    }

    /// The areas whose envelope may hold (x, y), in layer order.
    std::span<const std::uint32_t> candidates(double x, double y) const {
        if (columns_ == 0 || !(x >= min_x_ && y >= min_y_)) return {};
        const double cx = (x - min_x_) / cell_m_, cy = (y - min_y_) / cell_m_;
        if (!(cx < static_cast<double>(columns_) && cy < static_cast<double>(rows_))) return {};
        const std::size_t cell = static_cast<std::size_t>(cy) * columns_ + static_cast<std::size_t>(cx);
        return {areas_.data() + offset_[cell], areas_.data() + offset_[cell + 1]};
    }

private:
    std::size_t column(double x) const {
        return std::min(columns_ - 1, static_cast<std::size_t>(std::max(0.0, (x - min_x_) / cell_m_)));
    }
    std::size_t row(double y) const {
        return std::min(rows_ - 1, static_cast<std::size_t>(std::max(0.0, (y - min_y_) / cell_m_)));
    }

    double min_x_ = 0, min_y_ = 0, cell_m_ = 1;
    std::size_t columns_ = 0, rows_ = 0;
    std::vector<std::size_t> offset_;
    std::vector<std::uint32_t> areas_;
};

}  // namespace

namespace {

/// Calls visit(point, area) for the areas covering each point, in layer order, until
/// visit returns false; on every core.
template <typename Visit>
void visit_covering_areas(const PointSet& points, const std::vector<const OGRGeometry*>& areas, unsigned workers,
                          Visit&& visit) {
    const EnvelopeGrid grid(areas);
    std::vector<std::unique_ptr<IndexedArea>> indexed(areas.size());
    parallel_blocks(areas.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t a = begin; a < end; ++a)
            if (areas[a]) indexed[a] = std::make_unique<IndexedArea>(*areas[a]);
    });
    parallel_blocks(points.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        PreparedAreas prepared(areas);  // for the few tests the coordinate test leaves undecided
        for (std::size_t i = begin; i < end; ++i) {
            const double x = points.x[i], y = points.y[i];
            for (const std::uint32_t a : grid.candidates(x, y)) {
                const PointInArea where = indexed[a]->locate(x, y);
                if (where == PointInArea::Covered || (where == PointInArea::Uncertain && prepared.covers(a, x, y)))
                    if (!visit(i, a)) break;
            }
        }
    });
}

}  // namespace

std::vector<std::int32_t> locate_points(const PointSet& points, const std::vector<const OGRGeometry*>& areas,
                                        unsigned workers) {
    std::vector<std::int32_t> area_of(points.size(), kNoArea);
    visit_covering_areas(points, areas, workers, [&](std::size_t point, std::uint32_t area) {
        area_of[point] = static_cast<std::int32_t>(area);
        return false;  // the first area in layer order wins
    });
    return area_of;
}

CoveringAreas covering_areas(const PointSet& points, const std::vector<const OGRGeometry*>& areas,
                             const std::vector<double>& size, unsigned workers) {
    CoveringAreas out;
    out.first.assign(points.size(), kNoArea);
    out.largest.assign(points.size(), std::numeric_limits<double>::quiet_NaN());
    visit_covering_areas(points, areas, workers, [&](std::size_t point, std::uint32_t area) {
        if (out.first[point] == kNoArea) out.first[point] = static_cast<std::int32_t>(area);  // layer order
        if (!(out.largest[point] >= size[area])) out.largest[point] = size[area];
        return true;
    });
    return out;
}

}  // namespace hearth
