#include <gtest/gtest.h>

#include "hearth/geometry/table_points.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/analysis/access/access_config.hpp"
#include "hearth/analysis/pockets/pockets_config.hpp"
#include "hearth/io/study.hpp"
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

namespace {

/// What the full reader makes of a study layer, as the streaming reader should return it.
void expect_same_points_as_the_full_reader(const Study& study, const std::string& layer, const std::string& id,
                                           const std::vector<std::string>& values) {
    SCOPED_TRACE(layer);
    const RecipeBook book(test::kLayers);
    GeosContext geos;
    const FeatureTable table = build_study_layer(study, study.layers[study.layer_index(layer)], book, geos);
    const PointSet expected = point_set_from_table(table);
    const PointSet streamed = read_study_points(study, book, layer, id, values);
    ASSERT_EQ(streamed.size(), expected.size());
    ASSERT_GT(streamed.size(), 0u);
    EXPECT_EQ(streamed.without_geometry, expected.without_geometry);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Feature& f = table.features[expected.source_row[i]];
        EXPECT_DOUBLE_EQ(streamed.x[i], expected.x[i]) << i;
        EXPECT_DOUBLE_EQ(streamed.y[i], expected.y[i]) << i;
        EXPECT_EQ(streamed.source_row[i], f.source_row) << i;
        if (!id.empty()) {
            EXPECT_EQ(streamed.ids[i], value_text(f.values[table.field_index(id)])) << i;
        }
        for (std::size_t v = 0; v < values.size(); ++v)
            EXPECT_EQ(streamed.values[v][i], value_number(f.values[table.field_index(values[v])]).value_or(0.0)) << i;
    }
}

}  // namespace

TEST(StudyPointsTest, StreamedPointsMatchTheFullReaderForCoordinateColumnsAndGeometries) {
    const Study study = load_study(test::kSampleStudy / "study.yaml");
    expect_same_points_as_the_full_reader(study, "housing_stock", "uprn", {"homes", "cat1_hazards"});  // CSV, X/Y text
    expect_same_points_as_the_full_reader(study, "bus_stops", "naptan_atco", {});                      // CSV, lon/lat
    expect_same_points_as_the_full_reader(study, "greenspace_access_points", "site_id", {});         // GeoPackage points
}

TEST(StudyPointsTest, GeoPackageWithCoordinateColumnsIsLocatedByTheColumnsAsTheRecipeSays) {
    // The housing CSV copied into a GeoPackage (no geometry column): the Arrow path.
    TempDir dir;
    Study study = load_study(test::kSampleStudy / "study.yaml");
    StudyLayer& housing = study.layers[study.layer_index("housing_stock")];
    const auto gpkg = dir / "housing.gpkg";
    const auto r = test::run_shell("ogr2ogr -f GPKG " + gpkg.string() + " " + housing.source.path + " -nln housing");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    housing.source = {gpkg.string(), "housing"};
    expect_same_points_as_the_full_reader(study, "housing_stock", "uprn", {"homes"});
}

TEST(StudyPointsTest, AFieldTheRecipeCannotFindInTheFileIsNamed) {
    TempDir dir;
    Study study = load_study(test::kSampleStudy / "study.yaml");
    write_text(dir / "homes.csv", "UPRN,X_COORDINATE,Y_COORDINATE,TENURE\n1,533000,190000,Social rent\n");
    study.layers[study.layer_index("housing_stock")].source = {(dir / "homes.csv").string()};
    const RecipeBook book(test::kLayers);
    try {
        read_study_points(study, book, "housing_stock", "uprn", {"homes"});
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("homes.csv"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("homes"), std::string::npos) << e.what();
    }
}

TEST(StudyTest, DerivedFieldsAndIllustrativeLayersReachTheLayer) {
    TempDir dir;
    const auto sample = test::kSampleStudy;
    write_text(dir / "study.yaml",
               "name: t\nlayers:\n"
               "  - name: health\n"
               "    source: " + (sample / "boundaries" / "haringey_lsoa21.gpkg").string() + "\n"
               "    recipe: ons_lsoa21_boundaries\n"
               "    illustrative: true\n"
               "    derive:\n"
               "      good_share:\n"
               "        formula: (health_very_good + health_good) / residents_2021 * 100\n"
               "        description: residents in good or very good health, %\n"
               "    join:\n"
               "      - source: " + (sample / "health" / "census2021_ts037_general_health_haringey.csv").string() + "\n"
               "        recipe: census2021_ts037_general_health\n"
               "        key: lsoa21cd\n");
    const Study study = load_study(dir / "study.yaml");
    const RecipeBook book(test::kLayers);
    GeosContext geos;
    const FeatureTable t = build_study_layer(study, study.layers[0], book, geos);
    // The recipe's own formula (bad_health_share) and the study's both computed.
    const int bad = t.field_index("bad_health_share"), good = t.field_index("good_share");
    ASSERT_GE(bad, 0);
    ASSERT_GE(good, 0);
    for (const auto& f : t.features) {
        const double b = std::get<double>(f.values[bad]), g = std::get<double>(f.values[good]);
        EXPECT_GT(b, 0);
        EXPECT_LT(b + g, 100.0 + 1e-9);
    }
    EXPECT_EQ(t.illustrative_inputs, std::vector<std::string>{"health"});
    const auto origin = layer_field_origin(study, study.layers[0], "bad_health_share", book);
    ASSERT_TRUE(origin && origin->recipe);
    EXPECT_EQ(origin->recipe->area_vintage, "lsoa2021");
}

TEST(StudyTest, NationalDecilesOfIndicatorsComeFromTheirRecipes) {
    const Study s = load_study(test::kSampleStudy / "study.yaml");
    const RecipeBook book(test::kLayers);
    const auto health = layer_field_origin(s, s.layers[0], "health_score", book);
    ASSERT_TRUE(health && health->field);
    EXPECT_EQ(health->field->national_decile, "health_decile");
    EXPECT_EQ(health->recipe->area_vintage, "lsoa2011");
    const auto rank = layer_field_origin(s, s.layers[0], "imd_rank", book);
    ASSERT_TRUE(rank && rank->field);
    EXPECT_EQ(rank->field->national_decile, "imd_decile");
    EXPECT_FALSE(layer_field_origin(s, s.layers[0], "no_such_field", book));
}

TEST(StudyTest, EachAnalysisParsesItsOwnSectionWithTheStudyFilesLines) {
    const Study sample = load_study(test::kSampleStudy / "study.yaml");
    EXPECT_EQ(access_config(sample).homes_layer, "housing_stock");
    EXPECT_EQ(pockets_config(sample).within_name, "ward_name");

    TempDir dir;
    std::string text = test::read_text(test::kSampleStudy / "study.yaml");
    text.replace(text.find("id: uprn, weight: homes"), 23, "id: uprn, wieght: homes");
    write_text(dir / "study.yaml", text);
    const Study study = load_study(dir / "study.yaml");  // the study reader does not look inside
    try {
        access_config(study);
        FAIL() << "a misspelt key in access: must be an error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown key 'wieght'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("study.yaml: line "), std::string::npos) << e.what();
    }
    write_text(dir / "none.yaml", "name: t\nlayers:\n  - {name: w, source: x, recipe: ons_wards}\n");
    EXPECT_THROW(pockets_config(load_study(dir / "none.yaml")), InputError);
}

TEST(StudyTest, FuzzFindingsAreAnswersNotCrashes) {
    // study-sites-scalar.yaml: libFuzzer's mutation of the sample study with a scalar
    // where access: greenspace: expects a map; yaml-cpp's exception escaped (terminate).
    const Study study = load_study(test::kSourceDir / "tests" / "fuzz-regressions" / "study-sites-scalar.yaml");
    try {
        access_config(study);
        FAIL() << "a scalar where a mapping belongs must be an error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("study-sites-scalar.yaml: line "), std::string::npos) << e.what();
    }
}
