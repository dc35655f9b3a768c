#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/crs.hpp"
#include "hearth/errors.hpp"
#include "hearth/geopackage_writer.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::TempDir;

namespace {

FeatureTable two_points() {
    FeatureTable t;
    t.name = "homes";
    t.description = "test homes";
    t.geometry_type = wkbPoint;
    t.crs = parse_crs("EPSG:27700");
    t.fields = {{"uprn", FieldType::String, ""}, {"homes", FieldType::Integer, ""}, {"score", FieldType::Real, ""}};
    for (int i = 0; i < 2; ++i) {
        Feature f;
        f.values = {std::string("U") + std::to_string(i), std::int64_t{i + 1},
                    i == 0 ? FieldValue{2.5} : FieldValue{std::monostate{}}};
        f.geometry.reset(new OGRPoint(530000 + i, 190000 + i));
        t.features.push_back(std::move(f));
    }
    return t;
}

}  // namespace

TEST(GeoPackageWriterTest, RoundTripKeepsValuesNullsCrsAndAddsADefaultStyle) {
    TempDir dir;
    const auto table = two_points();
    LayerStyle style;
    write_geopackage(dir / "out.gpkg", {{&table, &style}});

    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "out.gpkg").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("homes");
    ASSERT_TRUE(layer);
    EXPECT_EQ(layer->GetFeatureCount(), 2);
    EXPECT_EQ(crs_label(*layer->GetSpatialRef()), "EPSG:27700");
    OGRFeatureUniquePtr first(layer->GetNextFeature());
    EXPECT_STREQ(first->GetFieldAsString("uprn"), "U0");
    EXPECT_EQ(first->GetFieldAsInteger64("homes"), 1);
    EXPECT_DOUBLE_EQ(first->GetFieldAsDouble("score"), 2.5);
    OGRFeatureUniquePtr second(layer->GetNextFeature());
    EXPECT_TRUE(second->IsFieldNull(second->GetFieldIndex("score")));
    EXPECT_DOUBLE_EQ(second->GetGeometryRef()->toPoint()->getX(), 530001);

    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    ASSERT_TRUE(styles);
    EXPECT_EQ(styles->GetFeatureCount(), 1);
    OGRFeatureUniquePtr s(styles->GetNextFeature());
    EXPECT_STREQ(s->GetFieldAsString("f_table_name"), "homes");
    EXPECT_STREQ(s->GetFieldAsString("f_table_schema"), "");
    EXPECT_STREQ(s->GetFieldAsString("f_geometry_column"), layer->GetGeometryColumn());
    EXPECT_EQ(s->GetFieldAsInteger("useAsDefault"), 1);
}

TEST(GeoPackageWriterTest, FailureLeavesNoFileBehind) {
    TempDir dir;
    // The second layer of the same name fails after the first was written.
    const auto again = two_points();
    auto dup = two_points();
    dup.name = again.name;
    EXPECT_THROW(write_geopackage(dir / "out.gpkg", {{&again, nullptr}, {&dup, nullptr}}), OutputError);
    EXPECT_TRUE(test::files_in(dir.path()).empty());
}

TEST(GeoPackageWriterTest, OutputPassesGdalsGeoPackageValidator) {
    TempDir dir;
    const auto table = two_points();
    LayerStyle style;
    write_geopackage(dir / "out.gpkg", {{&table, &style}});
    const auto r = test::run_shell("/usr/bin/python3 /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py " +
                                      (dir / "out.gpkg").string());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}
