// End-to-end tests of the analysis commands (count, nearest, interpolate, access, ptal)
// on the High Road West sample, checked against brute force with plain OGR.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "test_support.hpp"

using namespace hearth;
using hearth::test::run_hearth;
using hearth::test::TempDir;
using hearth::test::write_text;

namespace {

const std::string kStudy = (test::kSampleStudy / "study.yaml").string();

/// The sample study exported once for all tests here.
class AnalysisTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        ASSERT_EQ(test::sample_export().result.exit_code, 0) << test::sample_export().result.err;
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::string layer(const std::string& name) { return test::sample_export().gpkg.string() + "|layername=" + name; }
    static GDALDatasetUniquePtr open(const std::filesystem::path& p) {
        return GDALDatasetUniquePtr(GDALDataset::Open(p.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    }
    static GDALDatasetUniquePtr sample() { return open(test::sample_export().gpkg); }
    static TempDir* dir_;
};
TempDir* AnalysisTest::dir_ = nullptr;

}  // namespace

TEST_F(AnalysisTest, CountMatchesBruteForceIntersectsPerWard) {
    TempDir out;
    const auto r = run_hearth({"count", "--points", layer("housing_stock"), "--areas", layer("wards"), "--area-id",
                               "ward_code", "--by", "tenure", "--sum", "homes", "--out", (out / "c.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // Brute force: every home against every ward with OGR Intersects; first ward wins.
    auto ds = sample();
    OGRLayer* wards = ds->GetLayerByName("wards");
    std::vector<std::pair<std::string, OGRGeometryUniquePtr>> ward_shapes;
    for (auto& w : *wards) ward_shapes.emplace_back(w->GetFieldAsString("ward_code"), OGRGeometryUniquePtr(w->StealGeometry()));
    std::map<std::string, long long> expected_count;
    std::map<std::string, double> expected_homes;
    long long outside = 0;
    for (auto& h : *ds->GetLayerByName("housing_stock")) {
        bool found = false;
        for (const auto& [code, shape] : ward_shapes)
            if (shape->Intersects(h->GetGeometryRef())) {
                ++expected_count[code];
                expected_homes[code] += h->GetFieldAsDouble("homes");
                found = true;
                break;
            }
        outside += !found;
    }
    auto result = open(out / "c.gpkg");
    OGRLayer* counts = result->GetLayerByName("point_counts");
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->GetFeatureCount(), 21);
    for (auto& f : *counts) {
        const std::string code = f->GetFieldAsString("ward_code");
        EXPECT_EQ(f->GetFieldAsInteger64("count"), expected_count[code]) << code;
        EXPECT_DOUBLE_EQ(f->GetFieldAsDouble("sum_homes"), expected_homes[code]) << code;
        EXPECT_EQ(f->GetFieldAsInteger64("count_social_rent") + f->GetFieldAsInteger64("count_affordable_rent") +
                      f->GetFieldAsInteger64("count_private_rent") + f->GetFieldAsInteger64("count_owner_occupied") +
                      f->GetFieldAsInteger64("count_temporary_accommodation"),
                  f->GetFieldAsInteger64("count"));
    }
    // The summary says how many homes lie in no ward, and says nothing when none do.
    if (outside > 0)
        EXPECT_NE(r.out.find(std::to_string(outside) + " points lie in no area"), std::string::npos) << r.out;
    else
        EXPECT_EQ(r.out.find("lie in no area"), std::string::npos) << r.out;
}

TEST_F(AnalysisTest, PointsInAnotherCrsAreReprojectedNotMixed) {
    // The same homes in WGS84 must count exactly as in BNG (to within the reprojection round trip).
    TempDir out;
    const auto wgs = out / "homes_wgs84.geojson";
    const auto conv = test::run_shell("ogr2ogr -f GeoJSON -t_srs EPSG:4326 -lco COORDINATE_PRECISION=9 " + wgs.string() + " " +
                                      test::sample_export().gpkg.string() + " housing_stock");
    ASSERT_EQ(conv.exit_code, 0) << conv.err;
    const auto a = run_hearth({"count", "--points", layer("housing_stock"), "--areas", layer("lsoa_deprivation"), "--area-id",
                               "lsoa11cd", "--out", (out / "a.gpkg").string()});
    const auto b = run_hearth({"count", "--points", wgs.string(), "--areas", layer("lsoa_deprivation"), "--area-id",
                               "lsoa11cd", "--out", (out / "b.gpkg").string()});
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    auto da = open(out / "a.gpkg"), db = open(out / "b.gpkg");
    long long differing = 0, total = 0;
    OGRLayer* lb = db->GetLayer(0);
    for (auto& fa : *da->GetLayer(0)) {
        lb->SetAttributeFilter(("lsoa11cd = '" + std::string(fa->GetFieldAsString("lsoa11cd")) + "'").c_str());
        OGRFeatureUniquePtr fb(lb->GetNextFeature());
        differing += std::llabs(fa->GetFieldAsInteger64("count") - fb->GetFieldAsInteger64("count"));
        total += fa->GetFieldAsInteger64("count");
    }
    EXPECT_EQ(total, 2610);  // every home lies in an LSOA
    EXPECT_EQ(differing, 0);
}

TEST_F(AnalysisTest, CountByAMissingFieldNamesItAndWritesNothing) {
    TempDir out;
    const auto r = run_hearth({"count", "--points", layer("housing_stock"), "--areas", layer("wards"), "--area-id",
                               "ward_code", "--by", "tenur", "--out", (out / "c.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("field 'tenur': no such field; closest: 'tenure'"), std::string::npos) << r.err;
    EXPECT_TRUE(test::files_in(out.path()).empty());
}

TEST_F(AnalysisTest, EmptyPointLayerIsAnError) {
    TempDir out;
    write_text(out / "none.geojson",
               R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[]})");
    const auto r = run_hearth({"count", "--points", (out / "none.geojson").string(), "--areas", layer("wards"), "--area-id",
                               "ward_code", "--out", (out / "c.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("layer is empty"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out / "c.gpkg"));
}

TEST_F(AnalysisTest, NearestGpMatchesBruteForceDistances) {
    TempDir out;
    const auto r = run_hearth({"nearest", "--from", layer("housing_stock"), "--from-id", "uprn", "--to", layer("gp_practices"),
                               "--to-id", "practice_code", "--out", (out / "n.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto ds = sample();
    std::vector<std::pair<std::string, OGRGeometryUniquePtr>> gps;
    for (auto& g : *ds->GetLayerByName("gp_practices"))
        gps.emplace_back(g->GetFieldAsString("practice_code"), OGRGeometryUniquePtr(g->StealGeometry()));
    std::map<std::string, std::pair<std::string, double>> expected;
    for (auto& h : *ds->GetLayerByName("housing_stock")) {
        double best = 1e300;
        std::string id;
        for (const auto& [code, g] : gps)
            if (const double d = g->Distance(h->GetGeometryRef()); d < best) {
                best = d;
                id = code;
            }
        expected[h->GetFieldAsString("uprn")] = {id, best};
    }
    auto result = open(out / "n.gpkg");
    long long checked = 0;
    for (auto& f : *result->GetLayerByName("nearest")) {
        const auto& e = expected.at(f->GetFieldAsString("uprn"));
        EXPECT_EQ(f->GetFieldAsString("nearest_id"), e.first);
        EXPECT_NEAR(f->GetFieldAsDouble("distance_m"), e.second, 1e-6);
        ++checked;
    }
    EXPECT_EQ(checked, 2610);
}

TEST_F(AnalysisTest, InterpolatingPopulationToWardsKeepsTheCoveredTotal) {
    TempDir out;
    const auto r = run_hearth({"interpolate", "--from", layer("lsoa_deprivation"), "--field", "population_mid2015",
                               "--field", "imd_score:intensive", "--to", layer("lsoa_deprivation"), "--to-id",
                               "lsoa11cd", "--out", (out / "i.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Onto themselves: every value comes back unchanged (float-noise overlaps aside).
    auto src = sample();
    std::map<std::string, std::pair<double, double>> original;
    for (auto& f : *src->GetLayerByName("lsoa_deprivation"))
        original[f->GetFieldAsString("lsoa11cd")] = {f->GetFieldAsDouble("population_mid2015"), f->GetFieldAsDouble("imd_score")};
    auto result = open(out / "i.gpkg");
    for (auto& f : *result->GetLayerByName("interpolated")) {
        const auto& o = original.at(f->GetFieldAsString("lsoa11cd"));
        EXPECT_NEAR(f->GetFieldAsDouble("population_mid2015"), o.first, 1e-3);
        EXPECT_NEAR(f->GetFieldAsDouble("imd_score"), o.second, 1e-6);
    }
}

TEST_F(AnalysisTest, AccessFlagsAgreeWithBruteForceAngstDistances) {
    TempDir out;
    const auto r = run_hearth({"access", "--study", kStudy, "--out", (out / "a.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto ds = sample();
    // Sites of at least 2 ha and their access points.
    std::map<std::string, double> hectares;
    std::map<std::string, OGRGeometryUniquePtr> shapes;
    for (auto& s : *ds->GetLayerByName("greenspace_sites")) {
        hectares[s->GetFieldAsString("site_id")] = s->GetGeometryRef()->toMultiPolygon()->get_Area() / 1e4;
        shapes[s->GetFieldAsString("site_id")].reset(s->StealGeometry());
    }
    std::vector<std::pair<std::string, OGRGeometryUniquePtr>> entrances;
    for (auto& a : *ds->GetLayerByName("greenspace_access_points"))
        entrances.emplace_back(a->GetFieldAsString("site_id"), OGRGeometryUniquePtr(a->StealGeometry()));

    auto result = open(out / "a.gpkg");
    OGRLayer* homes = result->GetLayerByName("home_access");
    ASSERT_TRUE(homes);
    EXPECT_EQ(homes->GetFeatureCount(), 2610);
    // Every ANGSt tier: inside a site of the size, or one of its entrances within reach.
    const std::vector<std::tuple<const char*, double, double>> tiers = {
        {"angst_2ha_300m", 2, 300}, {"angst_20ha_2km", 20, 2000}, {"angst_100ha_5km", 100, 5000}, {"angst_500ha_10km", 500, 10000}};
    long long meeting = 0;
    for (auto& h : *homes) {
        for (const auto& [field, min_ha, within] : tiers) {
            double best = 1e300;
            for (const auto& [site, e] : entrances)
                if (hectares[site] >= min_ha) best = std::min(best, e->Distance(h->GetGeometryRef()));
            for (const auto& [site, shape] : shapes)
                if (hectares[site] >= min_ha && shape->Intersects(h->GetGeometryRef())) best = 0;
            EXPECT_EQ(h->GetFieldAsInteger(field), best <= within ? 1 : 0) << field << " " << h->GetFieldAsString("uprn");
            if (min_ha == 2) meeting += best <= within;
        }
        const std::vector<std::string> bands = {"0", "1a", "1b", "2", "3", "4", "5", "6a", "6b"};
        EXPECT_NE(std::find(bands.begin(), bands.end(), std::string(h->GetFieldAsString("ptal_band"))), bands.end())
            << "'" << h->GetFieldAsString("ptal_band") << "' is not a PTAL band";
    }
    EXPECT_GT(meeting, 0);
    EXPECT_EQ(result->GetLayerByName("lsoa_deprivation_access")->GetFeatureCount(), 145);
    EXPECT_EQ(result->GetLayerByName("wards_access")->GetFeatureCount(), 21);
    ASSERT_TRUE(result->GetLayerByName("ptal_grid"));
    EXPECT_GT(result->GetLayerByName("ptal_grid")->GetFeatureCount(), 2000);
}

TEST_F(AnalysisTest, PtalAtAStationListsEachRouteWithItsTimes) {
    const auto r = run_hearth({"ptal", "--study", kStudy, "--at=533691,191336"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("PTAL at 533691.0, 191336.0 (EPSG:27700): access index"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("rail         LO-CHE       9100WHHRTLA"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Straight-line walk distances"), std::string::npos) << r.out;
}

namespace {

/// The sample study with its frequency table replaced by `frequencies`.
std::filesystem::path study_with_frequencies(TempDir& dir, const std::string& frequencies) {
    write_text(dir / "freq.csv", frequencies);
    std::string study = test::read_text(test::kSampleStudy / "study.yaml");
    const std::string from = "transport/stop_route_frequencies_illustrative.csv";
    study.replace(study.find(from), from.size(), (dir / "freq.csv").string());
    // Keep the other sources where they are.
    for (std::string::size_type pos = 0; (pos = study.find("source: ", pos)) != std::string::npos; pos += 8)
        if (study.compare(pos + 8, 1, "/") != 0) study.insert(pos + 8, test::kSampleStudy.string() + "/");
    write_text(dir / "study.yaml", study);
    return dir / "study.yaml";
}

}  // namespace

TEST_F(AnalysisTest, NegativeOrNanFrequencyNamesTheRowAndField) {
    for (const std::string bad : {"-4", "nan"}) {
        TempDir dir;
        const auto study = study_with_frequencies(
            dir, "stop_id,route_id,mode,am_peak_services_per_hour\n9100WHHRTLA,LO,rail,4\n9100BRUCGRV,LO,rail," + bad + "\n");
        const auto r = run_hearth({"access", "--study", study.string(), "--out", (dir / "a.gpkg").string()});
        EXPECT_EQ(r.exit_code, 1) << bad;
        // Caught when read ('nan' is no number) or when checked (-4): either way file, row and field.
        EXPECT_NE(r.err.find("freq.csv: layer '"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("': feature 2: field '"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("services_per_hour'"), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(dir / "a.gpkg"));
    }
}

TEST_F(AnalysisTest, FrequencyTableWithoutFrequenciesNamesTheMissingField) {
    TempDir dir;
    const auto study = study_with_frequencies(dir, "stop_id,route_id,mode\n9100WHHRTLA,LO,rail\n");
    const auto r = run_hearth({"access", "--study", study.string(), "--out", (dir / "a.gpkg").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("field 'services_per_hour': required field missing"), std::string::npos) << r.err;
}

TEST_F(AnalysisTest, NoSpatialIndexLeavesTheRtreeOutAndTheFileValid) {
    TempDir out;
    const auto r = run_hearth({"-q", "--no-spatial-index", "count", "--points", layer("housing_stock"), "--areas",
                               layer("wards"), "--area-id", "ward_code", "--out", (out / "c.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rtrees = test::run_shell("sqlite3 " + (out / "c.gpkg").string() +
                                        " \"SELECT count(*) FROM sqlite_master WHERE name LIKE 'rtree_%'\"");
    EXPECT_EQ(rtrees.out, "0\n");
    const auto v = test::run_shell("/usr/bin/python3 /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py " +
                                   (out / "c.gpkg").string());
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(AnalysisTest, CarriedIdsKeepTheirTypeSoAJoinBackInQgisMatches) {
    // UPRNs are whole numbers: written as text, a QGIS join on the housing layer fails.
    TempDir out;
    auto field_type = [&](const std::filesystem::path& file, const std::string& layer_name, const std::string& field) {
        auto ds = open(file);
        OGRLayer* l = ds->GetLayerByName(layer_name.c_str());
        const int i = l->GetLayerDefn()->GetFieldIndex(field.c_str());
        return i < 0 ? std::string("(missing)") : std::string(OGRFieldDefn::GetFieldTypeName(l->GetLayerDefn()->GetFieldDefn(i)->GetType()));
    };
    EXPECT_EQ(field_type(test::sample_export().gpkg, "housing_stock", "uprn"), "Integer64");
    auto r = run_hearth({"-q", "nearest", "--from", layer("housing_stock"), "--from-id", "uprn", "--to", layer("gp_practices"),
                         "--to-id", "practice_code", "--out", (out / "by_id.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(field_type(out / "by_id.gpkg", "nearest", "uprn"), "Integer64");
    EXPECT_EQ(field_type(out / "by_id.gpkg", "nearest", "nearest_id"), "String") << "practice codes are text";
    // Without --to-id the nearest target is named by its feature id, a whole number.
    r = run_hearth({"-q", "nearest", "--from", layer("housing_stock"), "--to", layer("gp_practices"), "--out",
                    (out / "by_fid.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(field_type(out / "by_fid.gpkg", "nearest", "nearest_id"), "Integer64");
    // The same value, not only the same type.
    const auto a = test::run_shell("sqlite3 " + (out / "by_id.gpkg").string() + " 'SELECT min(uprn), typeof(min(uprn)) FROM nearest'");
    const auto b = test::run_shell("sqlite3 " + test::sample_export().gpkg.string() + " 'SELECT min(uprn), typeof(min(uprn)) FROM housing_stock'");
    EXPECT_EQ(a.out, b.out);
    EXPECT_NE(a.out.find("integer"), std::string::npos) << a.out;
    // access streams the homes from the study's CSV and carries the recipe's type.
    r = run_hearth({"-q", "access", "--study", kStudy, "--out", (out / "access.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(field_type(out / "access.gpkg", "home_access", "uprn"), "Integer64");
}

TEST_F(AnalysisTest, OutputsNameTheIllustrativeInputsTheyWereBuiltFrom) {
    auto description = [](const std::filesystem::path& file, const std::string& table) {
        return test::run_shell("sqlite3 " + file.string() + " \"SELECT description FROM gpkg_contents WHERE table_name = '" +
                               table + "'\"").out;
    };
    const auto exported = test::sample_export().gpkg;
    EXPECT_EQ(description(exported, "housing_stock").rfind("ILLUSTRATIVE: built from illustrative (made-up) data: housing_stock.", 0), 0u);
    EXPECT_EQ(description(exported, "lsoa_deprivation").find("ILLUSTRATIVE"), std::string::npos) << "real data is not marked";
    TempDir out;
    const auto r = run_hearth({"access", "--study", kStudy, "--out", (out / "a.gpkg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("ILLUSTRATIVE"), std::string::npos) << r.out;
    const std::string grid = description(out / "a.gpkg", "ptal_grid");
    EXPECT_EQ(grid.rfind("ILLUSTRATIVE", 0), 0u) << grid;
    EXPECT_NE(grid.find("stop_frequencies"), std::string::npos) << "the assumed frequencies are named: " << grid;
    EXPECT_EQ(grid.find("housing_stock"), std::string::npos) << "the grid does not depend on the homes: " << grid;
    // Area summaries carry the area's name for a reader who does not know codes.
    auto ds = open(out / "a.gpkg");
    EXPECT_GE(ds->GetLayerByName("wards_access")->GetLayerDefn()->GetFieldIndex("ward_name"), 0);
    EXPECT_GE(ds->GetLayerByName("lsoa_deprivation_access")->GetLayerDefn()->GetFieldIndex("lsoa11nm"), 0);
}

TEST_F(AnalysisTest, GpAccessCarriesListSizesAndTheGpsTheyNeed) {
    TempDir out;
    const auto access = out / "a.gpkg";
    const auto r = run_hearth({"-q", "access", "--study", kStudy, "--out", access.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string sql = "sqlite3 " + access.string() + " \"ATTACH '" + test::sample_export().gpkg.string() + "' AS s; ";
    // Each home's gp_patients is the list size of its nearest practice (gp_id).
    EXPECT_EQ(test::run_shell(sql + "SELECT count(*), sum(h.gp_patients = g.registered_patients) FROM home_access h "
                                    "JOIN s.gp_practices g ON g.practice_code = h.gp_id\"").out,
              "2610|2610\n");
    // GPs needed = patients within the radius / 1,800 (patients_per_gp).
    EXPECT_EQ(test::run_shell(sql + "SELECT count(*) FROM home_access WHERE "
                                    "abs(gps_needed_within_radius - gp_patients_within_radius / 1800.0) > 1e-9\"").out,
              "0\n");
    // Per LSOA: practices located in it and their patients. Over the borough these are the
    // practices inside its LSOAs; 34 of the 61 in the layer (the others are within 1 km outside),
    // 237,666 patients: counted independently with python3-gdal over the published CSV.
    EXPECT_EQ(test::run_shell(sql + "SELECT sum(gp_practices_in_area), sum(gp_patients_in_area), "
                                    "abs(sum(gps_needed_in_area) - sum(gp_patients_in_area) / 1800.0) < 1e-6 "
                                    "FROM lsoa_deprivation_access\"").out,
              "34.0|237666.0|1\n");
}
