// Area-weighted interpolation checked against overlaps computed by hand on rectangles.

#include <gtest/gtest.h>

#include "hearth/analysis/interpolation/areal_interpolation.hpp"

using namespace hearth;

namespace {

OGRGeometryUniquePtr box(double x0, double y0, double x1, double y1) {
    OGRGeometry* g = nullptr;
    const std::string w = "POLYGON ((" + std::to_string(x0) + " " + std::to_string(y0) + "," + std::to_string(x1) + " " +
                          std::to_string(y0) + "," + std::to_string(x1) + " " + std::to_string(y1) + "," +
                          std::to_string(x0) + " " + std::to_string(y1) + "," + std::to_string(x0) + " " +
                          std::to_string(y0) + "))";
    OGRGeometryFactory::createFromWkt(w.c_str(), nullptr, &g);
    return OGRGeometryUniquePtr(g);
}

std::vector<const OGRGeometry*> raw(const std::vector<OGRGeometryUniquePtr>& v) {
    std::vector<const OGRGeometry*> out;
    for (const auto& g : v) out.push_back(g.get());
    return out;
}

}  // namespace

// Sources: a 4×4 grid of 10 m squares. Targets: two rectangles splitting the grid at x = 15
// (through the middle of a column) and a third far away.
class InterpolationTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 4; ++c) sources.push_back(box(c * 10, r * 10, c * 10 + 10, r * 10 + 10));
        targets.push_back(box(0, 0, 15, 40));
        targets.push_back(box(15, 0, 40, 40));
        targets.push_back(box(100, 100, 110, 110));
        overlay = overlay_areas(raw(sources), raw(targets), 2);
    }
    std::vector<OGRGeometryUniquePtr> sources, targets;
    OverlayResult overlay;
};

TEST_F(InterpolationTest, OverlapAreasMatchHandComputationAndTouchingPairsAreDropped) {
    // Each row: column 0 wholly in target 0 (100 m²), column 1 split 50/50, columns 2-3 in target 1.
    // Shared edges (x = 10, 20, 30 against x = 15 boundary) touch only and give no pair.
    ASSERT_EQ(overlay.overlaps.size(), 4u * 5u);
    double total0 = 0, total1 = 0;
    for (const auto& o : overlay.overlaps) (o.b == 0 ? total0 : total1) += o.area_m2;
    EXPECT_NEAR(total0, 15 * 40, 1e-9);
    EXPECT_NEAR(total1, 25 * 40, 1e-9);
    EXPECT_DOUBLE_EQ(overlay.area_b_m2[2], 100.0);
}

TEST_F(InterpolationTest, ExtensiveValuesSumBackToTheSourceTotal) {
    InterpolatedVariable homes{{}, Quantity::Extensive};
    double total = 0;
    for (int i = 0; i < 16; ++i) {
        homes.source.push_back(10.0 * (i + 1));
        total += 10.0 * (i + 1);
    }
    const auto v = interpolate(overlay, homes, 3);
    ASSERT_TRUE(v[0] && v[1]);
    EXPECT_NEAR(*v[0] + *v[1], total, 1e-9);
    // Target 0 takes column 0 whole and half of column 1: rows r give cells 4r+1 and 4r+2 (1-based).
    double expected0 = 0;
    for (int r = 0; r < 4; ++r) expected0 += 10.0 * (4 * r + 1) + 0.5 * 10.0 * (4 * r + 2);
    EXPECT_NEAR(*v[0], expected0, 1e-9);
    EXPECT_FALSE(v[2]) << "a target no source reaches is null";
}

TEST_F(InterpolationTest, IntensiveValuesAreAreaWeightedMeans) {
    // Rate 1 in column 0, 3 in column 1, 7 elsewhere. Target 0: (1×400 + 3×200)/600.
    InterpolatedVariable rate{{}, Quantity::Intensive};
    for (int i = 0; i < 16; ++i) rate.source.push_back(i % 4 == 0 ? 1.0 : i % 4 == 1 ? 3.0 : 7.0);
    const auto v = interpolate(overlay, rate, 3);
    EXPECT_NEAR(*v[0], (1.0 * 400 + 3.0 * 200) / 600, 1e-12);
    EXPECT_NEAR(*v[1], (3.0 * 200 + 7.0 * 800) / 1000, 1e-12);
}

TEST_F(InterpolationTest, PopulationWeightingFollowsWhereThePeopleAre) {
    // Column 1 holds everyone: target 0's rate is column 1's rate, whatever column 0 says.
    InterpolatedVariable rate{{}, Quantity::Intensive};
    std::vector<std::optional<double>> population;
    for (int i = 0; i < 16; ++i) {
        rate.source.push_back(i % 4 == 0 ? 1.0 : 3.0);
        population.push_back(i % 4 == 1 ? 100.0 : 0.0);
    }
    const auto v = interpolate(overlay, rate, 3, &population);
    EXPECT_NEAR(*v[0], 3.0, 1e-12);
}

TEST_F(InterpolationTest, NullSourceValuesNeitherAddNorDilute) {
    InterpolatedVariable rate{{}, Quantity::Intensive};
    for (int i = 0; i < 16; ++i) rate.source.push_back(i % 4 == 0 ? std::optional<double>{} : std::optional<double>{5.0});
    EXPECT_NEAR(*interpolate(overlay, rate, 3)[0], 5.0, 1e-12);
}
