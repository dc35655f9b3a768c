// IndexedArea must give GEOS's answer (GEOSPreparedIntersects of a point) wherever it
// gives one, including the degenerate cases of a ray-crossing test: points on vertices,
// on horizontal and sloping edges, level with vertices, and in holes.

#include <gtest/gtest.h>

#include <random>

#include "hearth/geometry/geos_context.hpp"
#include "hearth/geometry/indexed_area.hpp"

#include "test_support.hpp"

using namespace hearth;
using hearth::test::wkt;

namespace {


/// GEOS's own answer, the reference.
class GeosReference {
public:
    explicit GeosReference(const OGRGeometry& area)
        : geometry_(geos_from_wkb(context_, to_wkb(&area))),
          prepared_(context_.handle(), GEOSPrepare_r(context_.handle(), geometry_.get())) {}
    ~GeosReference() { prepared_.reset(); }
    GeosReference(const GeosReference&) = delete;
    GeosReference& operator=(const GeosReference&) = delete;

    bool covers(double x, double y) {
        const GeosGeometry point(context_.handle(), GEOSGeom_createPointFromXY_r(context_.handle(), x, y));
        return geos_predicate(context_, GEOSPreparedIntersects_r(context_.handle(), prepared_.get(), point.get()),
                              "reference");
    }

private:
    GeosContext context_;
    GeosGeometry geometry_;
    GeosPrepared prepared_;
};

struct Agreement {
    int decided = 0, uncertain = 0, covered = 0;
};

/// Every point IndexedArea decides must agree with GEOS; returns the tallies.
Agreement compare_with_geos(const OGRGeometry& area, const std::vector<std::pair<double, double>>& points) {
    const IndexedArea indexed(area);
    GeosReference geos(area);
    Agreement a;
    for (const auto& [x, y] : points) {
        const PointInArea got = indexed.locate(x, y);
        if (got == PointInArea::Uncertain) {
            ++a.uncertain;
            continue;
        }
        ++a.decided;
        const bool covered = got == PointInArea::Covered;
        a.covered += covered;
        EXPECT_EQ(covered, geos.covers(x, y)) << "point " << x << " " << y;
    }
    return a;
}

/// The area's vertices, its edges' midpoints, and points level with each vertex.
std::vector<std::pair<double, double>> awkward_points(const OGRGeometry& area) {
    std::vector<std::pair<double, double>> out;
    OGREnvelope e;
    area.getEnvelope(&e);
    auto add_ring = [&](const OGRLinearRing& ring) {
        for (int i = 0; i + 1 < ring.getNumPoints(); ++i) {
            const double x0 = ring.getX(i), y0 = ring.getY(i), x1 = ring.getX(i + 1), y1 = ring.getY(i + 1);
            out.emplace_back(x0, y0);
            out.emplace_back((x0 + x1) / 2, (y0 + y1) / 2);
            for (double x = e.MinX - 1; x <= e.MaxX + 1; x += (e.MaxX - e.MinX) / 17) out.emplace_back(x, y0);
        }
    };
    const auto* polygons = area.toMultiPolygon();
    for (const auto* polygon : *polygons)
        for (const auto* ring : *polygon) add_ring(*ring);
    return out;
}

}  // namespace

TEST(IndexedAreaTest, SquareWithHoleAnswersLikeGeosOnVerticesEdgesAndHoles) {
    const auto area = wkt("MULTIPOLYGON (((0 0,10 0,10 10,0 10,0 0),(4 4,6 4,6 6,4 6,4 4)))");
    const IndexedArea indexed(*area);
    EXPECT_EQ(indexed.locate(1, 1), PointInArea::Covered);
    EXPECT_EQ(indexed.locate(5, 5), PointInArea::Outside) << "in the hole";
    EXPECT_EQ(indexed.locate(4, 5), PointInArea::Covered) << "on the hole's edge";
    EXPECT_EQ(indexed.locate(10, 10), PointInArea::Covered) << "on a corner";
    EXPECT_EQ(indexed.locate(5, 0), PointInArea::Covered) << "on a horizontal edge";
    EXPECT_EQ(indexed.locate(10.000001, 5), PointInArea::Outside);
    EXPECT_EQ(indexed.locate(-1, 4), PointInArea::Outside) << "level with the hole's corner, outside";
    EXPECT_EQ(indexed.locate(2, 4), PointInArea::Covered) << "level with the hole's corner, inside";

    const Agreement a = compare_with_geos(*area, awkward_points(*area));
    EXPECT_EQ(a.uncertain, 0) << "axis-aligned edges are always decidable";
}

TEST(IndexedAreaTest, RandomStarPolygonsAndMultipolygonsAgreeWithGeosEverywhereTheyDecide) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> jitter(0.3, 1.0), unit(0, 1);
    for (int shape = 0; shape < 40; ++shape) {
        // Two concave stars far apart (a multipolygon), the first with a triangular hole.
        std::string text = "MULTIPOLYGON (";
        for (int part = 0; part < 2; ++part) {
            const double cx = 1000 * part + 500123.25, cy = 180456.5, r = 300;
            const int n = 5 + shape * 3;
            std::string ring;
            for (int k = 0; k < n; ++k) {
                const double t = 2 * M_PI * k / n, rr = r * jitter(rng);
                ring += std::to_string(cx + rr * std::cos(t)) + " " + std::to_string(cy + rr * std::sin(t)) + ",";
            }
            ring += ring.substr(0, ring.find(','));
            std::string hole;
            if (part == 0)
                hole = ",(" + std::to_string(cx - 20) + " " + std::to_string(cy - 10) + "," + std::to_string(cx + 20) + " " +
                       std::to_string(cy - 10) + "," + std::to_string(cx) + " " + std::to_string(cy + 25) + "," +
                       std::to_string(cx - 20) + " " + std::to_string(cy - 10) + ")";
            text += std::string(part ? "," : "") + "((" + ring + ")" + hole + ")";
        }
        const auto area = wkt(text + ")");
        ASSERT_TRUE(area);
        std::vector<std::pair<double, double>> points = awkward_points(*area);
        OGREnvelope e;
        area->getEnvelope(&e);
        for (int i = 0; i < 2000; ++i)
            points.emplace_back(e.MinX - 5 + unit(rng) * (e.MaxX - e.MinX + 10),
                                e.MinY - 5 + unit(rng) * (e.MaxY - e.MinY + 10));
        const Agreement a = compare_with_geos(*area, points);
        EXPECT_GT(a.covered, 0);
        // Only points within rounding of a sloping edge (some midpoints) are left to GEOS.
        EXPECT_LT(a.uncertain, static_cast<int>(points.size()) / 20) << "shape " << shape;
    }
}

TEST(IndexedAreaTest, NonPolygonalAreasAreLeftToGeosInsideTheirEnvelope) {
    const auto area = wkt("GEOMETRYCOLLECTION (POLYGON ((0 0,1 0,1 1,0 0)),LINESTRING (0 0,5 5))");
    const IndexedArea indexed(*area);
    EXPECT_FALSE(indexed.indexed());
    EXPECT_EQ(indexed.locate(2, 2), PointInArea::Uncertain);
    EXPECT_EQ(indexed.locate(6, 6), PointInArea::Outside);
}
