// Pockets of deprivation: a masked pocket built by hand, and the sample study end to end.

#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/crs.hpp"
#include "hearth/deprivation_pockets.hpp"
#include "hearth/errors.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::run_hearth;
using hearth::test::TempDir;

namespace {

OGRGeometryUniquePtr square(double x, double y, double side) {
    auto* ring = new OGRLinearRing;
    ring->addPoint(x, y);
    ring->addPoint(x + side, y);
    ring->addPoint(x + side, y + side);
    ring->addPoint(x, y + side);
    ring->addPoint(x, y);
    auto* polygon = new OGRPolygon;
    polygon->addRingDirectly(ring);
    auto* multi = new OGRMultiPolygon;
    multi->addGeometryDirectly(polygon);
    return OGRGeometryUniquePtr(multi);
}

/// Two wards side by side, each 3×3 LSOAs of 100 m. Ward A is affluent (decile 8) but for
/// its centre LSOA (decile 2); ward B is deprived throughout (decile 4).
struct TwoWards {
    FeatureTable lsoas, wards;
    TwoWards() {
        for (auto* t : {&lsoas, &wards}) {
            t->geometry_type = wkbMultiPolygon;
            t->crs = parse_crs("EPSG:27700");
        }
        lsoas.name = "lsoas";
        lsoas.fields = {{"code", FieldType::String, ""}, {"score", FieldType::Real, ""},
                        {"decile", FieldType::Integer, ""}, {"population", FieldType::Integer, ""}};
        wards.name = "wards";
        wards.fields = {{"ward", FieldType::String, ""}};
        for (int w = 0; w < 2; ++w) {
            Feature ward;
            ward.values = {std::string(w ? "B" : "A")};
            ward.geometry = square(w * 300.0, 0, 300);
            wards.features.push_back(std::move(ward));
            for (int r = 0; r < 3; ++r)
                for (int c = 0; c < 3; ++c) {
                    const bool centre = w == 0 && r == 1 && c == 1;
                    const int decile = w == 0 ? (centre ? 2 : 8) : 4;
                    Feature f;
                    f.source_row = static_cast<std::int64_t>(lsoas.features.size() + 1);
                    f.values = {std::string(1, static_cast<char>('A' + w)) + std::to_string(r * 3 + c),
                                45.0 - 4.0 * decile + 0.1 * c, std::int64_t{decile}, std::int64_t{1500}};
                    f.geometry = square(w * 300.0 + c * 100.0, r * 100.0, 100);
                    lsoas.features.push_back(std::move(f));
                }
        }
    }

    /// Every input named: areas with score, decile and population, inside the wards.
    PocketInputs inputs() const {
        PocketInputs in;
        in.areas = &lsoas;
        in.area_id = "code";
        in.indicator = "score";
        in.decile = "decile";
        in.population = "population";
        in.within = &wards;
        in.within_id = "ward";
        return in;
    }
};

}  // namespace

TEST(DeprivationPocketsTest, AffluentWardAroundOneDeprivedLsoaGivesExactlyThatMaskedPocket) {
    TwoWards data;
    const PocketInputs in = data.inputs();
    PocketOptions o;
    o.methods = {false, true, false, false};  // masked only
    const PocketResult r = find_pockets(in, o);
    ASSERT_EQ(r.pockets.features.size(), 1u);
    const auto& p = r.pockets.features[0].values;
    EXPECT_EQ(std::get<std::string>(p[2]), "A4");  // member codes
    EXPECT_EQ(std::get<std::string>(p[1]), "masked");
    // Ward A's mean decile: (8 × 8 + 2) / 9 = 7.33, 5.33 deciles above the pocket's 2.
    const auto& flags = r.area_flags;
    EXPECT_NEAR(std::get<double>(flags.features[4].values[flags.field_index("within_mean_decile")]), 66.0 / 9, 1e-12);
    EXPECT_NEAR(r.pockets.features[0].geometry->toMultiPolygon()->get_Area(), 100.0 * 100.0, 1e-6);
}

TEST(DeprivationPocketsTest, NationalDecilesMergeNeighboursIntoOnePocket) {
    TwoWards data;
    PocketInputs in = data.inputs();
    in.within = nullptr;
    PocketOptions o;
    o.methods = {true, false, false, false};
    o.decile_threshold = 4;  // ward B (decile 4) and A4 (decile 2): A4 touches no B area
    const PocketResult r = find_pockets(in, o);
    ASSERT_EQ(r.pockets.features.size(), 2u);
    EXPECT_EQ(std::get<std::int64_t>(r.pockets.features[0].values[3]), 9);  // P001: the nine B areas (most people)
    EXPECT_DOUBLE_EQ(std::get<double>(r.pockets.features[0].values[4]), 9 * 1500.0);
    EXPECT_NEAR(r.pockets.features[0].geometry->toMultiPolygon()->get_Area(), 300.0 * 300.0, 1e-3);
}

TEST(DeprivationPocketsTest, MissingPopulationIsAnErrorUnlessAreaWeightingIsAskedFor) {
    TwoWards data;
    PocketInputs in = data.inputs();
    in.population.clear();
    PocketOptions o;
    o.methods = {false, true, false, false};
    EXPECT_THROW(find_pockets(in, o), InputError);
    o.area_weighting = true;
    EXPECT_EQ(find_pockets(in, o).pockets.features.size(), 1u);
}

TEST(DeprivationPocketsTest, MissingIndicatorValuesAreLeftOutAndListed) {
    TwoWards data;
    data.lsoas.features[0].values[1] = std::monostate{};
    PocketInputs in = data.inputs();
    in.decile.clear();
    in.population.clear();
    in.within = nullptr;
    PocketOptions o;
    o.methods = {true, false, true, true};
    o.permutations.permutations = 99;
    const PocketResult r = find_pockets(in, o);
    ASSERT_FALSE(r.notes.empty());
    EXPECT_NE(r.notes[0].find("1 areas have no value of score and are left out: A0"), std::string::npos) << r.notes[0];
    EXPECT_EQ(r.local_moran.features.size(), 17u);
}

TEST(DeprivationPocketsTest, LsoaCodesOfThe2021VintageAreRecognised) {
    EXPECT_TRUE(is_lsoa2021_only_code("E01035000"));
    EXPECT_FALSE(is_lsoa2021_only_code("E01001962"));
    EXPECT_FALSE(is_lsoa2021_only_code("W01000001"));
}

TEST(DeprivationPocketsTest, SampleStudyFindsNorthumberlandParkWithItsLandlords) {
    TempDir dir;
    const auto out = dir / "pockets.gpkg";
    const auto r = run_hearth({"pockets", "--study", (test::kSampleStudy / "study.yaml").string(), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("P001"), std::string::npos) << r.out;
    EXPECT_TRUE(std::filesystem::exists(dir / "pockets.csv"));
    GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    for (const char* layer : {"deprivation_pockets", "pocket_areas", "local_moran", "getis_ord", "pocket_landlords"})
        ASSERT_TRUE(ds->GetLayerByName(layer)) << layer;
    // Northumberland Park station (approximate position in the sample) lies in a pocket.
    OGRLayer* pockets = ds->GetLayerByName("deprivation_pockets");
    pockets->SetSpatialFilterRect(534790, 191090, 534810, 191110);
    OGRFeatureUniquePtr pocket(pockets->GetNextFeature());
    ASSERT_TRUE(pocket) << "no pocket at Northumberland Park";
    const std::string id = pocket->GetFieldAsString("pocket_id");
    EXPECT_NE(std::string(pocket->GetFieldAsString("methods")).find("deciles"), std::string::npos);
    EXPECT_GT(pocket->GetFieldAsDouble("homes_social_rent"), 0);
    OGRLayer* landlords = ds->GetLayerByName("pocket_landlords");
    landlords->SetAttributeFilter(("pocket_id = '" + id + "' AND landlord = 'Haringey Council'").c_str());
    OGRFeatureUniquePtr council(landlords->GetNextFeature());
    ASSERT_TRUE(council);
    EXPECT_GT(council->GetFieldAsDouble("homes"), 0);
    // LISA layer as specified.
    OGRLayer* lisa = ds->GetLayerByName("local_moran");
    EXPECT_EQ(lisa->GetFeatureCount(), 145);
    for (const char* f : {"lsoa11cd", "moran_i", "quadrant", "p_sim", "significant"})
        EXPECT_GE(lisa->GetLayerDefn()->GetFieldIndex(f), 0) << f;
    const auto styles = test::run_shell("sqlite3 " + out.string() +
                                        " \"SELECT count(*) FROM layer_styles WHERE useAsDefault = 1\"");
    EXPECT_EQ(styles.out, "4\n");
}

TEST(DeprivationPocketsTest, StandaloneUseWithTheAnalystsOwnLayersAndPermutationsAreRepeatable) {
    TempDir dir;
    const auto sample = dir / "hrw.gpkg";
    ASSERT_EQ(run_hearth({"-q", "export", "--study", (test::kSampleStudy / "study.yaml").string(), "--out", sample.string()})
                  .exit_code,
              0);
    auto run = [&](const std::string& name) {
        return run_hearth({"-q", "pockets", "--areas", sample.string() + "|layername=lsoa_deprivation", "--area-id",
                           "lsoa11cd", "--indicator", "health_score", "--method", "lisa,gistar", "--out",
                           (dir / name).string()});
    };
    ASSERT_EQ(run("a.gpkg").exit_code, 0);
    ASSERT_EQ(run("b.gpkg").exit_code, 0);
    const auto a = test::run_shell("sqlite3 " + (dir / "a.gpkg").string() + " 'SELECT group_concat(p_sim) FROM local_moran'");
    const auto b = test::run_shell("sqlite3 " + (dir / "b.gpkg").string() + " 'SELECT group_concat(p_sim) FROM local_moran'");
    EXPECT_FALSE(a.out.empty());
    EXPECT_EQ(a.out, b.out);
    const auto bad = run_hearth({"pockets", "--areas", sample.string() + "|layername=lsoa_deprivation", "--area-id",
                                 "lsoa11cd", "--indicator", "health_scor", "--out", (dir / "c.gpkg").string()});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.find("field 'health_scor': no such field"), std::string::npos) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "c.gpkg"));
}
