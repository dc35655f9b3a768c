// Hilbert ordering: a true Hilbert curve (each step moves to a neighbouring cell), and
// sorting a point set keeps each point's columns together.

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "hearth/geometry/spatial_order.hpp"

using namespace hearth;

TEST(SpatialOrderTest, HilbertIndexVisitsTheFirstBlockCellByCellWithUnitSteps) {
    // The curve starts at the origin, so its first 4^8 positions fill the 256 x 256 corner.
    constexpr std::uint32_t side = 256;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cell_at(side * side, {~0u, ~0u});
    for (std::uint32_t x = 0; x < side; ++x)
        for (std::uint32_t y = 0; y < side; ++y) {
            const std::uint32_t d = hilbert_index(x, y);
            ASSERT_LT(d, side * side) << x << " " << y;
            ASSERT_EQ(cell_at[d].first, ~0u) << "two cells at position " << d;
            cell_at[d] = {x, y};
        }
    for (std::size_t d = 1; d < cell_at.size(); ++d) {
        const auto [x0, y0] = cell_at[d - 1];
        const auto [x1, y1] = cell_at[d];
        EXPECT_EQ(std::abs(int(x1) - int(x0)) + std::abs(int(y1) - int(y0)), 1) << "step " << d;
    }
}

TEST(SpatialOrderTest, SortingKeepsEachPointsColumnsTogetherAndIsTheSameOnAnyThreadCount) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(0, 10000);
    PointSet points;
    for (int i = 0; i < 5000; ++i) {
        points.x.push_back(500000 + u(rng));
        points.y.push_back(180000 + u(rng));
        points.source_row.push_back(i);
        points.ids.push_back("H" + std::to_string(i));
        points.category.push_back(i % 3);
    }
    points.values = {std::vector<double>(5000)};
    for (int i = 0; i < 5000; ++i) points.values[0][i] = i * 2.0;
    PointSet one = points, two = points;
    sort_spatially(one, 1);
    sort_spatially(two, 2);
    EXPECT_EQ(one.source_row, two.source_row);
    std::set<std::int64_t> seen;
    double path = 0, unsorted_path = 0;
    for (std::size_t k = 0; k < one.size(); ++k) {
        const auto i = one.source_row[k];
        seen.insert(i);
        EXPECT_EQ(one.x[k], points.x[i]);
        EXPECT_EQ(one.y[k], points.y[i]);
        EXPECT_EQ(one.ids[k], points.ids[i]);
        EXPECT_EQ(one.category[k], points.category[i]);
        EXPECT_EQ(one.values[0][k], points.values[0][i]);
        if (k) {
            path += std::hypot(one.x[k] - one.x[k - 1], one.y[k] - one.y[k - 1]);
            unsorted_path += std::hypot(points.x[k] - points.x[k - 1], points.y[k] - points.y[k - 1]);
        }
    }
    EXPECT_EQ(seen.size(), 5000u);
    // In curve order, consecutive points are near each other: the path is far shorter.
    EXPECT_LT(path, unsorted_path / 20);
}
