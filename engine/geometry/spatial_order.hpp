#pragma once
// Points put in Hilbert-curve order over their extent. Tree queries for neighbouring
// points then walk the same nodes one after another, so at national scale (25 million
// homes against 150,000 green spaces or 400,000 stops) the index stays in cache instead
// of being fetched from memory for every home: the same answers, sooner.

#include <cstdint>
#include <vector>

#include "hearth/core/point_set.hpp"

namespace hearth {

/// Position of (x, y) along a Hilbert curve filling a 65,536 × 65,536 grid.
std::uint32_t hilbert_index(std::uint32_t x, std::uint32_t y);

/// Indices of the points in Hilbert order over their bounding box; ties (points in the
/// same grid cell) in index order, so the order is deterministic.
std::vector<std::uint32_t> hilbert_order(const std::vector<double>& x, const std::vector<double>& y, unsigned workers);

/// Puts every column of `points` in Hilbert order. source_row still names each point's
/// feature in its source, so outputs can be joined back.
void sort_spatially(PointSet& points, unsigned workers);

}  // namespace hearth
