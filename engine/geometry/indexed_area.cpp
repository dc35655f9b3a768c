#include "hearth/geometry/indexed_area.hpp"

#include <algorithm>
#include <cmath>

namespace hearth {

namespace {

// GEOS's orientation filter (CGAlgorithmsDD::orientationIndexFilter): the sign of the
// determinant when double precision is certain of it, else 2.
constexpr double kSafeEpsilon = 1e-15;  // GEOS's DP_SAFE_EPSILON
constexpr int kUndecided = 2;

int orientation_filter(double pax, double pay, double pbx, double pby, double pcx, double pcy) {
    const double detleft = (pax - pcx) * (pby - pcy);
    const double detright = (pay - pcy) * (pbx - pcx);
    const double det = detleft - detright;
    double detsum = 0;
    if (detleft > 0.0) {
        if (detright <= 0.0) return (det > 0) - (det < 0);
        detsum = detleft + detright;
    } else if (detleft < 0.0) {
        if (detright >= 0.0) return (det > 0) - (det < 0);
        detsum = -detleft - detright;
    } else {
        return (det > 0) - (det < 0);
    }
    const double errbound = kSafeEpsilon * detsum;
    if (det >= errbound || -det >= errbound) return (det > 0) - (det < 0);
    return kUndecided;
}

// About four edges a slab: few edges visited per test, index no bigger than the rings.
constexpr std::size_t kEdgesPerSlab = 4;
constexpr std::size_t kMaxSlabs = 1u << 16;

}  // namespace

IndexedArea::IndexedArea(const OGRGeometry& area) {
    OGREnvelope envelope;
    area.getEnvelope(&envelope);
    min_x_ = envelope.MinX;
    min_y_ = envelope.MinY;
    max_x_ = envelope.MaxX;
    max_y_ = envelope.MaxY;

    switch (wkbFlatten(area.getGeometryType())) {
        case wkbPolygon:
            for (const auto* ring : *area.toPolygon()) add_ring(*ring);
            break;
        case wkbMultiPolygon:
            for (const auto* polygon : *area.toMultiPolygon())
                for (const auto* ring : *polygon) add_ring(*ring);
            break;
        default:
            indexed_ = false;
            return;
    }
    build_slabs();
}

void IndexedArea::add_ring(const OGRLinearRing& ring) {
    const int n = ring.getNumPoints();
    if (n == 0) return;
    const std::size_t first = xy_.size() / 2;
    for (int i = 0; i < n; ++i) {
        xy_.push_back(ring.getX(i));
        xy_.push_back(ring.getY(i));
    }
    // GEOS closes rings; so do we, so that every edge is (v, v + 1).
    if (ring.getX(0) != ring.getX(n - 1) || ring.getY(0) != ring.getY(n - 1)) {
        xy_.push_back(ring.getX(0));
        xy_.push_back(ring.getY(0));
    }
    const std::size_t last = xy_.size() / 2 - 1;
    for (std::size_t v = first; v < last; ++v) edge_start_.push_back(static_cast<std::uint32_t>(v));
}

std::uint32_t IndexedArea::slab_of(double y) const {
    const std::size_t slabs = slab_offset_.size() - 1;
    const double s = (y - min_y_) * slabs_per_metre_;
    if (!(s > 0)) return 0;  // also NaN
    return static_cast<std::uint32_t>(std::min(static_cast<double>(slabs - 1), std::floor(s)));
}

void IndexedArea::build_slabs() {
    const std::size_t slabs = std::clamp<std::size_t>(edge_start_.size() / kEdgesPerSlab, 1, kMaxSlabs);
    const double height = max_y_ - min_y_;
    slabs_per_metre_ = height > 0 ? static_cast<double>(slabs) / height : 0.0;
    slab_offset_.assign(slabs + 1, 0);

    // Two passes: count each slab's edges, then place them (compressed rows).
    auto each_edge_slab = [&](auto&& visit) {
        for (const std::uint32_t v : edge_start_) {
            const double y0 = xy_[2 * v + 1], y1 = xy_[2 * v + 3];
            const std::uint32_t s0 = slab_of(std::min(y0, y1)), s1 = slab_of(std::max(y0, y1));
            for (std::uint32_t s = s0; s <= s1; ++s) visit(s, v);
        }
    };
    each_edge_slab([&](std::uint32_t s, std::uint32_t) { ++slab_offset_[s + 1]; });
    for (std::size_t s = 0; s < slabs; ++s) slab_offset_[s + 1] += slab_offset_[s];
    slab_edges_.resize(slab_offset_.back());
    std::vector<std::uint32_t> fill(slab_offset_.begin(), slab_offset_.end() - 1);
    each_edge_slab([&](std::uint32_t s, std::uint32_t v) { slab_edges_[fill[s]++] = v; });
    edge_start_.clear();
    edge_start_.shrink_to_fit();
}

PointInArea IndexedArea::locate(double x, double y) const {
    if (!(x >= min_x_ && x <= max_x_ && y >= min_y_ && y <= max_y_)) return PointInArea::Outside;
    if (!indexed_) return PointInArea::Uncertain;

    // GEOS RayCrossingCounter::countSegment over the edges whose y-range may hold y.
    const std::uint32_t s = slab_of(y);
    bool undecided = false;
    unsigned crossings = 0;
    for (std::uint32_t k = slab_offset_[s]; k < slab_offset_[s + 1]; ++k) {
        const std::uint32_t v = slab_edges_[k];
        const double x1 = xy_[2 * v], y1 = xy_[2 * v + 1], x2 = xy_[2 * v + 2], y2 = xy_[2 * v + 3];
        if (x1 < x && x2 < x) continue;                     // wholly left of the point
        if (x == x2 && y == y2) return PointInArea::Covered;  // on a vertex
        if (y1 == y && y2 == y) {                            // horizontal, at the point's height
            if (x >= std::min(x1, x2) && x <= std::max(x1, x2)) return PointInArea::Covered;
            continue;
        }
        // Upward edges include their start and exclude their end; downward the reverse.
        if ((y1 > y && y2 <= y) || (y2 > y && y1 <= y)) {
            int sign = orientation_filter(x1, y1, x2, y2, x, y);
            if (sign == kUndecided) {
                undecided = true;
                continue;
            }
            if (sign == 0) return PointInArea::Covered;  // on the edge
            if (y2 < y1) sign = -sign;
            if (sign > 0) ++crossings;
        }
    }
    if (undecided) return PointInArea::Uncertain;
    return (crossings % 2 == 1) ? PointInArea::Covered : PointInArea::Outside;
}

}  // namespace hearth
