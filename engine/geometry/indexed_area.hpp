#pragma once
// An area's rings with their edges indexed by horizontal slabs, for point-in-polygon
// tests on bare coordinates: no GEOS point is built per test, and only the edges whose
// y-range covers the point are visited.
//
// The test is GEOS's own (RayCrossingCounter, as used by its IndexedPointInAreaLocator
// and so by GEOSPreparedIntersects): a ray to the right of the point, crossings counted
// with the robust orientation filter GEOS uses. Where that filter cannot decide (the
// point within rounding error of an edge's line), the answer is Uncertain and the caller
// asks GEOS, so results are GEOS's, bit for bit, only faster.

#include <cstdint>
#include <vector>

#include <ogr_geometry.h>

namespace hearth {

enum class PointInArea : std::uint8_t {
    Outside,    ///< in the exterior
    Covered,    ///< in the interior or on the boundary
    Uncertain,  ///< too close to an edge to decide in double precision: ask GEOS
};

class IndexedArea {
public:
    /// Polygons and multipolygons are indexed; any other geometry (curves, collections)
    /// is not, and locate() answers Uncertain for every point in its envelope.
    explicit IndexedArea(const OGRGeometry& area);

    PointInArea locate(double x, double y) const;

    /// False when the geometry is not (multi)polygonal and every test goes to GEOS.
    bool indexed() const { return indexed_; }

private:
    void add_ring(const OGRLinearRing& ring);
    void build_slabs();
    std::uint32_t slab_of(double y) const;

    bool indexed_ = true;
    double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;
    double slabs_per_metre_ = 0;
    std::vector<double> xy_;                  ///< ring vertices, x y interleaved, rings closed
    std::vector<std::uint32_t> edge_start_;   ///< vertex index of each edge's first end
    std::vector<std::uint32_t> slab_offset_;  ///< slab s's edges: slab_edges_[offset[s], offset[s+1])
    std::vector<std::uint32_t> slab_edges_;   ///< vertex index of the edge's first end
};

}  // namespace hearth
