#include <gtest/gtest.h>

#include "hearth/errors.hpp"
#include "hearth/study.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::TempDir;
using hearth::test::write_text;

namespace {

std::string study_error(const std::string& yaml) {
    TempDir dir;
    write_text(dir / "study.yaml", yaml);
    try {
        const RecipeBook book(test::kLayers);
        validate_study(load_study(dir / "study.yaml"), book);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(StudyTest, SampleStudyLoadsWithPathsRelativeToTheStudyFile) {
    const Study s = load_study(test::kSampleStudy / "study.yaml");
    EXPECT_EQ(s.name, "High Road West");
    EXPECT_EQ(s.crs, "EPSG:27700");
    ASSERT_FALSE(s.layers.empty());
    EXPECT_EQ(s.layers[0].name, "lsoa_deprivation");
    EXPECT_EQ(s.layers[0].source.path, (test::kSampleStudy / "boundaries" / "haringey_lsoa11.shp").string());
    EXPECT_EQ(s.layers[0].joins.size(), 5u);
    EXPECT_NO_THROW(validate_study(s, RecipeBook(test::kLayers)));
}

TEST(StudyTest, UnknownRecipeIsNamed) {
    const std::string e = study_error("name: t\nlayers:\n  - {name: a, source: /dev/null, recipe: no_such_recipe}\n");
    EXPECT_NE(e.find("unknown recipe 'no_such_recipe'"), std::string::npos) << e;
}

TEST(StudyTest, MissingSourceFileIsNamedWithTheLayerThatNamesIt) {
    const std::string e = study_error("name: t\nlayers:\n  - {name: wards, source: nowhere.geojson, recipe: ons_wards}\n");
    EXPECT_NE(e.find("nowhere.geojson: file not found (named by layer 'wards'"), std::string::npos) << e;
}

TEST(StudyTest, UnknownKeyIsReportedWithItsLine) {
    const std::string e = study_error("name: t\nlayers:\n  - name: a\n    source: x\n    recipy: ons_wards\n");
    EXPECT_NE(e.find("line 5: unknown key 'recipy'"), std::string::npos) << e;
}

TEST(StudyTest, LayerNamesMustSuitAGeoPackage) {
    const std::string e = study_error("name: t\nlayers:\n  - {name: 'my layer', source: x, recipe: ons_wards}\n");
    EXPECT_NE(e.find("layer name 'my layer' must start with a letter"), std::string::npos) << e;
    EXPECT_FALSE(is_valid_layer_name("gpkg_contents"));
    EXPECT_FALSE(is_valid_layer_name("layer_styles"));
    EXPECT_TRUE(is_valid_layer_name("lsoa_deprivation"));
}

TEST(StudyTest, JoinKeyMustBeAFieldOfBothRecipes) {
    const std::string e = study_error(
        "name: t\nlayers:\n  - name: a\n    source: /dev/null\n    recipe: ons_lsoa11_boundaries\n    join:\n"
        "      - {source: /dev/null, recipe: imd2019_file7, key: lsoa21cd}\n");
    EXPECT_NE(e.find("field 'lsoa21cd': join key is not a field of recipe 'ons_lsoa11_boundaries'"),
              std::string::npos)
        << e;
}

TEST(StudyTest, UnknownCrsIsRejected) {
    const std::string e = study_error("name: t\ncrs: EPSG:0\nlayers:\n  - {name: a, source: /dev/null, recipe: ons_wards}\n");
    EXPECT_NE(e.find("crs: 'EPSG:0' is not a CRS PROJ knows"), std::string::npos) << e;
}

TEST(StudyTest, JoinOfAnotherLsoaVintageReportsTheCodesLeftUnmatched) {
    // 2021 LSOA boundaries joined with IMD 2019 (2011 codes): unchanged LSOAs keep their code,
    // split and merged ones do not, and the run says which.
    TempDir dir;
    write_text(dir / "study.yaml",
               "name: t\nlayers:\n  - name: a\n    source: " +
                   (test::kSampleStudy / "boundaries" / "haringey_lsoa21.gpkg").string() +
                   "\n    recipe: ons_lsoa21_boundaries\n    join:\n      - source: " +
                   (test::kSampleStudy / "deprivation" / "imd2019_file7_haringey.csv").string() +
                   "\n        recipe: imd2019_file7\n        target_key: lsoa21cd\n        table_key: lsoa11cd\n");
    GeosContext geos;
    const auto layers = build_study_layers(load_study(dir / "study.yaml"), RecipeBook(test::kLayers), geos);
    ASSERT_EQ(layers.size(), 1u);
    const auto& notes = layers[0].diagnostics.notes;
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find(" of 147 matched; no row for E0103"), std::string::npos) << notes[0];
    EXPECT_NE(notes[0].find("table rows outside the layer"), std::string::npos) << notes[0];
}

TEST(StudyTest, JoinThatMatchesNothingIsAnError) {
    TempDir dir;
    write_text(dir / "imd.csv", "LSOA code (2011),Index of Multiple Deprivation (IMD) Score,"
                                "Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\n"
                                "W01000001,10.0,100,1\n");
    write_text(dir / "study.yaml", "name: t\nlayers:\n  - name: a\n    source: " +
                                       (test::kSampleStudy / "boundaries" / "haringey_lsoa11.shp").string() +
                                       "\n    recipe: ons_lsoa11_boundaries\n    join:\n      - source: imd.csv\n"
                                       "        recipe: imd2019_file7\n        key: lsoa11cd\n");
    GeosContext geos;
    try {
        build_study_layers(load_study(dir / "study.yaml"), RecipeBook(test::kLayers), geos);
        FAIL() << "expected an error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no row matched any feature of layer 'a'"), std::string::npos) << e.what();
    }
}

TEST(StudyTest, ParametersOverrideDefaultsAndUnknownOnesAreNamed) {
    TempDir dir;
    write_text(dir / "study.yaml", "name: t\nlayers:\n  - {name: a, source: x, recipe: ons_wards}\n"
                                   "parameters:\n  walk_speed_m_per_min: 70\n");
    const Study s = load_study(dir / "study.yaml");
    EXPECT_DOUBLE_EQ(s.parameters.get("walk_speed_m_per_min"), 70.0);
    EXPECT_DOUBLE_EQ(s.parameters.get("ptal_bus_max_walk_m"), 640.0);
    const std::string e = study_error("name: t\nlayers:\n  - {name: a, source: x, recipe: ons_wards}\n"
                                      "parameters:\n  walk_sped_m_per_min: 70\n");
    EXPECT_NE(e.find("line 5: unknown parameter 'walk_sped_m_per_min'; closest: walk_speed_m_per_min"), std::string::npos)
        << e;
}
