#pragma once
// Areas of intersection between two polygon layers (a_ij in Tobler's notation): the
// building block of area-weighted interpolation and of "green space per area".
// Candidate pairs come from a packed R-tree; each pair is intersected with GEOS
// OverlayNG. Pairs that only touch (shared edges of neighbouring boundaries) have area
// 0 and are dropped. Should OverlayNG fail on a pair (robustness), it is retried snapped
// to a 1 mm grid, and that is counted.

#include <cstdint>
#include <vector>

#include <ogr_geometry.h>

namespace hearth {

struct AreaOverlap {
    std::uint32_t a;     ///< index in the first layer
    std::uint32_t b;     ///< index in the second layer
    double area_m2;      ///< area of the intersection, > 0
};

struct OverlayResult {
    std::vector<AreaOverlap> overlaps;  ///< sorted by (a, b)
    std::vector<double> area_a_m2;      ///< area of each first-layer polygon
    std::vector<double> area_b_m2;      ///< area of each second-layer polygon
    std::size_t snapped_pairs = 0;      ///< pairs that needed the 1 mm snap-rounding retry
};

OverlayResult overlay_areas(const std::vector<const OGRGeometry*>& a, const std::vector<const OGRGeometry*>& b,
                            unsigned workers);

}  // namespace hearth
