// Point location and nearest search checked against brute force computed another way:
// Boost.Geometry covered_by for point-in-polygon, GEOS distance for nearest.

#include <gtest/gtest.h>

#include <random>

#include "hearth/geometry/geos_context.hpp"
#include "hearth/geometry/nearest.hpp"
#include "hearth/analysis/count/point_count.hpp"
#include "hearth/geometry/point_location.hpp"
#include "hearth/geometry/spatial_index.hpp"
#include "hearth/geometry/spatial_order.hpp"

#include "test_support.hpp"

using namespace hearth;
using hearth::test::wkt;

namespace {


/// Irregular star-shaped polygons around random centres: concave, overlapping, some with holes.
std::vector<OGRGeometryUniquePtr> random_polygons(std::mt19937& rng, int n) {
    std::uniform_real_distribution<double> centre(0, 1000), radius(20, 120), jitter(0.5, 1.0);
    std::vector<OGRGeometryUniquePtr> out;
    for (int i = 0; i < n; ++i) {
        const double cx = centre(rng), cy = centre(rng), r = radius(rng);
        std::string ring;
        const int vertices = 7 + i % 9;
        for (int k = 0; k <= vertices; ++k) {
            const double t = 2 * M_PI * (k % vertices) / vertices, rr = r * (k % vertices == 0 ? 1.0 : jitter(rng));
            ring += (k ? "," : "") + std::to_string(cx + rr * std::cos(t)) + " " + std::to_string(cy + rr * std::sin(t));
        }
        // Close the ring exactly on its first vertex.
        ring = ring.substr(0, ring.rfind(',')) + "," + ring.substr(0, ring.find(','));
        std::string hole;
        if (i % 4 == 0)
            hole = ",(" + std::to_string(cx - 5) + " " + std::to_string(cy - 5) + "," + std::to_string(cx + 5) + " " +
                   std::to_string(cy - 5) + "," + std::to_string(cx + 5) + " " + std::to_string(cy + 5) + "," +
                   std::to_string(cx - 5) + " " + std::to_string(cy + 5) + "," + std::to_string(cx - 5) + " " +
                   std::to_string(cy - 5) + ")";
        out.push_back(wkt("POLYGON ((" + ring + ")" + hole + ")"));
    }
    return out;
}

PointSet random_points(std::mt19937& rng, int n) {
    std::uniform_real_distribution<double> coordinate(-100, 1100);
    PointSet p;
    for (int i = 0; i < n; ++i) {
        p.x.push_back(coordinate(rng));
        p.y.push_back(coordinate(rng));
        p.source_row.push_back(i);
    }
    return p;
}

PointSet one_point(double x, double y) {
    PointSet p;
    p.x = {x};
    p.y = {y};
    p.source_row = {0};
    return p;
}

std::vector<const OGRGeometry*> raw(const std::vector<OGRGeometryUniquePtr>& v) {
    std::vector<const OGRGeometry*> out;
    for (const auto& g : v) out.push_back(g.get());
    return out;
}

bg::model::polygon<IndexPoint> boost_polygon(const OGRPolygon& p) {
    bg::model::polygon<IndexPoint> out;
    for (const auto& v : *p.getExteriorRing()) out.outer().emplace_back(v.getX(), v.getY());
    for (int i = 0; i < p.getNumInteriorRings(); ++i) {
        out.inners().emplace_back();
        for (const auto& v : *p.getInteriorRing(i)) out.inners().back().emplace_back(v.getX(), v.getY());
    }
    bg::correct(out);
    return out;
}

}  // namespace

TEST(PointLocationTest, MatchesBruteForceOnRandomConcaveOverlappingPolygons) {
    std::mt19937 rng(42);
    const auto polygons = random_polygons(rng, 60);
    const PointSet points = random_points(rng, 20000);
    const auto located = locate_points(points, raw(polygons), 2);

    std::vector<bg::model::polygon<IndexPoint>> reference;
    for (const auto& p : polygons) reference.push_back(boost_polygon(*p->toPolygon()));
    std::size_t inside = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        std::int32_t expected = kNoArea;
        for (std::size_t a = 0; a < reference.size(); ++a)
            if (bg::covered_by(IndexPoint(points.x[i], points.y[i]), reference[a])) {
                expected = static_cast<std::int32_t>(a);
                break;
            }
        ASSERT_EQ(located[i], expected) << "point " << i << " at " << points.x[i] << "," << points.y[i];
        inside += expected != kNoArea;
    }
    EXPECT_GT(inside, 2000u);  // the test exercises both outcomes
}

TEST(PointLocationTest, PointOnASharedBoundaryIsCountedOnceInTheFirstArea) {
    const auto left = wkt("POLYGON ((0 0,10 0,10 10,0 10,0 0))");
    const auto right = wkt("POLYGON ((10 0,20 0,20 10,10 10,10 0))");
    PointSet p;
    p.x = {10, 10, 5, 15, 25};
    p.y = {5, 10, 5, 5, 5};
    p.source_row = {1, 2, 3, 4, 5};
    const auto located = locate_points(p, {left.get(), right.get()}, 2);
    EXPECT_EQ(located, (std::vector<std::int32_t>{0, 0, 0, 1, kNoArea}));
    const auto swapped = locate_points(p, {right.get(), left.get()}, 1);
    EXPECT_EQ(swapped, (std::vector<std::int32_t>{0, 0, 1, 0, kNoArea}));
}

TEST(PointCountTest, CountsCategoriesAndSumsPerAreaAndReportsPointsOutside) {
    FeatureTable areas;
    areas.name = "areas";
    areas.geometry_type = wkbMultiPolygon;
    areas.fields = {{"code", FieldType::String, ""}};
    for (const char* w : {"POLYGON ((0 0,10 0,10 10,0 10,0 0))", "POLYGON ((10 0,20 0,20 10,10 10,10 0))"}) {
        Feature f;
        f.values = {std::string(areas.features.empty() ? "A" : "B")};
        f.geometry = wkt(w);
        areas.features.push_back(std::move(f));
    }
    PointSet p;
    p.x = {1, 2, 10, 15, 30};
    p.y = {1, 2, 5, 5, 30};
    p.source_row = {11, 12, 13, 14, 15};
    p.category_names = {"Owner occupied", "Social rent"};
    p.category = {1, 0, 1, -1, 1};
    p.values = {{10, 20, 30, 40, 50}};
    const auto r = count_points_in_areas(std::move(areas), "code", p, {"homes"}, 2);
    ASSERT_EQ(r.areas.fields.size(), 5u);
    EXPECT_EQ(r.areas.fields[2].name, "count_owner_occupied");
    EXPECT_EQ(r.areas.fields[3].name, "count_social_rent");
    EXPECT_EQ(r.areas.fields[4].name, "sum_homes");
    const auto& a = r.areas.features[0].values;
    EXPECT_EQ(std::get<std::int64_t>(a[1]), 3);  // (1,1), (2,2) and (10,5) on the shared edge
    EXPECT_EQ(std::get<std::int64_t>(a[2]), 1);
    EXPECT_EQ(std::get<std::int64_t>(a[3]), 2);
    EXPECT_DOUBLE_EQ(std::get<double>(a[4]), 60.0);
    const auto& b = r.areas.features[1].values;
    EXPECT_EQ(std::get<std::int64_t>(b[1]), 1);
    EXPECT_DOUBLE_EQ(std::get<double>(b[4]), 40.0);
    EXPECT_EQ(r.points_outside, 1u);
    EXPECT_EQ(r.outside_examples, std::vector<std::int64_t>{15});
}

TEST(NearestTest, MatchesGeosDistanceBruteForceForPolygonTargets) {
    std::mt19937 rng(7);
    const auto polygons = random_polygons(rng, 40);
    const PointSet points = random_points(rng, 3000);
    const auto nearest = nearest_targets(points, raw(polygons), 0, 2);

    GeosContext geos;
    std::vector<GeosGeometry> targets;
    for (const auto& p : polygons) targets.push_back(to_geos(geos, *p));
    for (std::size_t i = 0; i < points.size(); ++i) {
        const GeosGeometry pt(geos.handle(), GEOSGeom_createPointFromXY_r(geos.handle(), points.x[i], points.y[i]));
        double best = 1e300;
        for (const auto& t : targets) {
            double d = 0;
            ASSERT_EQ(GEOSDistance_r(geos.handle(), pt.get(), t.get(), &d), 1);
            best = std::min(best, d);
        }
        ASSERT_NE(nearest.target[i], kNoTarget);
        ASSERT_NEAR(nearest.distance_m[i], best, 1e-7) << "point " << i;
    }
}

TEST(NearestTest, PointTargetsWithMaximumDistanceAndTiesToTheFirstTarget) {
    const auto a = wkt("POINT (0 10)"), b = wkt("POINT (0 -10)"), c = wkt("POINT (100 0)");
    PointSet p;
    p.x = {0, 100, 50, 500};
    p.y = {0, 3, 0, 500};
    p.source_row = {1, 2, 3, 4};
    const auto r = nearest_targets(p, {a.get(), b.get(), c.get()}, 60.0, 2);
    // (0,0) is 10 m from both a and b: a comes first. (50,0): c at 50 m beats a and b at 50.99 m.
    EXPECT_EQ(r.target, (std::vector<std::int32_t>{0, 2, 2, kNoTarget}));
    EXPECT_DOUBLE_EQ(r.distance_m[0], 10.0);
    EXPECT_DOUBLE_EQ(r.distance_m[1], 3.0);
    EXPECT_DOUBLE_EQ(r.distance_m[2], 50.0);
    EXPECT_TRUE(std::isnan(r.distance_m[3]));
}

TEST(NearestTest, InsideAPolygonIsZeroAndCountWithinIncludesTheEdge) {
    const auto park = wkt("POLYGON ((0 0,100 0,100 100,0 100,0 0))");
    const auto gp = wkt("POINT (1100 50)");
    PointSet p;
    p.x = {50, 200};
    p.y = {50, 50};
    p.source_row = {1, 2};
    const auto r = nearest_targets(p, {park.get()}, 0, 1);
    EXPECT_DOUBLE_EQ(r.distance_m[0], 0.0);
    EXPECT_DOUBLE_EQ(r.distance_m[1], 100.0);
    EXPECT_EQ(count_within(p, {park.get(), gp.get()}, 900.0, 1), (std::vector<std::int32_t>{1, 2}));
    // Weighted: the park 10 and the surgery 5,000 patients. The first point reaches only
    // the park (the surgery is 1,050 m away), the second both (100 m and 900 m).
    const WithinTotals totals = count_and_sum_within(p, {park.get(), gp.get()}, {10.0, 5000.0}, 900.0, 2);
    EXPECT_EQ(totals.count, (std::vector<std::int32_t>{1, 2}));
    EXPECT_EQ(totals.sum, (std::vector<double>{10.0, 5010.0}));
}

TEST(NearestTest, PointsInSpatialOrderGetTheSameAnswersAsBruteForceWithTiesAndALimit) {
    // In Hilbert order each search starts from the previous point's target (a window
    // query); answers must not depend on that: same distances, ties to the first target.
    std::mt19937 rng(11);
    const auto polygons = random_polygons(rng, 60);
    std::vector<OGRGeometryUniquePtr> targets;
    for (const auto& p : polygons) targets.push_back(OGRGeometryUniquePtr(p->clone()));
    for (int k = 0; k < 30; ++k)  // the same point twice: a tie only the lower index may win
        for (int copy = 0; copy < 2; ++copy)
            targets.push_back(wkt("POINT (" + std::to_string(k * 37 % 1000) + " " + std::to_string(k * 53 % 1000) + ")"));
    PointSet points = random_points(rng, 4000);
    sort_spatially(points, 2);
    for (const double limit : {0.0, 25.0}) {
        const auto nearest = nearest_targets(points, raw(targets), limit, 2);
        for (std::size_t i = 0; i < points.size(); ++i) {
            const OGRPoint p(points.x[i], points.y[i]);
            double best = 1e300;
            std::int32_t first = kNoTarget;
            for (std::size_t t = 0; t < targets.size(); ++t) {
                const double d = targets[t]->Distance(&p);
                if (d < best - 1e-9) {
                    best = d;
                    first = static_cast<std::int32_t>(t);
                }
            }
            if (limit > 0 && best > limit) {
                EXPECT_EQ(nearest.target[i], kNoTarget) << "point " << i;
                continue;
            }
            ASSERT_NEAR(nearest.distance_m[i], best, 1e-7) << "point " << i;
            if (first >= static_cast<std::int32_t>(polygons.size())) {  // a duplicated point target
                EXPECT_EQ(nearest.target[i], first) << "point " << i;
            }
        }
    }
}

TEST(NearestTest, AMultipointTargetIsAsNearAsItsNearestPointNotItsHull) {
    const auto target = wkt("MULTIPOINT ((0 0),(100 0))");
    const auto nearest = nearest_targets(one_point(50, 1), {target.get()}, 0, 1);
    EXPECT_NEAR(nearest.distance_m[0], std::hypot(50.0, 1.0), 1e-9);
}

TEST(NearestTest, ACollectionTargetIsRefusedWithItsType) {
    const auto target = wkt("GEOMETRYCOLLECTION (POINT (0 0),LINESTRING (0 0,1 1))");
    try {
        nearest_targets(one_point(5, 5), {target.get()}, 0, 1);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Geometry Collection"), std::string::npos) << e.what();
    }
}
