// Local Moran's I and Getis-Ord G_i/G_i* against esda's documented example and a
// brute-force dense-matrix computation; contiguity on clean and on real boundaries.

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/geometry/contiguity.hpp"
#include "hearth/analysis/pockets/local_statistics.hpp"
#include "test_support.hpp"

using namespace hearth;

namespace {

/// libpysal DistanceBand(points, threshold) as binary neighbour lists (distance <= threshold).
SpatialWeights distance_band(const std::vector<std::pair<double, double>>& points, double threshold) {
    SpatialWeights w;
    w.neighbours.resize(points.size());
    for (std::uint32_t i = 0; i < points.size(); ++i)
        for (std::uint32_t j = 0; j < points.size(); ++j)
            if (i != j && std::hypot(points[i].first - points[j].first, points[i].second - points[j].second) <= threshold)
                w.neighbours[i].push_back(j);
    return w;
}

const std::vector<std::pair<double, double>> kEsdaPoints = {{10, 10}, {20, 10}, {40, 10}, {15, 20}, {30, 20}, {30, 30}};
const std::vector<double> kEsdaY = {2, 3, 3.2, 5, 8, 7};

PermutationOptions no_permutations() {
    PermutationOptions o;
    o.permutations = 0;
    return o;
}

/// Queen-contiguous n×n lattice (8 neighbours inside).
SpatialWeights lattice(int n) {
    SpatialWeights w;
    w.neighbours.resize(n * n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            for (int dr = -1; dr <= 1; ++dr)
                for (int dc = -1; dc <= 1; ++dc)
                    if ((dr || dc) && r + dr >= 0 && r + dr < n && c + dc >= 0 && c + dc < n)
                        w.neighbours[r * n + c].push_back((r + dr) * n + c + dc);
    return w;
}

}  // namespace

TEST(GetisOrdTest, ReproducesEsdaDocumentedZScoresWithBinaryWeights) {
    // esda.G_Local docstring: points, DistanceBand(threshold=15), y = [2, 3, 3.2, 5, 8, 7].
    const SpatialWeights w = distance_band(kEsdaPoints, 15);
    const std::vector<double> gi = {-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941};
    const std::vector<double> gi_star = {-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331};
    const auto r = getis_ord(kEsdaY, w, false, false, no_permutations());
    const auto r_star = getis_ord(kEsdaY, w, true, false, no_permutations());
    for (std::size_t i = 0; i < kEsdaY.size(); ++i) {
        EXPECT_NEAR(r.z[i], gi[i], 1e-7) << "G_i, area " << i;
        EXPECT_NEAR(r_star.z[i], gi_star[i], 1e-7) << "G_i*, area " << i;
    }
}

/// Ord & Getis (1995) eq. 8-9 written out over a dense weight matrix, as a reference.
std::vector<double> ord_getis_dense(const std::vector<double>& y, const SpatialWeights& w, bool star, bool row) {
    const std::size_t n = y.size();
    std::vector<double> z(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> wi(n, 0.0);
        for (auto j : w.neighbours[i]) wi[j] = 1.0;
        if (star) wi[i] = 1.0;
        double k = 0;
        for (double v : wi) k += v;
        if (row)
            for (auto& v : wi) v /= k;
        double big_n = 0, mean = 0, sq = 0, W = 0, S1 = 0, sum = 0;
        for (std::size_t j = 0; j < n; ++j) {
            if (!star && j == i) continue;
            big_n += 1;
            mean += y[j];
            sq += y[j] * y[j];
            W += wi[j];
            S1 += wi[j] * wi[j];
            sum += wi[j] * y[j];
        }
        mean /= big_n;
        const double s = std::sqrt(sq / big_n - mean * mean);
        z[i] = (sum - mean * W) / (s * std::sqrt((big_n * S1 - W * W) / (big_n - 1)));
    }
    return z;
}

TEST(GetisOrdTest, RowStandardisedWeightsFollowOrdAndGetis1995) {
    const SpatialWeights w = distance_band(kEsdaPoints, 15);
    for (bool star : {false, true}) {
        const auto expected = ord_getis_dense(kEsdaY, w, star, true);
        const auto r = getis_ord(kEsdaY, w, star, true, no_permutations());
        for (std::size_t i = 0; i < kEsdaY.size(); ++i) EXPECT_NEAR(r.z[i], expected[i], 1e-12) << star << " " << i;
    }
}

TEST(GetisOrdTest, ZScoreIsValidForNegativeValuesAndFlipsSignWithTheData) {
    // The IoD health deprivation score is negative in most areas; its hot spots are the
    // areas with the highest (least negative) scores, and negating the data must turn
    // every hot spot into a cold spot of the same size.
    const SpatialWeights w = lattice(9);
    std::vector<double> y(81);
    std::mt19937 rng(17);
    std::normal_distribution<double> noise(0, 0.2);
    for (int r = 0; r < 9; ++r)
        for (int c = 0; c < 9; ++c) y[r * 9 + c] = (r < 3 && c < 3 ? 0.5 : -1.5) + noise(rng);
    double total = 0;
    for (double v : y) total += v;
    ASSERT_LT(total, 0) << "the point of the test is data that sums to a negative number";
    std::vector<double> negated(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) negated[i] = -y[i];
    const auto hot = getis_ord(y, w, true, false, PermutationOptions{});
    const auto cold = getis_ord(negated, w, true, false, PermutationOptions{});
    EXPECT_GT(hot.z[1 * 9 + 1], 3.0) << "the high corner is a hot spot";
    EXPECT_TRUE(hot.significant[1 * 9 + 1]);
    EXPECT_LT(hot.z[7 * 9 + 7], 0.0);
    const auto reference = ord_getis_dense(y, w, true, false);
    for (std::size_t i = 0; i < y.size(); ++i) {
        EXPECT_NEAR(hot.z[i], reference[i], 1e-9);
        EXPECT_NEAR(cold.z[i], -hot.z[i], 1e-9);
        EXPECT_EQ(cold.significant[i], hot.significant[i]) << i;
    }
}

TEST(GetisOrdTest, ZScoreIsUnchangedByShiftingAndScalingTheData) {
    const SpatialWeights w = lattice(7);
    std::vector<double> y(49), moved(49);
    std::mt19937 rng(23);
    std::uniform_real_distribution<double> u(0, 10);
    for (std::size_t i = 0; i < y.size(); ++i) {
        y[i] = u(rng);
        moved[i] = 3.5 * y[i] - 40.0;  // crosses zero: part negative, part positive
    }
    for (bool star : {false, true}) {
        const auto a = getis_ord(y, w, star, false, PermutationOptions{});
        const auto b = getis_ord(moved, w, star, false, PermutationOptions{});
        for (std::size_t i = 0; i < y.size(); ++i) {
            EXPECT_NEAR(a.z[i], b.z[i], 1e-9);
            EXPECT_EQ(a.p_sim[i], b.p_sim[i]);
        }
    }
}

TEST(LocalMoranTest, MatchesDenseMatrixBruteForceOnARandomLattice) {
    const int side = 12;
    const SpatialWeights w = lattice(side);
    std::mt19937 rng(3);
    std::normal_distribution<double> g(10, 3);
    std::vector<double> y(side * side);
    for (auto& v : y) v = g(rng);
    const auto r = local_moran(y, w, no_permutations());

    // Brute force: dense row-standardised W, I = (n-1) z ∘ (W z) / zᵀz.
    const std::size_t n = y.size();
    std::vector<std::vector<double>> W(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i)
        for (auto j : w.neighbours[i]) W[i][j] = 1.0 / w.neighbours[i].size();
    double mean = 0;
    for (double v : y) mean += v / n;
    double zz = 0;
    for (double v : y) zz += (v - mean) * (v - mean);
    for (std::size_t i = 0; i < n; ++i) {
        double lag = 0;
        for (std::size_t j = 0; j < n; ++j) lag += W[i][j] * (y[j] - mean);
        const double expected = (n - 1) * (y[i] - mean) * lag / zz;
        EXPECT_NEAR(r.moran_i[i], expected, 1e-12);
        const LisaQuadrant q = y[i] > mean ? (lag > 0 ? LisaQuadrant::HH : LisaQuadrant::HL)
                                           : (lag > 0 ? LisaQuadrant::LH : LisaQuadrant::LL);
        EXPECT_EQ(r.quadrant[i], q);
    }
}

TEST(LocalMoranTest, PermutationPValuesAreStableForASeedAndAcrossThreads) {
    const SpatialWeights w = lattice(10);
    std::vector<double> y(100);
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(0, 1);
    for (auto& v : y) v = u(rng);
    PermutationOptions one;
    one.workers = 1;
    PermutationOptions two = one;
    two.workers = 2;
    const auto a = local_moran(y, w, one), b = local_moran(y, w, one), c = local_moran(y, w, two);
    EXPECT_EQ(a.p_sim, b.p_sim);
    EXPECT_EQ(a.p_sim, c.p_sim);
    PermutationOptions other = one;
    other.seed = 999;
    EXPECT_NE(local_moran(y, w, other).p_sim, a.p_sim);
    for (double p : a.p_sim) {
        EXPECT_GE(p, 1.0 / 1000);
        EXPECT_LE(p, 0.5 + 1e-12);
    }
}

TEST(LocalMoranTest, ACornerOfHighValuesIsASignificantHighHighCluster) {
    const int side = 9;
    const SpatialWeights w = lattice(side);
    std::vector<double> y(side * side, 1.0);
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> noise(0, 0.5);
    for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c) y[r * side + c] = (r < 3 && c < 3 ? 10.0 : 1.0) + noise(rng);
    const auto r = local_moran(y, w, PermutationOptions{});
    EXPECT_EQ(r.quadrant[1 * side + 1], LisaQuadrant::HH);
    EXPECT_TRUE(r.significant[1 * side + 1]);
    EXPECT_LT(r.p_sim[1 * side + 1], 0.01);
    const auto g = getis_ord(y, w, true, false, PermutationOptions{});
    EXPECT_GT(g.z[1 * side + 1], 3.0);
    EXPECT_TRUE(g.significant[1 * side + 1]);
}

TEST(LocalMoranTest, IslandsHaveNoStatisticAndAreNeverSignificant) {
    SpatialWeights w = lattice(4);
    w.neighbours.emplace_back();  // area 16: an island
    std::vector<double> y(17);
    for (int i = 0; i < 17; ++i) y[i] = i % 3;
    const auto r = local_moran(y, w, PermutationOptions{});
    EXPECT_TRUE(std::isnan(r.moran_i[16]));
    EXPECT_FALSE(r.significant[16]);
    EXPECT_EQ(w.islands(), std::vector<std::uint32_t>{16});
}

TEST(FalseDiscoveryRateTest, BenjaminiHochbergThresholdAsEsda) {
    // Sorted p against k·alpha/n: 0.2 !< 0.05, 0.045 !< 0.04, 0.035 !< 0.03, 0.012 < 0.02: threshold 0.02.
    EXPECT_DOUBLE_EQ(false_discovery_threshold({0.2, 0.035, 0.001, 0.045, 0.012}, 0.05), 2 * 0.05 / 5);
    EXPECT_DOUBLE_EQ(false_discovery_threshold({0.5, 0.6}, 0.05), 0.025);
}

TEST(ContiguityTest, QueenRookAndToleranceOnAGridOfSquares) {
    std::vector<OGRGeometryUniquePtr> squares;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) {
            OGRGeometry* g = nullptr;
            const double x = c * 10, y = r * 10;
            const std::string wkt = "POLYGON ((" + std::to_string(x) + " " + std::to_string(y) + "," +
                                    std::to_string(x + 10) + " " + std::to_string(y) + "," + std::to_string(x + 10) +
                                    " " + std::to_string(y + 10) + "," + std::to_string(x) + " " +
                                    std::to_string(y + 10) + "," + std::to_string(x) + " " + std::to_string(y) + "))";
            OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
            squares.emplace_back(g);
        }
    std::vector<const OGRGeometry*> raw;
    for (const auto& s : squares) raw.push_back(s.get());
    EXPECT_EQ(contiguity_weights(raw, ContiguityRule::Queen, 0, 1).neighbours[4].size(), 8u);
    EXPECT_EQ(contiguity_weights(raw, ContiguityRule::Rook, 0, 1).neighbours[4].size(), 4u);
    EXPECT_EQ(contiguity_weights(raw, ContiguityRule::Tolerance, 0.5, 2).neighbours[4].size(), 8u);
    EXPECT_EQ(contiguity_weights(raw, ContiguityRule::Tolerance, 0.5, 2).neighbours[0],
              (std::vector<std::uint32_t>{1, 3, 4}));
}

TEST(ContiguityTest, RealGeneralisedBoundariesNeedTolerance) {
    // London Datastore LSOA 2011 boundaries for Haringey: neighbours do not share exact vertices.
    GDALDatasetUniquePtr ds(GDALDataset::Open((test::kSampleStudy / "boundaries" / "haringey_lsoa11.shp").c_str(),
                                              GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    std::vector<OGRGeometryUniquePtr> areas;
    for (auto& f : *ds->GetLayer(0)) areas.emplace_back(f->StealGeometry());
    std::vector<const OGRGeometry*> raw;
    for (const auto& a : areas) raw.push_back(a.get());
    const auto queen = contiguity_weights(raw, ContiguityRule::Queen, 0, 1);
    const auto tolerant = contiguity_weights(raw, ContiguityRule::Tolerance, 1.0, 2);
    EXPECT_GT(queen.islands().size(), 100u) << "exact-vertex queen leaves most LSOAs isolated here";
    EXPECT_TRUE(tolerant.islands().empty());
    double mean = 0;
    for (const auto& n : tolerant.neighbours) mean += static_cast<double>(n.size()) / tolerant.size();
    EXPECT_GT(mean, 4.0);
    EXPECT_LT(mean, 8.0);
}
