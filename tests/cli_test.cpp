// End-to-end: the hearth binary on the High Road West sample and on bad input,
// read back with plain OGR and SQLite, as QGIS would open the result.

#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::run_hearth;
using hearth::test::TempDir;
using hearth::test::write_text;

namespace {

const std::string kStudy = (test::kSampleStudy / "study.yaml").string();

/// Layer name -> feature count, as the sample study must export it.
const std::map<std::string, long long> kExpectedLayers = {
    {"lsoa_deprivation", 145}, {"lsoa21_general_health", 147}, {"lsoa21_tenure", 147}, {"wards", 21},
    {"housing_stock", 2610},   {"greenspace_sites", 20},       {"greenspace_access_points", 59},
    {"bus_stops", 663},
    // NaPTAN: 18 rail stations (RLY) and 13 Underground stations (MET) within 960 m of the borough.
    {"rail_stations", 31},
    // 31 stations' lines (42 rows: nine stations carry two or three) and the real TfL
    // routes running in the AM peak at each of the 645 bus stops a 2019 route calls at.
    {"stop_frequencies", 1515},
    // NHS practices within 1 km of the borough, May 2022.
    {"gp_practices", 61},
    {"development_site", 1}};

class SampleExportTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { result_ = &test::sample_export().result; }
    static std::filesystem::path gpkg() { return test::sample_export().gpkg; }
    static const test::CommandResult* result_;
};
const test::CommandResult* SampleExportTest::result_ = nullptr;

}  // namespace

TEST_F(SampleExportTest, SucceedsAndSummarisesEachLayer) {
    ASSERT_EQ(result_->exit_code, 0) << result_->err;
    EXPECT_NE(result_->out.find("Study: High Road West (EPSG:27700)"), std::string::npos) << result_->out;
    EXPECT_NE(result_->out.find("joined 'imd2019_file7' on lsoa11cd: 145 of 145 matched"), std::string::npos);
    EXPECT_NE(result_->out.find("wards: 21 features"), std::string::npos);
}

TEST_F(SampleExportTest, EveryLayerIsThereInBritishNationalGridWithItsFeatureCount) {
    ASSERT_EQ(result_->exit_code, 0) << result_->err;
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    for (const auto& [name, count] : kExpectedLayers) {
        OGRLayer* layer = ds->GetLayerByName(name.c_str());
        ASSERT_TRUE(layer) << name;
        EXPECT_EQ(layer->GetFeatureCount(), count) << name;
        if (layer->GetGeomType() != wkbNone) {
            ASSERT_TRUE(layer->GetSpatialRef()) << name;
            EXPECT_EQ(crs_label(*layer->GetSpatialRef()), "EPSG:27700") << name;
        }
    }
}

TEST_F(SampleExportTest, JoinedImdValuesMatchThePublishedCsv) {
    ASSERT_EQ(result_->exit_code, 0) << result_->err;
    // E01001962 (Haringey 004A) in the File 7 CSV: score 15.503, decile 6; health score -0.619.
    GDALDatasetUniquePtr ds(GDALDataset::Open(gpkg().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* layer = ds->GetLayerByName("lsoa_deprivation");
    layer->SetAttributeFilter("lsoa11cd = 'E01001962'");
    OGRFeatureUniquePtr f(layer->GetNextFeature());
    ASSERT_TRUE(f);
    EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("imd_score"), 15.503);
    EXPECT_EQ(f->GetFieldAsInteger("imd_decile"), 6);
    EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("health_score"), -0.619);
    EXPECT_EQ(f->GetFieldAsInteger("population_mid2015"), 1804);
}

TEST_F(SampleExportTest, EachGeometryLayerHasOneDefaultQgisStyle) {
    ASSERT_EQ(result_->exit_code, 0) << result_->err;
    const auto r = test::run_shell(
        "sqlite3 " + gpkg().string() +
        " \"SELECT f_table_name || '|' || f_table_schema || '|' || f_geometry_column || '|' || useAsDefault "
        "FROM layer_styles ORDER BY f_table_name\"");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& [name, count] : kExpectedLayers) {
        if (name == "stop_frequencies") continue;  // a table: nothing to draw
        EXPECT_NE(r.out.find(name + "||geom|1\n"), std::string::npos) << name << "\n" << r.out;
    }
    const auto imd = test::run_shell("sqlite3 " + gpkg().string() +
                                        " \"SELECT styleQML FROM layer_styles WHERE f_table_name='lsoa_deprivation'\"");
    EXPECT_NE(imd.out.find("attr=\"imd_decile\""), std::string::npos);
}

TEST_F(SampleExportTest, PassesGdalValidatorAndSqliteIntegrityCheck) {
    ASSERT_EQ(result_->exit_code, 0) << result_->err;
    const auto v = test::run_shell("/usr/bin/python3 /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py " +
                                      gpkg().string());
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
    const auto i = test::run_shell("sqlite3 " + gpkg().string() + " 'PRAGMA integrity_check'");
    EXPECT_EQ(i.out, "ok\n");
    const auto rtree = test::run_shell("sqlite3 " + gpkg().string() +
                                          " \"SELECT count(*) FROM gpkg_extensions WHERE extension_name='gpkg_rtree_index'\"");
    EXPECT_EQ(rtree.out, "11\n");  // every layer but the frequency table has a geometry
}

TEST(CliTest, InspectNamesTheRecipeGeometryCrsAndCount) {
    const auto r = run_hearth({"inspect", (test::kSampleStudy / "transport" / "tfl_bus_stops_haringey.csv").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("recipe:   tfl_bus_stops"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("features: 663"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Naptan_Atco: String"), std::string::npos) << r.out;
}

TEST(CliTest, InspectShowsExtentAndCrsOfBoundaries) {
    const auto r = run_hearth({"inspect", (test::kSampleStudy / "boundaries" / "haringey_wards_2022.geojson").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("recipe:   ons_wards"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("crs:      EPSG:4326"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("extent:   -0.1"), std::string::npos) << r.out;
}

TEST(CliTest, ValidateChecksWithoutWriting) {
    TempDir dir;
    const auto out = dir / "hrw.gpkg";
    const auto r = run_hearth({"export", "--study", kStudy, "--validate", "--out", out.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("is valid (12 layers)"), std::string::npos) << r.out;
    EXPECT_TRUE(test::files_in(dir.path()).empty()) << "--validate writes nothing, even with --out";
}

// Bad input: exit 1 (2 for usage), a one-line message naming what is wrong, no output.
struct BadInput {
    const char* name;
    std::string study;           ///< study file text; "{sample}" stands for the sample folder
    const char* expected;        ///< part of the message
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, FailsWithAClearMessageAndNoOutput) {
    TempDir dir;
    std::string text = GetParam().study;
    for (auto pos = text.find("{sample}"); pos != std::string::npos; pos = text.find("{sample}"))
        text.replace(pos, 8, test::kSampleStudy.string());
    write_text(dir / "study.yaml", text);
    const auto out = dir / "out" / "result.gpkg";
    const auto r = run_hearth({"export", "--study", (dir / "study.yaml").string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(GetParam().expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out));
    if (std::filesystem::exists(dir / "out")) {
        EXPECT_TRUE(test::files_in(dir / "out").empty());
    }
}

INSTANTIATE_TEST_SUITE_P(
    Study, BadInputTest,
    ::testing::Values(
        BadInput{"MissingFile", "name: t\nlayers:\n  - {name: a, source: missing.shp, recipe: ons_wards}\n",
                 "missing.shp: file not found"},
        BadInput{"UnknownRecipe", "name: t\nlayers:\n  - {name: a, source: study.yaml, recipe: ons_ward}\n",
                 "unknown recipe 'ons_ward'; closest: ons_wards"},
        BadInput{"UnreadableFormat", "name: t\nlayers:\n  - {name: a, source: study.yaml, recipe: ons_wards}\n",
                 "not a vector data source GDAL can read"},
        BadInput{"RequiredFieldMissing",
                 "name: t\nlayers:\n  - {name: a, source: '{sample}/boundaries/haringey_lsoa11.shp', recipe: ons_wards}\n",
                 "field 'ward_code': required field missing"},
        BadInput{"MixedCrs",
                 "name: t\nlayers:\n  - {name: a, source: '{sample}/boundaries/haringey_lsoa11.shp', "
                 "recipe: ons_lsoa11_boundaries, assume_crs: 'EPSG:4326'}\n",
                 "mixed CRSs: the source declares EPSG:27700 but the study assumes EPSG:4326"},
        BadInput{"DuplicateJoinKey",
                 "name: t\nlayers:\n  - name: a\n    source: '{sample}/boundaries/haringey_lsoa11.shp'\n"
                 "    recipe: ons_lsoa11_boundaries\n    join:\n"
                 "      - {source: '{sample}/transport/stop_route_frequencies_illustrative.csv', "
                 "recipe: stop_route_frequencies, target_key: lsoa11cd, table_key: stop_id}\n",
                 "duplicate key '9100ALEXNDP'"},
        BadInput{"ThroughALookupWithOneKey",
                 "name: t\nlayers:\n  - name: a\n    source: '{sample}/boundaries/haringey_lsoa21.gpkg'\n"
                 "    recipe: ons_lsoa21_boundaries\n    join:\n"
                 "      - {source: '{sample}/deprivation/imd2019_file7_haringey.csv', recipe: imd2019_file7, "
                 "key: lsoa11cd, through: {source: '{sample}/boundaries/lsoa11_lsoa21_lookup_haringey.csv', "
                 "recipe: ons_lsoa11_lsoa21_lookup}}\n",
                 "a join through a lookup needs 'table_key' (e.g. lsoa11cd) and 'target_key' (e.g. lsoa21cd)"},
        BadInput{"ThroughALookupWithoutTheLayersCode",
                 "name: t\nlayers:\n  - name: a\n    source: '{sample}/boundaries/haringey_lsoa21.gpkg'\n"
                 "    recipe: ons_lsoa21_boundaries\n    join:\n"
                 "      - {source: '{sample}/deprivation/imd2019_file7_haringey.csv', recipe: imd2019_file7, "
                 "table_key: lsoa11cd, target_key: msoa21cd, through: {source: "
                 "'{sample}/boundaries/lsoa11_lsoa21_lookup_haringey.csv', recipe: ons_lsoa11_lsoa21_lookup}}\n",
                 "lookup recipe 'ons_lsoa11_lsoa21_lookup' has no such field"},
        BadInput{"EmptyFilterResult",
                 "name: t\nlayers:\n  - {name: a, source: '{sample}/boundaries/haringey_lsoa11.shp', "
                 "recipe: ons_lsoa11_boundaries, where: \"LSOA11CD = 'none'\"}\n",
                 "no features pass the filter"}),
    [](const auto& info) { return info.param.name; });

TEST(CliTest, NoCrsSuggestsAssumeCrs) {
    TempDir dir;
    write_text(dir / "points.csv", "site_ref,WKT\nA,\"POLYGON ((0 0,1 0,1 1,0 0))\"\n");
    // GDAL's CSV driver reads the WKT column as a geometry with no CRS.
    write_text(dir / "study.yaml", "name: t\nlayers:\n  - {name: a, source: points.csv, recipe: development_site}\n");
    const auto r = run_hearth({"export", "--study", (dir / "study.yaml").string(), "--out", (dir / "o.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("has no CRS; say which it is with --assume-crs"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "o.gpkg"));
}

TEST(CliTest, InputsAreNeverModified) {
    TempDir dir;
    const auto before = std::filesystem::last_write_time(test::kSampleStudy / "boundaries" / "haringey_lsoa11.shp");
    const auto size = std::filesystem::file_size(test::kSampleStudy / "amenities" / "opgrsp_haringey_illustrative.gpkg");
    ASSERT_EQ(run_hearth({"-q", "export", "--study", kStudy, "--out", (dir / "o.gpkg").string()}).exit_code, 0);
    EXPECT_EQ(std::filesystem::last_write_time(test::kSampleStudy / "boundaries" / "haringey_lsoa11.shp"), before);
    EXPECT_EQ(std::filesystem::file_size(test::kSampleStudy / "amenities" / "opgrsp_haringey_illustrative.gpkg"), size);
}

TEST(CliTest, QuietPrintsNothing) {
    TempDir dir;
    const auto r = run_hearth({"--quiet", "export", "--study", kStudy, "--out", (dir / "o.gpkg").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
}

TEST(CliTest, BadUsageExitsWithTwo) {
    EXPECT_EQ(run_hearth({"export"}).exit_code, 2);
    EXPECT_EQ(run_hearth({"frobnicate"}).exit_code, 2);
    const auto r = run_hearth({"export", "--study", kStudy, "--out", "x.shp"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--out must name a .gpkg file"), std::string::npos) << r.err;
}

TEST(CliTest, MissingInspectSourceIsNamed) {
    const auto r = run_hearth({"inspect", "/nowhere/x.gpkg"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "hearth: /nowhere/x.gpkg: file not found\n");
}

TEST(CliTest, VersionAndInstalledRecipesNeedNoSourceTree) {
    const auto v = run_hearth({"--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_EQ(v.out.rfind("hearth ", 0), 0u) << v.out;
    // Installed under a prefix, the program finds share/hearth/layers beside it.
    TempDir prefix;
    const auto installed = test::run_shell("cmake --install " + std::filesystem::path(test::kBinary).parent_path().string() +
                                           " --prefix " + prefix.path().string() + " >/dev/null && cd / && env -u HEARTH_LAYERS " +
                                           (prefix / "bin/hearth").string() + " recipes");
    EXPECT_EQ(installed.exit_code, 0);
    EXPECT_NE(installed.out.find("imd2019_file7"), std::string::npos) << installed.out;
}

TEST_F(SampleExportTest, ImdIsCarriedOntoTheLsoa2021LayerWithTheSplitAreasSaidSo) {
    // E01002080 (IMD score 30.562, decile 3) was split into E01033943 and E01033944.
    const auto r = test::run_shell("sqlite3 " + gpkg().string() +
                                   " \"SELECT lsoa21cd, imd_score, imd_decile, area_change FROM lsoa21_general_health"
                                   " WHERE lsoa21cd IN ('E01033943', 'E01033944', 'E01001962') ORDER BY lsoa21cd\"");
    EXPECT_EQ(r.out, "E01001962|15.503|6|U\nE01033943|30.562|3|S\nE01033944|30.562|3|S\n");
    EXPECT_NE(result_->out.find("carried from lsoa11cd to lsoa21cd through 'ons_lsoa11_lsoa21_lookup' (4 S, 143 U"),
              std::string::npos) << result_->out;
}
