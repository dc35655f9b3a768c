#include <gtest/gtest.h>

#include "hearth/geometry/geometry_repair.hpp"

#include "test_support.hpp"

using namespace hearth;
using hearth::test::wkt;

namespace {


double area(const OGRGeometry& g) {
    return dynamic_cast<const OGRSurface*>(&g) ? dynamic_cast<const OGRSurface&>(g).get_Area()
                                               : dynamic_cast<const OGRMultiSurface&>(g).get_Area();
}

}  // namespace

TEST(GeometryRepairTest, ValidPolygonIsLeftAlone) {
    GeosContext geos;
    auto g = wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
    const OGRGeometry* before = g.get();
    EXPECT_EQ(repair_geometry(geos, g), RepairOutcome::AlreadyValid);
    EXPECT_EQ(g.get(), before);
}

TEST(GeometryRepairTest, BowTieBecomesTwoTrianglesWithTheirTrueArea) {
    // Self-intersecting at (5,5): two triangles of 25 m² each. Shoelace on the ring gives 0.
    GeosContext geos;
    auto g = wkt("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
    EXPECT_EQ(repair_geometry(geos, g), RepairOutcome::Repaired);
    ASSERT_TRUE(g);
    EXPECT_EQ(wkbFlatten(g->getGeometryType()), wkbMultiPolygon);
    EXPECT_NEAR(area(*g), 50.0, 1e-9);
    EXPECT_TRUE(g->IsValid());
}

TEST(GeometryRepairTest, PolygonCollapsedToALineIsReportedCollapsed) {
    GeosContext geos;
    auto g = wkt("POLYGON ((0 0, 10 0, 20 0, 0 0))");
    EXPECT_EQ(repair_geometry(geos, g), RepairOutcome::Collapsed);
    EXPECT_FALSE(g);
}

TEST(GeometryRepairTest, GeosPredicateExceptionIsNotReadAsTrue) {
    GeosContext geos;
    EXPECT_THROW(geos_predicate(geos, 2, "test"), std::runtime_error);
    EXPECT_TRUE(geos_predicate(geos, 1, "test"));
    EXPECT_FALSE(geos_predicate(geos, 0, "test"));
}
