#pragma once
// Local indicators of spatial association, with the definitions of PySAL's esda:
//
// Local Moran's I (Anselin 1995; esda.Moran_Local), row-standardised weights:
//   z = y - mean(y);  I_i = (n - 1) · z_i · Σ_j w_ij z_j / Σ_k z_k²
//   quadrant: 1 HH (z_i > 0, lag > 0), 2 LH, 3 LL, 4 HL, as esda's q.
//
// Getis-Ord G_i and G_i* (Getis & Ord 1992; Ord & Getis 1995), with binary or
// row-standardised weights (G_i*: the area itself included, self-weight 1 for binary,
// 1/(k_i + 1) row-standardised). Over the N values (N = n - 1 for G_i, n for G_i*) with
// mean ȳ and standard deviation s (divisor N):
//   z_i = (Σ_j w_ij y_j - ȳ W_i) / ( s √[(N S1_i - W_i²) / (N - 1)] ),
//   W_i = Σ_j w_ij,  S1_i = Σ_j w_ij²   (Ord & Getis 1995, eq. 8-9; ArcGIS Hot Spot Analysis).
// This standardised form is valid whatever the sign of y, and z(-y) = -z(y), z(a·y + b)
// = z(y) for a > 0. For binary weights and ȳ > 0 it equals esda.G_Local's z, which
// divides the ratio G_i = Σ_j w_ij y_j / Σ y by its moments and so flips sign when Σ y < 0
// (and is unchanged when y is negated). For row-standardised weights esda uses the
// binary-weight variance W_i (N - W_i); this uses S1_i, as Ord & Getis do. `g` is
// reported only where Σ y > 0, where it means what Getis & Ord defined.
//
// Inference by conditional permutation (esda's crand): y_i stays, k_i of the other
// n - 1 values are drawn as its neighbours, `permutations` times; pseudo p-value
// p_sim = (min(larger, permutations - larger) + 1) / (permutations + 1) (two-sided, folded).
// Each area's draws come from its own generator seeded by (seed, area), so results do
// not depend on the number of threads. Optional Benjamini-Hochberg false discovery rate
// (esda.fdr). Islands (no neighbours) get no statistic: NaN and never significant.

#include <cstdint>
#include <vector>

#include "hearth/geometry/contiguity.hpp"

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
