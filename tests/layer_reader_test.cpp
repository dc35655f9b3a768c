#include <gtest/gtest.h>

#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/io/layer_reader.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::kSampleStudy;
using hearth::test::TempDir;
using hearth::test::write_text;

namespace {

const OGRSpatialReference kBng = parse_crs("EPSG:27700");

Recipe recipe_named(const std::string& name) { return load_recipe(test::kLayers / (name + ".yaml")); }

FeatureTable read(const LayerSource& source, const Recipe& recipe) {
    GeosContext geos;
    return read_layer(source, recipe, kBng, geos);
}

std::string error_of(const LayerSource& source, const Recipe& recipe) {
    try {
        read(source, recipe);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

/// A minimal recipe for ad hoc fixtures.
Recipe test_recipe(TempDir& dir, const std::string& body) {
    write_text(dir / "test_recipe.yaml", "name: test_recipe\ntitle: test\n" + body);
    return load_recipe(dir / "test_recipe.yaml");
}

const char* kBngGeoJsonHeader =
    R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[)";

std::string get_string(const FeatureTable& t, std::size_t row, const std::string& field) {
    return std::get<std::string>(t.features.at(row).values.at(t.field_index(field)));
}

}  // namespace

TEST(LayerReaderTest, ReadsShapefileBoundariesInBritishNationalGridWithoutReprojecting) {
    const auto t = read({(kSampleStudy / "boundaries" / "haringey_lsoa11.shp").string()},
                        recipe_named("ons_lsoa11_boundaries"));
    EXPECT_EQ(t.features.size(), 145u);
    EXPECT_EQ(t.geometry_type, wkbMultiPolygon);
    EXPECT_EQ(crs_label(t.crs), "EPSG:27700");
    EXPECT_TRUE(t.diagnostics.notes.empty()) << t.diagnostics.notes.front();
    EXPECT_EQ(get_string(t, 0, "lsoa11cd").substr(0, 3), "E01");
    EXPECT_GT(std::get<std::int64_t>(t.features[0].values[t.field_index("usual_residents_2011")]), 0);
}

TEST(LayerReaderTest, ReprojectsWgs84GeoJsonToTheWorkingCrs) {
    const auto t = read({(test::kSourceDir / "tests" / "fixtures" / "lsoa_E01001962_wgs84.geojson").string()},
                        recipe_named("ons_lsoa11_boundaries"));
    ASSERT_EQ(t.features.size(), 1u);
    const auto* multi = t.features[0].geometry->toMultiPolygon();
    const OGRPoint first = [&] {
        OGRPoint p;
        multi->getGeometryRef(0)->getExteriorRing()->getPoint(0, &p);
        return p;
    }();
    // Same vertex in the London Datastore's own BNG file.
    EXPECT_NEAR(first.getX(), 529467.134, 1.0);
    EXPECT_NEAR(first.getY(), 191317.005, 1.0);
    ASSERT_FALSE(t.diagnostics.notes.empty());
    EXPECT_NE(t.diagnostics.notes[0].find("reprojected from EPSG:4326"), std::string::npos);
}

TEST(LayerReaderTest, BuildsPointsFromEastingNorthingColumnsOfAPublishedCsv) {
    const auto t = read({(kSampleStudy / "transport" / "tfl_bus_stops_haringey.csv").string()},
                        recipe_named("tfl_bus_stops"));
    EXPECT_EQ(t.features.size(), 663u);
    EXPECT_EQ(t.geometry_type, wkbPoint);
    const auto* p = t.features[0].geometry->toPoint();
    EXPECT_DOUBLE_EQ(p->getX(), std::get<double>(t.features[0].values[t.field_index("easting")]));
    EXPECT_DOUBLE_EQ(p->getY(), std::get<double>(t.features[0].values[t.field_index("northing")]));
}

TEST(LayerReaderTest, ReadsAWorkbookSheetByTheRecipesSheetName) {
    const auto t = read({(kSampleStudy / "health" / "iod2019_underlying_indicators_haringey.xlsx").string()},
                        recipe_named("iod2019_underlying_indicators"));
    EXPECT_EQ(t.features.size(), 145u);
    EXPECT_FALSE(t.has_geometry());
    EXPECT_TRUE(std::holds_alternative<double>(t.features[0].values[t.field_index("ypll")]));
}

TEST(LayerReaderTest, ReadsCsvWithBomAndLongImdHeaders) {
    const auto t = read({(kSampleStudy / "deprivation" / "imd2019_file7_haringey.csv").string()},
                        recipe_named("imd2019_file7"));
    ASSERT_EQ(t.features.size(), 145u);
    // First data row of the file: E01001962, IMD score 15.503, decile 6.
    EXPECT_EQ(get_string(t, 0, "lsoa11cd"), "E01001962");
    EXPECT_DOUBLE_EQ(std::get<double>(t.features[0].values[t.field_index("imd_score")]), 15.503);
    EXPECT_EQ(std::get<std::int64_t>(t.features[0].values[t.field_index("imd_decile")]), 6);
}

TEST(LayerReaderTest, BuildsGeometryFromAWktColumn) {
    TempDir dir;
    write_text(dir / "sites.csv", "ref,WKT\nA,\"POLYGON ((0 0,100 0,100 100,0 100,0 0))\"\nB,\"POINT (5 5)\"\n");
    const auto recipe = test_recipe(dir, R"(geometry: any
wkt: {field: wkt, crs: "EPSG:27700"}
fields:
  ref: {from: [ref], type: string, required: true}
  wkt: {from: [WKT], type: string, required: true}
)");
    GeosContext geos;
    EXPECT_EQ(read({(dir / "sites.csv").string()}, recipe).features.size(), 2u);
}

TEST(LayerReaderTest, WhereFilterKeepsOnlyMatchingRows) {
    auto source = LayerSource{(kSampleStudy / "transport" / "stop_route_frequencies_illustrative.csv").string()};
    source.where = "mode = 'underground'";
    const auto t = read(source, recipe_named("stop_route_frequencies"));
    // 13 Underground stations, Finsbury Park on two lines (Victoria and Piccadilly).
    EXPECT_EQ(t.features.size(), 14u);
}

TEST(LayerReaderTest, InvalidPolygonsAreRepairedAndCounted) {
    TempDir dir;
    write_text(dir / "bowtie.geojson",
               std::string(kBngGeoJsonHeader) +
                   R"({"type":"Feature","properties":{"site_ref":"X"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]}}]})");
    const auto t = read({(dir / "bowtie.geojson").string()}, recipe_named("development_site"));
    EXPECT_EQ(t.diagnostics.repaired_geometries, 1u);
    EXPECT_TRUE(t.features[0].geometry->IsValid());
    EXPECT_NEAR(t.features[0].geometry->toMultiPolygon()->get_Area(), 50.0, 1e-9);
}

TEST(LayerReaderTest, MissingFileIsNamed) {
    const std::string e = error_of({"/no/such/file.gpkg"}, recipe_named("ons_wards"));
    EXPECT_NE(e.find("/no/such/file.gpkg: file not found"), std::string::npos) << e;
}

TEST(LayerReaderTest, UnreadableFormatIsNamed) {
    TempDir dir;
    write_text(dir / "broken.gpkg", "this is not a GeoPackage");
    const std::string e = error_of({(dir / "broken.gpkg").string()}, recipe_named("ons_wards"));
    EXPECT_NE(e.find("broken.gpkg: not a vector data source GDAL can read"), std::string::npos) << e;
}

TEST(LayerReaderTest, MissingRequiredFieldNamesFieldExpectedHeadersAndClosestCandidates) {
    TempDir dir;
    write_text(dir / "imd.csv", "LSOA code (2011),IMD Scor,Index of Multiple Deprivation (IMD) Rank,"
                                "Index of Multiple Deprivation (IMD) Decile\nE01000001,1.0,2,3\n");
    const std::string e = error_of({(dir / "imd.csv").string()}, recipe_named("imd2019_file7"));
    EXPECT_NE(e.find("field 'imd_score'"), std::string::npos) << e;
    EXPECT_NE(e.find("required field missing"), std::string::npos) << e;
    EXPECT_NE(e.find("closest: 'IMD Scor'"), std::string::npos) << e;
}

TEST(LayerReaderTest, NonNumericValueNamesRowAndField) {
    TempDir dir;
    write_text(dir / "freq.csv", "stop_id,route_id,mode,am_peak_services_per_hour\nS1,R1,bus,12\nS2,R2,bus,often\n");
    const std::string e = error_of({(dir / "freq.csv").string()}, recipe_named("stop_route_frequencies"));
    EXPECT_NE(e.find("feature 2: field 'am_peak_services_per_hour': expected a number, found 'often'"),
              std::string::npos)
        << e;
}

TEST(LayerReaderTest, SourceWithoutCrsAsksForAssumeCrs) {
    TempDir dir;
    {
        GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("ESRI Shapefile")
                                    ->Create((dir / "nocrs.shp").c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRLayer* l = ds->CreateLayer("nocrs", nullptr, wkbPolygon, nullptr);
        OGRFieldDefn f("WD22CD", OFTString), n("WD22NM", OFTString);
        l->CreateField(&f);
        l->CreateField(&n);
        OGRFeature feature(l->GetLayerDefn());
        feature.SetField("WD22CD", "E05000001");
        feature.SetField("WD22NM", "Test");
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt("POLYGON ((530000 190000,531000 190000,531000 191000,530000 190000))",
                                          nullptr, &g);
        feature.SetGeometryDirectly(g);
        ASSERT_EQ(l->CreateFeature(&feature), OGRERR_NONE);
    }
    const LayerSource source{(dir / "nocrs.shp").string()};
    const std::string e = error_of(source, recipe_named("ons_wards"));
    EXPECT_NE(e.find("has no CRS"), std::string::npos) << e;
    EXPECT_NE(e.find("--assume-crs"), std::string::npos) << e;

    LayerSource assumed = source;
    assumed.assume_crs = "EPSG:27700";
    EXPECT_EQ(read(assumed, recipe_named("ons_wards")).features.size(), 1u);
}

TEST(LayerReaderTest, AssumedCrsContradictingTheFilesOwnIsAnError) {
    LayerSource source{(kSampleStudy / "boundaries" / "haringey_lsoa11.shp").string()};
    source.assume_crs = "EPSG:4326";
    const std::string e = error_of(source, recipe_named("ons_lsoa11_boundaries"));
    EXPECT_NE(e.find("mixed CRSs"), std::string::npos) << e;
    EXPECT_NE(e.find("EPSG:27700"), std::string::npos) << e;
}

TEST(LayerReaderTest, EmptyLayerIsAnError) {
    TempDir dir;
    write_text(dir / "empty.geojson", std::string(kBngGeoJsonHeader) + "]}");
    const std::string e = error_of({(dir / "empty.geojson").string()}, recipe_named("development_site"));
    EXPECT_NE(e.find("layer is empty"), std::string::npos) << e;
}

TEST(LayerReaderTest, MultiLayerSourceWithoutLayerNameListsItsLayers) {
    const std::string e = error_of({(kSampleStudy / "amenities" / "opgrsp_haringey_illustrative.gpkg").string()},
                                   recipe_named("development_site"));
    EXPECT_NE(e.find("has 2 layers"), std::string::npos) << e;
    EXPECT_NE(e.find("'greenspace_site'"), std::string::npos) << e;
}

TEST(LayerReaderTest, RecipePicksItsOwnLayerOfAMultiLayerSource) {
    const auto t = read({(kSampleStudy / "amenities" / "opgrsp_haringey_illustrative.gpkg").string()},
                        recipe_named("os_open_greenspace_access_points"));
    EXPECT_EQ(t.geometry_type, wkbPoint);
    EXPECT_GT(t.features.size(), 20u);
}

TEST(LayerReaderTest, PointsGivenToAPolygonRecipeAreRejected) {
    TempDir dir;
    write_text(dir / "points.geojson",
               std::string(kBngGeoJsonHeader) +
                   R"({"type":"Feature","properties":{"site_ref":"X"},"geometry":{"type":"Point","coordinates":[530000,190000]}}]})");
    const std::string e = error_of({(dir / "points.geojson").string()}, recipe_named("development_site"));
    EXPECT_NE(e.find("expects polygons but the layer has Point"), std::string::npos) << e;
}

TEST(LayerReaderTest, ReadsFlatGeobufAsWellAsGeoPackageShapefileAndGeoJson) {
    TempDir dir;
    const auto fgb = dir / "wards.fgb";
    const auto r = test::run_shell("ogr2ogr -f FlatGeobuf " + fgb.string() + " " +
                                   (kSampleStudy / "boundaries" / "haringey_wards_2022.geojson").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto t = read({fgb.string()}, recipe_named("ons_wards"));
    EXPECT_EQ(t.features.size(), 21u);
    EXPECT_EQ(crs_label(t.crs), "EPSG:27700");
    // FlatGeobuf stores features in spatial (Hilbert) order: look the ward up by name.
    bool found = false;
    for (std::size_t i = 0; i < t.features.size(); ++i) found = found || get_string(t, i, "ward_name") == "Alexandra Park";
    EXPECT_TRUE(found);
}
