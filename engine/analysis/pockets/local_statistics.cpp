#include "hearth/analysis/pockets/local_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "hearth/core/parallel.hpp"

namespace hearth {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// k distinct indices from {0..n-1} without `self`, by rejection (k is small).
void draw_neighbours(std::mt19937_64& rng, std::size_t n, std::size_t self, std::size_t k, std::vector<std::size_t>& out) {
    out.clear();
    std::uniform_int_distribution<std::size_t> pick(0, n - 2);
    while (out.size() < k) {
        std::size_t j = pick(rng);
        if (j >= self) ++j;
        if (std::find(out.begin(), out.end(), j) == out.end()) out.push_back(j);
    }
}

std::mt19937_64 generator_for(std::uint64_t seed, std::size_t area) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(area), static_cast<std::uint32_t>(area >> 32)};
    return std::mt19937_64(seq);
}

double folded_p(std::size_t larger, int permutations) {
    const std::size_t p = static_cast<std::size_t>(permutations);
    return (static_cast<double>(std::min(larger, p - larger)) + 1.0) / (p + 1.0);
}

void check(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& o) {
    if (y.size() != w.size()) throw std::invalid_argument("values and weights differ in size");
    if (y.size() < 3) throw std::invalid_argument("local statistics need at least 3 areas");
    for (double v : y)
        if (!std::isfinite(v)) throw std::invalid_argument("values must be finite (leave NaNs out first)");
    if (o.permutations < 0) throw std::invalid_argument("permutations must not be negative");
}

std::vector<char> significance(const std::vector<double>& p, const PermutationOptions& o, double& threshold) {
    threshold = o.alpha;
    if (o.false_discovery_rate) {
        std::vector<double> finite;
        for (double v : p)
            if (std::isfinite(v)) finite.push_back(v);
        threshold = false_discovery_threshold(finite, o.alpha);
    }
    std::vector<char> out(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) out[i] = std::isfinite(p[i]) && p[i] <= threshold;
    return out;
}

}  // namespace

const char* quadrant_name(LisaQuadrant q) {
    switch (q) {
        case LisaQuadrant::HH: return "HH";
        case LisaQuadrant::LH: return "LH";
        case LisaQuadrant::LL: return "LL";
        case LisaQuadrant::HL: return "HL";
        case LisaQuadrant::None: return "none";
    }
    return "none";
}

double false_discovery_threshold(std::vector<double> p, double alpha) {
    const std::size_t n = p.size();
    if (n == 0) return alpha;
    std::sort(p.begin(), p.end());
    for (std::size_t k = n; k >= 1; --k)
        if (p[k - 1] < static_cast<double>(k) * alpha / static_cast<double>(n)) return static_cast<double>(k) * alpha / n;
    return alpha / static_cast<double>(n);
}

LocalMoranResult local_moran(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& o) {
    check(y, w, o);
    const std::size_t n = y.size();
    double mean = 0;
    for (double v : y) mean += v;
    mean /= static_cast<double>(n);
    std::vector<double> z(n);
    double den = 0;
    for (std::size_t i = 0; i < n; ++i) {
        z[i] = y[i] - mean;
        den += z[i] * z[i];
    }
    if (den == 0) throw std::invalid_argument("all values are equal: Local Moran's I is undefined");

    LocalMoranResult r;
    r.moran_i.assign(n, kNaN);
    r.quadrant.assign(n, LisaQuadrant::None);
    r.p_sim.assign(n, kNaN);
    const double scale = static_cast<double>(n - 1) / den;
    parallel_blocks(n, o.workers, [&](std::size_t begin, std::size_t end, unsigned) {
        std::vector<std::size_t> drawn;
        for (std::size_t i = begin; i < end; ++i) {
            const auto& nb = w.neighbours[i];
            if (nb.empty()) continue;
            const double wij = 1.0 / static_cast<double>(nb.size());
            double lag = 0;
            for (auto j : nb) lag += wij * z[j];
            const double observed = scale * z[i] * lag;
            r.moran_i[i] = observed;
            r.quadrant[i] = z[i] > 0 ? (lag > 0 ? LisaQuadrant::HH : LisaQuadrant::HL)
                                     : (lag > 0 ? LisaQuadrant::LH : LisaQuadrant::LL);
            if (o.permutations == 0) continue;
            auto rng = generator_for(o.seed, i);
            std::size_t larger = 0;
            for (int p = 0; p < o.permutations; ++p) {
                draw_neighbours(rng, n, i, nb.size(), drawn);
                double random_lag = 0;
                for (auto j : drawn) random_lag += wij * z[j];
                larger += scale * z[i] * random_lag >= observed;
            }
            r.p_sim[i] = folded_p(larger, o.permutations);
        }
    });
    r.significant = significance(r.p_sim, o, r.threshold);
    return r;
}

GetisOrdResult getis_ord(const std::vector<double>& y, const SpatialWeights& w, bool star, bool row_standardised,
                         const PermutationOptions& o) {
    check(y, w, o);
    const std::size_t n = y.size();
    double sum = 0, sum_sq = 0;
    for (double v : y) {
        sum += v;
        sum_sq += v * v;
    }
    GetisOrdResult r;
    r.g.assign(n, kNaN);
    r.z.assign(n, kNaN);
    r.p_sim.assign(n, kNaN);
    const double remove_self = star ? 0.0 : 1.0;
    const double big_n = static_cast<double>(n) - remove_self;
    parallel_blocks(n, o.workers, [&](std::size_t begin, std::size_t end, unsigned) {
        std::vector<std::size_t> drawn;
        for (std::size_t i = begin; i < end; ++i) {
            const auto& nb = w.neighbours[i];
            if (nb.empty()) continue;
            const double k = static_cast<double>(nb.size()) + (star ? 1.0 : 0.0);
            const double weight = row_standardised ? 1.0 / k : 1.0;  // every non-zero weight, self included
            const double total = sum - remove_self * y[i];            // Σ y over the N values
            double weighted = star ? weight * y[i] : 0.0;             // Σ_j w_ij y_j
            for (auto j : nb) weighted += weight * y[j];
            const double cardinality = weight * k;                    // W_i, the row sum of W
            const double squares = weight * weight * k;               // S_1i = Σ_j w_ij²
            const double mean = total / big_n;
            const double s = std::sqrt(std::max(0.0, (sum_sq - remove_self * y[i] * y[i]) / big_n - mean * mean));
            // Ord & Getis (1995) eq. 8/9: a standardised sum, valid for any sign of y.
            const double spread = s * std::sqrt((big_n * squares - cardinality * cardinality) / (big_n - 1));
            r.g[i] = total > 0 ? weighted / total : kNaN;
            r.z[i] = spread > 0 ? (weighted - mean * cardinality) / spread : kNaN;
            if (o.permutations == 0 || !std::isfinite(r.z[i])) continue;
            // z is increasing in Σ_j w_ij y_j for a fixed i, so the draws compare sums.
            auto rng = generator_for(o.seed, i);
            std::size_t larger = 0;
            for (int p = 0; p < o.permutations; ++p) {
                draw_neighbours(rng, n, i, nb.size(), drawn);
                double random = star ? weight * y[i] : 0.0;
                for (auto j : drawn) random += weight * y[j];
                larger += random >= weighted;
            }
            r.p_sim[i] = folded_p(larger, o.permutations);
        }
    });
    r.significant = significance(r.p_sim, o, r.threshold);
    return r;
}

}  // namespace hearth
