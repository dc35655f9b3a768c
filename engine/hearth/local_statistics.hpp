#pragma once
// Local indicators of spatial association, with the definitions of PySAL's esda:
//
// Local Moran's I (Anselin 1995; esda.Moran_Local), row-standardised weights:
//   z = y - mean(y);  I_i = (n - 1) · z_i · Σ_j w_ij z_j / Σ_k z_k²
//   quadrant: 1 HH (z_i > 0, lag > 0), 2 LH, 3 LL, 4 HL, as esda's q.
//
// Getis-Ord G_i and G_i* (Getis & Ord 1992; Ord & Getis 1995; esda.G_Local), with
// binary or row-standardised weights (G_i*: the area itself included, self-weight 1
// for binary, 1/(k_i + 1) row-standardised):
//   G_i = Σ_j w_ij y_j / (Σ y - y_i [G_i only]);  N = n - 1 (G_i) or n (G_i*)
//   E = W_i / N;  V = W_i (N - W_i) / (N - 1) / N² · s² / ȳ²  (ȳ, s² over the N values)
//   z = (G_i - E) / √V
//
// Inference by conditional permutation (esda's crand): y_i stays, k_i of the other
// n - 1 values are drawn as its neighbours, `permutations` times; pseudo p-value
// p_sim = (min(larger, permutations - larger) + 1) / (permutations + 1) (two-sided, folded).
// Each area's draws come from its own generator seeded by (seed, area), so results do
// not depend on the number of threads. Optional Benjamini-Hochberg false discovery rate
// (esda.fdr). Islands (no neighbours) get no statistic: NaN and never significant.

#include <cstdint>
#include <vector>

#include "hearth/contiguity.hpp"

namespace hearth {

struct PermutationOptions {
    int permutations = 999;
    std::uint64_t seed = 12345;
    double alpha = 0.05;
    bool false_discovery_rate = false;
    unsigned workers = 1;
};

enum class LisaQuadrant : int { None = 0, HH = 1, LH = 2, LL = 3, HL = 4 };
const char* quadrant_name(LisaQuadrant q);

struct LocalMoranResult {
    std::vector<double> moran_i;
    std::vector<LisaQuadrant> quadrant;
    std::vector<double> p_sim;
    std::vector<char> significant;
    double threshold = 0.05;  ///< alpha, or the FDR threshold
};

LocalMoranResult local_moran(const std::vector<double>& y, const SpatialWeights& w, const PermutationOptions& options);

struct GetisOrdResult {
    std::vector<double> g;
    std::vector<double> z;
    std::vector<double> p_sim;
    std::vector<char> significant;
    double threshold = 0.05;
};

GetisOrdResult getis_ord(const std::vector<double>& y, const SpatialWeights& w, bool star, bool row_standardised,
                         const PermutationOptions& options);

/// esda.fdr: the largest k·alpha/n with p_(k) < k·alpha/n (p sorted ascending), else alpha/n.
double false_discovery_threshold(std::vector<double> p_values, double alpha);

}  // namespace hearth
