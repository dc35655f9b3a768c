#include "hearth/spatial_order.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "hearth/parallel.hpp"

namespace hearth {

std::uint32_t hilbert_index(std::uint32_t x, std::uint32_t y) {
    // The classic rotate-and-accumulate walk over the grid's 16 levels.
    std::uint32_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) ? 1 : 0, ry = (y & s) ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - (x & (s - 1));
                y = s - 1 - (y & (s - 1));
            }
            std::swap(x, y);
        }
        x &= s - 1;
        y &= s - 1;
    }
    return d;
}

std::vector<std::uint32_t> hilbert_order(const std::vector<double>& x, const std::vector<double>& y, unsigned workers) {
    const std::size_t n = x.size();
    if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("hilbert_order: more than 2^32 points");
    double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
    for (std::size_t i = 0; i < n; ++i) {
        min_x = std::min(min_x, x[i]);
        max_x = std::max(max_x, x[i]);
        min_y = std::min(min_y, y[i]);
        max_y = std::max(max_y, y[i]);
    }
    const double span = std::max(max_x - min_x, max_y - min_y);
    const double cells_per_metre = span > 0 ? 65535.0 / span : 0.0;

    // Key: curve position in the high half, point index in the low half.
    std::vector<std::uint64_t> keys(n);
    parallel_blocks(n, workers, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t i = begin; i < end; ++i) {
            const auto gx = static_cast<std::uint32_t>(std::clamp((x[i] - min_x) * cells_per_metre, 0.0, 65535.0));
            const auto gy = static_cast<std::uint32_t>(std::clamp((y[i] - min_y) * cells_per_metre, 0.0, 65535.0));
            keys[i] = (static_cast<std::uint64_t>(hilbert_index(gx, gy)) << 32) | i;
        }
    });
    // Each worker sorts a block; the sorted blocks are then merged pairwise.
    const std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(workers, n));
    std::vector<std::size_t> bounds;
    for (std::size_t b = 0; b <= blocks; ++b) bounds.push_back(n * b / blocks);
    parallel_blocks(blocks, workers, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t b = begin; b < end; ++b)
            std::sort(keys.begin() + static_cast<std::ptrdiff_t>(bounds[b]), keys.begin() + static_cast<std::ptrdiff_t>(bounds[b + 1]));
    });
    for (std::size_t width = 1; width < blocks; width *= 2)
        for (std::size_t b = 0; b + width < blocks; b += 2 * width)
            std::inplace_merge(keys.begin() + static_cast<std::ptrdiff_t>(bounds[b]),
                               keys.begin() + static_cast<std::ptrdiff_t>(bounds[b + width]),
                               keys.begin() + static_cast<std::ptrdiff_t>(bounds[std::min(blocks, b + 2 * width)]));

    std::vector<std::uint32_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(keys[i] & 0xffffffffu);
    return order;
}

namespace {

template <typename T>
void permute(std::vector<T>& column, const std::vector<std::uint32_t>& order) {
    if (column.empty()) return;
    std::vector<T> sorted;
    sorted.reserve(column.size());
    for (const std::uint32_t i : order) sorted.push_back(std::move(column[i]));
    column = std::move(sorted);
}

}  // namespace

void sort_spatially(PointSet& points, unsigned workers) {
    const std::vector<std::uint32_t> order = hilbert_order(points.x, points.y, workers);
    permute(points.x, order);
    permute(points.y, order);
    permute(points.source_row, order);
    permute(points.category, order);
    permute(points.ids, order);
    for (auto& v : points.values) permute(v, order);
}

}  // namespace hearth
