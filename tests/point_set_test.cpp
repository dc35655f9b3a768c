// Reading points: the GeoPackage (Arrow stream) path and the generic feature path give
// the same points, categories, ids and values.

#include <gtest/gtest.h>

#include <cmath>

#include "hearth/io/point_reader.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/point_set.hpp"
#include "hearth/core/point_table.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::TempDir;

TEST(PointSetTest, GeoPackageAndGeoJsonReadingsAgreeRowForRow) {
    TempDir dir;
    const auto gpkg = dir / "homes.gpkg", geojson = dir / "homes.geojson";
    // Homes with text, whole-number and null columns, in both formats (GeoJSON in BNG, full precision).
    const auto a = test::run_shell("ogr2ogr -f GPKG " + gpkg.string() + " " +
                                   (test::kSampleStudy / "housing" / "housing_stock_illustrative.csv").string() +
                                   " -oo X_POSSIBLE_NAMES=X_COORDINATE -oo Y_POSSIBLE_NAMES=Y_COORDINATE -a_srs EPSG:27700"
                                   " -oo AUTODETECT_TYPE=YES -nln homes");
    ASSERT_EQ(a.exit_code, 0) << a.err;
    const auto b = test::run_shell("ogr2ogr -f GeoJSON -lco RFC7946=NO -lco COORDINATE_PRECISION=15 " + geojson.string() +
                                   " " + gpkg.string() + " homes");
    ASSERT_EQ(b.exit_code, 0) << b.err;

    PointSetRequest request;
    request.category_field = "LANDLORD";  // empty for owner-occupied homes: nulls
    request.id_field = "UPRN";
    request.value_fields = {"UNITS", "CAT1_HAZARDS"};
    const auto bng = parse_crs("EPSG:27700");
    const PointSet fast = read_point_set({gpkg.string(), "homes"}, bng, request);
    const PointSet generic = read_point_set({geojson.string()}, bng, request);
    ASSERT_EQ(fast.size(), 2610u);
    ASSERT_EQ(generic.size(), fast.size());
    EXPECT_EQ(fast.x, generic.x);
    EXPECT_EQ(fast.y, generic.y);
    EXPECT_EQ(fast.ids, generic.ids);
    EXPECT_EQ(fast.category_names, generic.category_names);
    EXPECT_EQ(fast.category, generic.category);
    EXPECT_EQ(fast.values, generic.values);
    EXPECT_EQ(fast.null_counts, generic.null_counts);
    EXPECT_EQ(fast.ids.front(), "100021000027");  // first row of the CSV
    EXPECT_DOUBLE_EQ(fast.x.front(), 529506.0);
}

TEST(PointSetTest, TextThatIsNoNumberInAValueFieldIsNamed) {
    TempDir dir;
    test::write_text(dir / "p.csv", "id,WKT,homes\nA,POINT (530000 190000),3\nB,POINT (530001 190001),many\n");
    const auto gpkg = dir / "p.gpkg";
    ASSERT_EQ(test::run_shell("ogr2ogr -f GPKG -a_srs EPSG:27700 " + gpkg.string() + " " + (dir / "p.csv").string() + " -nln p")
                  .exit_code,
              0);
    PointSetRequest request;
    request.value_fields = {"homes"};
    try {
        read_point_set({gpkg.string(), "p"}, parse_crs("EPSG:27700"), request);
        FAIL() << "expected an error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("feature 2: field 'homes': expected a number, found 'many'"), std::string::npos)
            << e.what();
    }
}

TEST(PointColumnTest, CarriedIdsTakeTheirSourceTypeAndRefuseValuesNotOfIt) {
    const auto uprn = PointColumn::carried_id("uprn", "", {"100021000027", "", "7"}, FieldType::Integer);
    ASSERT_EQ(uprn.kind, PointColumn::Kind::Integer);
    EXPECT_EQ(uprn.integers, (std::vector<std::int64_t>{100021000027, kNullInteger, 7}));
    const auto real = PointColumn::carried_id("ref", "", {"1.5", ""}, FieldType::Real);
    ASSERT_EQ(real.kind, PointColumn::Kind::Real);
    EXPECT_DOUBLE_EQ(real.reals[0], 1.5);
    EXPECT_TRUE(std::isnan(real.reals[1]));
    EXPECT_EQ(PointColumn::carried_id("code", "", {"E01001962"}, FieldType::String).kind, PointColumn::Kind::Text);
    EXPECT_THROW(PointColumn::carried_id("uprn", "", {"12AB"}, FieldType::Integer), std::invalid_argument);
    EXPECT_THROW(PointColumn::carried_id("uprn", "", {"1.5"}, FieldType::Integer), std::invalid_argument);
}
