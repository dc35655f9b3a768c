#include <gtest/gtest.h>

#include <filesystem>

#include <ogrsf_frmts.h>

#include "hearth/core/errors.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/io/recipe.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::TempDir;
using hearth::test::write_text;

namespace {

std::string load_error(const std::string& yaml) {
    TempDir dir;
    write_text(dir / "r.yaml", yaml);
    try {
        load_recipe(dir / "r.yaml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(RecipeTest, EveryShippedRecipeLoads) {
    const RecipeBook book(test::kLayers);
    EXPECT_GE(book.recipes().size(), 15u);
    for (const auto& r : book.recipes()) {
        EXPECT_FALSE(r.title.empty()) << r.name;
        EXPECT_FALSE(r.licence.empty()) << r.name << " must say its licence";
    }
}

TEST(RecipeTest, UnknownRecipeNameSuggestsTheClosest) {
    const RecipeBook book(test::kLayers);
    try {
        book.get("imd2019_file8");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown recipe 'imd2019_file8'; closest: imd2019_file"),
                  std::string::npos)
            << e.what();
    }
}

TEST(RecipeTest, ErrorsNameTheFileAndLine) {
    const std::string e = load_error("name: x\ntitle: y\nfields:\n  a: {from: [A], type: decimal}\n");
    EXPECT_NE(e.find("r.yaml: line 4: type 'decimal' is not one of string, integer, real"), std::string::npos) << e;
}

TEST(RecipeTest, KeyMustBeOneOfItsFields) {
    EXPECT_NE(load_error("name: x\ntitle: y\nkey: b\nfields:\n  a: {from: [A]}\n").find("key 'b' is not one of its fields"),
              std::string::npos);
}

TEST(RecipeTest, StyleColoursMustBeHex) {
    const std::string e =
        load_error("name: x\ntitle: y\nfields:\n  a: {from: [A]}\nstyle:\n  renderer: single\n  color: red\n");
    EXPECT_NE(e.find("color 'red' is not of the form #rrggbb"), std::string::npos) << e;
}

TEST(RecipeTest, InvalidYamlIsReportedWithItsLine) {
    const std::string e = load_error("name: x\ntitle: [unclosed\n");
    EXPECT_NE(e.find("not valid YAML"), std::string::npos) << e;
}

// `hearth inspect` recognises every file of the sample study by its published headers.
struct SampleFile {
    const char* path;
    const char* layer;
    const char* recipe;
};

void PrintTo(const SampleFile& f, std::ostream* os) { *os << f.path << " " << f.layer; }

class RecipeRecognitionTest : public ::testing::TestWithParam<SampleFile> {};

TEST_P(RecipeRecognitionTest, SampleFileIsRecognisedByItsHeaders) {
    const RecipeBook book(test::kLayers);
    const auto file = (test::kSampleStudy / GetParam().path).string();
    auto ds = open_vector_source(file);
    OGRLayer& layer = pick_layer(*ds, file, GetParam().layer);
    const RecipeFit fit = book.recognise(field_names(layer), layer.GetGeomType() != wkbNone);
    ASSERT_TRUE(fit.recipe) << file;
    EXPECT_EQ(fit.recipe->name, GetParam().recipe);
}

INSTANTIATE_TEST_SUITE_P(
    HighRoadWest, RecipeRecognitionTest,
    ::testing::Values(SampleFile{"boundaries/haringey_lsoa11.shp", "", "ons_lsoa11_boundaries"},
                      SampleFile{"boundaries/haringey_lsoa21.gpkg", "", "ons_lsoa21_boundaries"},
                      SampleFile{"boundaries/haringey_wards_2022.geojson", "", "ons_wards"},
                      SampleFile{"deprivation/imd2019_file7_haringey.csv", "", "imd2019_file7"},
                      SampleFile{"health/iod2019_underlying_indicators_haringey.xlsx", "", "iod2019_underlying_indicators"},
                      SampleFile{"health/census2021_ts037_general_health_haringey.csv", "", "census2021_ts037_general_health"},
                      SampleFile{"environment/laei2019_lsoa11_no2_haringey.csv", "", "laei2019_no2_lsoa11"},
                      SampleFile{"environment/laei2019_lsoa11_pm25_haringey.csv", "", "laei2019_pm25_lsoa11"},
                      SampleFile{"transport/tfl_ptai2015_lsoa11_haringey.csv", "", "tfl_ptai2015_lsoa11"},
                      SampleFile{"transport/tfl_bus_stops_haringey.csv", "", "tfl_bus_stops"},
                      SampleFile{"transport/naptan_rail_underground_haringey_2026-07.csv", "", "naptan_stops"},
                      SampleFile{"transport/stop_route_frequencies_illustrative.csv", "", "stop_route_frequencies"},
                      SampleFile{"amenities/opgrsp_haringey_illustrative.gpkg", "greenspace_site", "os_open_greenspace_sites"},
                      SampleFile{"amenities/opgrsp_haringey_illustrative.gpkg", "access_point",
                                 "os_open_greenspace_access_points"},
                      SampleFile{"amenities/nhs_gp_practices_haringey_2022-05.csv", "", "nhs_gp_practices_list_size"},
                      SampleFile{"housing/census2021_ts054_tenure_haringey.csv", "", "census2021_ts054_tenure"},
                      SampleFile{"boundaries/lsoa11_lsoa21_lookup_haringey.csv", "", "ons_lsoa11_lsoa21_lookup"},
                      SampleFile{"housing/housing_stock_illustrative.csv", "", "housing_stock"},
                      SampleFile{"site/high_road_west_site_illustrative.geojson", "", "development_site"}),
    [](const auto& info) {
        std::string name = std::filesystem::path(info.param.path).stem().string() + "_" + info.param.layer;
        for (auto& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        return name;
    });

TEST(RecipeRecognitionTest, FingertipsExportLayoutIsRecognised) {
    const RecipeBook book(test::kLayers);
    const auto file = (test::kSourceDir / "tests" / "fixtures" / "fingertips_export_sample.csv").string();
    auto ds = open_vector_source(file);
    const RecipeFit fit = book.recognise(field_names(*ds->GetLayer(0)), false);
    ASSERT_TRUE(fit.recipe);
    EXPECT_EQ(fit.recipe->name, "fingertips_indicator_export");
}

TEST(RecipeRangeTest, DecilesAreOneToTenUnlessARangeIsGiven) {
    const RecipeBook book(test::kLayers);
    const RecipeField* decile = book.get("imd2019_file7").field("imd_decile");
    ASSERT_TRUE(decile);
    EXPECT_EQ(decile->min, 1.0);
    EXPECT_EQ(decile->max, 10.0);
    EXPECT_FALSE(book.get("imd2019_file7").field("imd_score")->min.has_value());
}

// The first 20 rows of the published files these recipes are for (tests/fixtures; TfL
// Open Data and NHS Digital, OGL v3), with their headers as published.
TEST(RecipeRecognitionTest, TflBusSequencesAndNhsListSizesAreRecognisedAsPublished) {
    const auto fixtures = test::kSourceDir / "tests" / "fixtures";
    const auto sequences = test::run_hearth({"inspect", (fixtures / "tfl_bus_sequences_2019_first_20.csv").string()});
    EXPECT_NE(sequences.out.find("recipe:   tfl_bus_sequences (TfL bus route sequences (bus-sequences.csv); 9 of 9"),
              std::string::npos) << sequences.out;
    const auto patients =
        test::run_hearth({"inspect", (fixtures / "nhs_gp_patients_registered_2022-05_first_20.csv").string()});
    EXPECT_NE(patients.out.find("recipe:   nhs_gp_patients_registered"), std::string::npos) << patients.out;
    EXPECT_NE(patients.out.find("features: 20"), std::string::npos) << patients.out;
}
