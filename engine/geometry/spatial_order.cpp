#include "hearth/geometry/spatial_order.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "hearth/core/parallel.hpp"

namespace hearth {

std::uint32_t hilbert_index(std::uint32_t x, std::uint32_t y) {
    // The classic rotate-and-accumulate walk over the grid's 16 levels, without branches
    // (they are unpredictable, and this runs for every home of a national run).
    std::uint32_t d = 0;
    for (std::uint32_t s = 1u << 15; s > 0; s >>= 1) {
        const std::uint32_t rx = (x & s) != 0, ry = (y & s) != 0;
        d += s * s * ((3 * rx) ^ ry);
        x &= s - 1;
        y &= s - 1;
        const std::uint32_t flip = (0u - (rx & (ry ^ 1u))) & (s - 1);  // reflect when rx = 1, ry = 0
        x ^= flip;
        y ^= flip;
        const std::uint32_t swap = (x ^ y) & (0u - (ry ^ 1u));  // transpose when ry = 0
        x ^= swap;
        y ^= swap;
    }
    return d;
}

namespace {

/// Stable LSD radix sort of `keys` on their high 32 bits (the curve position), a byte a
/// pass: ties keep their order, which is the point index in the low half.
void radix_sort_high_half(std::vector<std::uint64_t>& keys) {
    std::vector<std::uint64_t> buffer(keys.size());
    for (int shift = 32; shift < 64; shift += 8) {
        std::size_t start[257] = {};
        for (const std::uint64_t k : keys) ++start[((k >> shift) & 0xff) + 1];
        for (int b = 0; b < 256; ++b) start[b + 1] += start[b];
        for (const std::uint64_t k : keys) buffer[start[(k >> shift) & 0xff]++] = k;
        keys.swap(buffer);
    }
}

template <typename T>
void permute(std::vector<T>& column, const std::vector<std::uint32_t>& order, unsigned workers) {
    if (column.empty()) return;
    std::vector<T> sorted(column.size());
    parallel_blocks(order.size(), workers, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t k = begin; k < end; ++k) sorted[k] = std::move(column[order[k]]);
    });
    column = std::move(sorted);
}

}  // namespace

std::vector<std::uint32_t> hilbert_order(const std::vector<double>& x, const std::vector<double>& y, unsigned workers) {
    const std::size_t n = x.size();
    if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("hilbert_order: more than 2^32 points");
    struct Extent {
        double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
    };
    std::vector<Extent> partial(std::max(1u, workers));
    parallel_blocks(n, workers, [&](std::size_t begin, std::size_t end, unsigned worker) {
        Extent e;
        for (std::size_t i = begin; i < end; ++i) {
            e.min_x = std::min(e.min_x, x[i]);
            e.max_x = std::max(e.max_x, x[i]);
            e.min_y = std::min(e.min_y, y[i]);
            e.max_y = std::max(e.max_y, y[i]);
        }
        partial[worker] = e;
    });
    Extent all;
    for (const auto& e : partial) {
        all.min_x = std::min(all.min_x, e.min_x);
        all.max_x = std::max(all.max_x, e.max_x);
        all.min_y = std::min(all.min_y, e.min_y);
        all.max_y = std::max(all.max_y, e.max_y);
    }
    const double span = std::max(all.max_x - all.min_x, all.max_y - all.min_y);
    const double cells_per_metre = span > 0 ? 65535.0 / span : 0.0;

    // Key: curve position in the high half, point index in the low half.
    std::vector<std::uint64_t> keys(n);
    parallel_blocks(n, workers, [&](std::size_t begin, std::size_t end, unsigned) {
        for (std::size_t i = begin; i < end; ++i) {
            const auto gx = static_cast<std::uint32_t>(std::clamp((x[i] - all.min_x) * cells_per_metre, 0.0, 65535.0));
            const auto gy = static_cast<std::uint32_t>(std::clamp((y[i] - all.min_y) * cells_per_metre, 0.0, 65535.0));
            keys[i] = (static_cast<std::uint64_t>(hilbert_index(gx, gy)) << 32) | i;
        }
    });
    radix_sort_high_half(keys);

    std::vector<std::uint32_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(keys[i] & 0xffffffffu);
    return order;
}

void sort_spatially(PointSet& points, unsigned workers) {
    const std::vector<std::uint32_t> order = hilbert_order(points.x, points.y, workers);
    permute(points.x, order, workers);
    permute(points.y, order, workers);
    permute(points.source_row, order, workers);
    permute(points.category, order, workers);
    permute(points.ids, order, workers);
    for (auto& v : points.values) permute(v, order, workers);
}

}  // namespace hearth
