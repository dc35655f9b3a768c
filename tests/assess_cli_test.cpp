// hearth assess end to end on the High Road West sample: the four outputs, a total anyone
// can recompute from scorecard.json, the layers of assessment.gpkg, options ranked, a
// folder of briefs, suppression, and errors that leave nothing behind.

#include <cmath>
#include <fstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace {

using hearth::test::kSampleStudy;
using hearth::test::run_hearth;
using hearth::test::TempDir;
using hearth::test::write_text;
using nlohmann::json;

const std::string kStudy = (kSampleStudy / "study.yaml").string();
const std::string kScheme = (kSampleStudy / "briefs" / "high_road_west_scheme.yaml").string();
const std::string kAlternative = (kSampleStudy / "briefs" / "lower_density_alternative.yaml").string();

json read_json(const std::filesystem::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

class AssessCliTest : public ::testing::Test {
protected:
    TempDir dir;
};

TEST_F(AssessCliTest, TwoBriefsGiveFourOutputsAndARecomputableTotal) {
    const auto out = dir / "assessment";
    const auto r = run_hearth({"assess", "--study", kStudy, "--brief", kScheme, "--brief", kAlternative, "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* f : {"scorecard.json", "scorecard.csv", "assessment.gpkg", "report.html"})
        EXPECT_TRUE(std::filesystem::exists(out / f)) << f;
    EXPECT_NE(r.out.find("High Road West scheme"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Lower-density alternative"), std::string::npos) << r.out;

    const json card = read_json(out / "scorecard.json");
    ASSERT_EQ(card["briefs"].size(), 2u);
    double previous = 101;
    for (const auto& b : card["briefs"]) {
        double sum = 0, weights = 0;
        std::set<std::string> ids;
        for (const auto& c : b["criteria"]) {
            ids.insert(c["id"].get<std::string>());
            const double score = c["score"], weight = c["weight"];
            EXPECT_GE(score, 0);
            EXPECT_LE(score, 100);
            EXPECT_TRUE(c.contains("baseline") && c.contains("proposal") && c.contains("explanation") && c.contains("rag"));
            sum += weight * score;
            weights += weight;
        }
        EXPECT_EQ(ids, (std::set<std::string>{"need", "housing", "health_infrastructure", "open_space", "active_travel",
                                              "air_quality"}));
        EXPECT_NEAR(b["total"].get<double>(), sum / weights, 1e-9);  // Σ weight × score / Σ weight
        EXPECT_LE(b["total"].get<double>(), previous);                // ranked, highest first
        previous = b["total"];
        EXPECT_FALSE(b["sensitivity"].empty());
    }
    EXPECT_FALSE(card["assumptions"].empty());
    bool yield = false;
    for (const auto& a : card["assumptions"]) yield = yield || a["name"] == "yield_2bed_social";
    EXPECT_TRUE(yield);
    // The sample's site is drawn in WGS 84: the brief says it was reprojected.
    const std::string notes = card["briefs"][0]["notes"].dump();
    EXPECT_NE(notes.find("reprojected from EPSG:4326"), std::string::npos) << notes;

    // The scheme demolishes Love Lane's 297 social-rent homes and builds 500: +203.
    for (const auto& b : card["briefs"])
        if (b["name"] == "High Road West scheme")
            for (const auto& c : b["criteria"]) {
                if (c["id"] == "housing") {
                    EXPECT_DOUBLE_EQ(c["proposal"]["net_social_rent"].get<double>(), 203.0);
                }
            }

    // The CSV: a header and one row per brief and criterion.
    std::ifstream csv(out / "scorecard.csv");
    std::string line;
    int lines = 0;
    while (std::getline(csv, line))
        if (!line.empty()) ++lines;
    EXPECT_EQ(lines, 1 + 12);

    // The GeoPackage: every layer, each with its default style.
    GDALDatasetUniquePtr ds(GDALDataset::Open((out / "assessment.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    for (const char* name : {"site", "catchment", "catchment_areas", "catchment_homes", "new_open_space", "catchment_greenspace"}) {
        OGRLayer* layer = ds->GetLayerByName(name);
        ASSERT_NE(layer, nullptr) << name;
        EXPECT_GT(layer->GetFeatureCount(), 0) << name;
    }
    EXPECT_EQ(ds->GetLayerByName("site")->GetFeatureCount(), 2);
    EXPECT_EQ(ds->GetLayerByName("new_stops"), nullptr);  // no brief adds a stop: no empty layer
    OGRLayer* styles = ds->ExecuteSQL("SELECT COUNT(*) FROM layer_styles WHERE useAsDefault", nullptr, nullptr);
    ASSERT_NE(styles, nullptr);
    OGRFeatureUniquePtr f(styles->GetNextFeature());
    EXPECT_EQ(f->GetFieldAsInteger(0), 6);
    ds->ReleaseResultSet(styles);

    // The report is one file with its maps inline and nothing fetched from a network.
    const std::string html = hearth::test::read_text(out / "report.html");
    EXPECT_EQ(html.find("http://www.w3.org/2000/svg\" class=\"map\"") == std::string::npos, false);
    EXPECT_EQ(html.find("src=\"http"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    for (const char* term : {"LSOA", "IMD decile", "PTAL", "ANGSt", "HHSRS Category 1", "EPC band", "ICS / ICB"})
        EXPECT_NE(html.find(term), std::string::npos) << term;
}

TEST_F(AssessCliTest, AFolderOfBriefsIsScreenedAndRanked) {
    const auto briefs = dir / "briefs";
    std::filesystem::create_directories(briefs);
    // Three candidate sites of boundary and homes only, in the study's CRS.
    const char* sites[] = {"POLYGON((533600 191000,533900 191000,533900 191300,533600 191300,533600 191000))",
                           "POLYGON((531000 189000,531200 189000,531200 189200,531000 189200,531000 189000))",
                           "POLYGON((529000 190500,529300 190500,529300 190800,529000 190800,529000 190500))"};
    for (int k = 0; k < 3; ++k)
        write_text(briefs / ("site" + std::to_string(k) + ".yaml"),
                   "name: Site " + std::to_string(k) + "\nsite: {wkt: '" + sites[k] + "', crs: 'EPSG:27700'}\n"
                   "homes: {total: 120, percent: {social_rent: 35, market: 65}}\n");
    const auto out = dir / "screen";
    const auto r = run_hearth({"--quiet", "assess", "--study", kStudy, "--briefs", briefs.string(), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json card = read_json(out / "scorecard.json");
    ASSERT_EQ(card["briefs"].size(), 3u);
    for (std::size_t k = 1; k < 3; ++k) EXPECT_GE(card["briefs"][k - 1]["total"].get<double>(), card["briefs"][k]["total"].get<double>());
    EXPECT_EQ(card["briefs"][0]["rank"], 1);
}

TEST_F(AssessCliTest, SuppressionWithholdsSmallCountsEverywhereItShares) {
    const auto briefs = dir / "b";
    std::filesystem::create_directories(briefs);
    write_text(briefs / "small.yaml",
               "name: Small infill\nsite: {wkt: 'POLYGON((533600 191000,533700 191000,533700 191100,533600 191100,533600 191000))'}\n"
               "homes: {social_rent: 4, affordable_rent: 20, market: 30}\n");
    const auto out = dir / "o";
    const auto r = run_hearth({"--quiet", "assess", "--study", kStudy, "--brief", (briefs / "small.yaml").string(), "--out",
                               out.string(), "--suppress-below", "10", "--no-pockets"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json card = read_json(out / "scorecard.json");
    EXPECT_EQ(card["suppress_below"], 10);
    for (const auto& m : card["briefs"][0]["programme"]) {
        if (m["id"] == "homes_social_rent" || m["id"] == "homes_affordable_rent") {
            EXPECT_TRUE(m["proposal"].is_null()) << m.dump();  // 4 primary; 20 secondary
            EXPECT_TRUE(m.contains("suppressed"));
        }
        if (m["id"] == "homes_market") {
            EXPECT_EQ(m["proposal"].get<double>(), 30.0);
        }
    }
    const std::string html = hearth::test::read_text(out / "report.html");
    EXPECT_NE(html.find("suppressed"), std::string::npos);
    // No layer of points per address in a shared GeoPackage.
    GDALDatasetUniquePtr ds(GDALDataset::Open((out / "assessment.gpkg").c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetLayerByName("catchment_homes"), nullptr);
    EXPECT_NE(ds->GetLayerByName("catchment_areas"), nullptr);
    // "with 4 at social rent" would disclose it in the explanation.
    EXPECT_EQ(card.dump().find("with 4 at social rent"), std::string::npos);
    EXPECT_NE(card.dump().find("with fewer than 10 at social rent"), std::string::npos);
}

TEST_F(AssessCliTest, ABadBriefStopsTheRunBeforeAnythingIsWritten) {
    const auto bad = dir / "bad.yaml";
    write_text(bad, "name: Bad\nsite: {wkt: 'POLYGON((0 0,10 0,10 10,0 10,0 0))'}\nhomes: {market: 10}\n");
    const auto out = dir / "never";
    // The good brief first: the bad one (a site in the sea off Cornwall) must still stop the run.
    const auto r = run_hearth({"assess", "--study", kStudy, "--brief", kScheme, "--brief", bad.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("bad.yaml"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("outside the study"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(out / "scorecard.json"));
    EXPECT_FALSE(std::filesystem::exists(out / "report.html"));

    const auto typo = dir / "typo.yaml";
    write_text(typo, "name: Typo\nsite: {wkt: 'POLYGON((0 0,10 0,10 10,0 10,0 0))'}\nhomes: {market: 10}\nopen_spaces: []\n");
    const auto t = run_hearth({"assess", "--study", kStudy, "--brief", typo.string(), "--out", out.string()});
    EXPECT_EQ(t.exit_code, 1);
    EXPECT_NE(t.err.find("typo.yaml: line 4: unknown key 'open_spaces'"), std::string::npos) << t.err;

    const auto u = run_hearth({"assess", "--study", kStudy, "--out", out.string()});
    EXPECT_EQ(u.exit_code, 2) << u.err;
}

TEST_F(AssessCliTest, TwoBriefsWithOneNameAreAnError) {
    const auto r = run_hearth({"assess", "--study", kStudy, "--brief", kScheme, "--brief", kScheme, "--out", (dir / "x").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("two briefs are called 'High Road West scheme'"), std::string::npos) << r.err;
}

}  // namespace
