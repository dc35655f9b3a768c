#include <gtest/gtest.h>

#include <algorithm>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_writer.hpp"
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

namespace {

/// 1,000 points, every column kind, nulls in each; the same values as a FeatureTable would hold.
PointTable thousand_points() {
    PointTable t;
    t.name = "home_access";
    t.description = "bulk-written homes";
    t.crs = parse_crs("EPSG:27700");
    std::vector<double> distance;
    std::vector<std::int64_t> flag;
    std::vector<std::string> uprn;
    std::vector<std::int32_t> site;
    for (int i = 0; i < 1000; ++i) {
        t.x.push_back(530000 + i * 1.5);
        t.y.push_back(190000 - i * 0.25);
        distance.push_back(i % 7 == 0 ? std::numeric_limits<double>::quiet_NaN() : i * 0.125);
        flag.push_back(i % 11 == 0 ? kNullInteger : i % 2);
        uprn.push_back(i % 13 == 0 ? std::string() : "1000" + std::to_string(i));
        site.push_back(i % 17 == 0 ? -1 : i % 3);
    }
    t.columns.push_back(PointColumn::text("uprn", "home id", uprn));
    t.columns.push_back(PointColumn::real("distance_m", "metres", distance));
    t.columns.push_back(PointColumn::integer("meets", "1 if met", flag));
    t.columns.push_back(PointColumn::coded("site_id", "nearest site", site, {"GS-A", "GS-B", "GS \"quoted\""}));
    return t;
}

}  // namespace

TEST(GeoPackageWriterTest, PointTableRowsReadBackThroughGdalWithNullsExtentCountAndSpatialIndex) {
    TempDir dir;
    const PointTable points = thousand_points();
    LayerStyle style;
    write_geopackage(dir / "out.gpkg", {{nullptr, &style, &points}});

    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "out.gpkg").c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("home_access");
    ASSERT_TRUE(layer);
    EXPECT_EQ(layer->GetFeatureCount(), 1000);
    EXPECT_EQ(crs_label(*layer->GetSpatialRef()), "EPSG:27700");
    OGREnvelope e;
    ASSERT_EQ(layer->GetExtent(&e, FALSE), OGRERR_NONE);
    EXPECT_DOUBLE_EQ(e.MinX, 530000);
    EXPECT_DOUBLE_EQ(e.MaxX, 530000 + 999 * 1.5);
    EXPECT_DOUBLE_EQ(e.MinY, 190000 - 999 * 0.25);

    int i = 0;
    for (const auto& f : *layer) {
        SCOPED_TRACE(i);
        const auto* p = f->GetGeometryRef()->toPoint();
        EXPECT_EQ(p->getX(), points.x[i]);
        EXPECT_EQ(p->getY(), points.y[i]);
        EXPECT_EQ(f->IsFieldNull(f->GetFieldIndex("uprn")), i % 13 == 0);
        if (i % 13) {
            EXPECT_EQ(f->GetFieldAsString("uprn"), "1000" + std::to_string(i));
        }
        EXPECT_EQ(f->IsFieldNull(f->GetFieldIndex("distance_m")), i % 7 == 0);
        if (i % 7) {
            EXPECT_EQ(f->GetFieldAsDouble("distance_m"), i * 0.125);
        }
        EXPECT_EQ(f->IsFieldNull(f->GetFieldIndex("meets")), i % 11 == 0);
        if (i % 11) {
            EXPECT_EQ(f->GetFieldAsInteger64("meets"), i % 2);
        }
        EXPECT_EQ(f->IsFieldNull(f->GetFieldIndex("site_id")), i % 17 == 0);
        if (i % 17) {
            EXPECT_EQ(f->GetFieldAsString("site_id"), points.columns[3].labels[i % 3]);
        }
        ++i;
    }
    EXPECT_EQ(i, 1000);

    // The R-tree GDAL created is filled: a window query through it finds exactly the rows inside.
    layer->SetSpatialFilterRect(530000 + 100 * 1.5 - 0.1, 0, 530000 + 199 * 1.5 + 0.1, 1e6);
    EXPECT_EQ(layer->GetFeatureCount(), 100);
    const auto rtree_rows = test::run_shell("sqlite3 " + (dir / "out.gpkg").string() +
                                            " 'SELECT count(*) FROM rtree_home_access_geom'");
    EXPECT_EQ(rtree_rows.out, "1000\n") << rtree_rows.err;
    // The bulk-loaded tree is sound by SQLite's own check, and holds what GDAL's triggers
    // put in a copy made row by row by ogr2ogr.
    const auto check = test::run_shell("sqlite3 " + (dir / "out.gpkg").string() +
                                       " \"SELECT rtreecheck('rtree_home_access_geom')\"");
    EXPECT_EQ(check.out, "ok\n") << check.err;
    const auto copy = test::run_shell("ogr2ogr -preserve_fid -f GPKG " + (dir / "copy.gpkg").string() + " " +
                                      (dir / "out.gpkg").string() + " home_access");
    ASSERT_EQ(copy.exit_code, 0) << copy.err;
    const std::string entries = " 'SELECT * FROM rtree_home_access_geom ORDER BY id'";
    const auto ours = test::run_shell("sqlite3 " + (dir / "out.gpkg").string() + entries);
    const auto gdals = test::run_shell("sqlite3 " + (dir / "copy.gpkg").string() + entries);
    EXPECT_EQ(ours.out, gdals.out);
    EXPECT_FALSE(ours.out.empty());

    const auto r = test::run_shell("/usr/bin/python3 /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py " +
                                   (dir / "out.gpkg").string());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(GeoPackageWriterTest, PointTableWithAColumnOfTheWrongLengthIsRefusedBeforeAnythingIsWritten) {
    TempDir dir;
    PointTable points = thousand_points();
    points.columns[1].reals.pop_back();
    EXPECT_THROW(write_geopackage(dir / "out.gpkg", {{nullptr, nullptr, &points}}), std::logic_error);
    EXPECT_TRUE(test::files_in(dir.path()).empty());
}

TEST(GeoPackageWriterTest, PointTableRowsReportProgressAndAStopLeavesNoFile) {
    TempDir dir;
    PointTable points = thousand_points();
    for (int copy = 0; copy < 5; ++copy)  // 100,000 rows: several progress reports
        for (int i = 0; i < 20000; ++i) {
            points.x.push_back(520000 + i);
            points.y.push_back(180000 + copy);
            for (auto& c : points.columns) {
                c.reals.resize(c.kind == PointColumn::Kind::Real ? points.size() : 0, 1.0);
                c.integers.resize(c.kind == PointColumn::Kind::Integer ? points.size() : 0, 1);
                c.texts.resize(c.kind == PointColumn::Kind::Text ? points.size() : 0, "U");
                c.codes.resize(c.kind == PointColumn::Kind::Coded ? points.size() : 0, 0);
            }
        }
    std::vector<double> seen;
    auto record = [](double done, const char*, void* data) -> int {
        static_cast<std::vector<double>*>(data)->push_back(done);
        return TRUE;
    };
    write_geopackage(dir / "out.gpkg", {{nullptr, nullptr, &points}}, record, &seen, false);
    ASSERT_GT(seen.size(), 3u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_DOUBLE_EQ(seen.back(), 1.0);

    TempDir stopped;
    auto stop_halfway = [](double done, const char*, void*) -> int { return done < 0.5; };
    EXPECT_THROW(write_geopackage(stopped / "out.gpkg", {{nullptr, nullptr, &points}}, stop_halfway, nullptr, false),
                 OutputError);
    EXPECT_TRUE(test::files_in(stopped.path()).empty());
}

TEST(GeoPackageWriterTest, CellTablesAreWrittenAsSquaresAroundTheirCentresWithAnIndexedEnvelope) {
    TempDir dir;
    PointTable grid;
    grid.name = "ptal_grid";
    grid.crs = parse_crs("EPSG:27700");
    grid.cell_m = 100;
    grid.x = {530050, 530150, 530050};
    grid.y = {180050, 180050, 180150};
    grid.columns.push_back(PointColumn::real("ptal_ai", "", {1.5, 2.5, 3.5}));
    write_geopackage(dir / "grid.gpkg", {{nullptr, nullptr, &grid}});

    GDALDatasetUniquePtr ds(GDALDataset::Open((dir / "grid.gpkg").c_str(), GDAL_OF_VECTOR));
    OGRLayer* layer = ds->GetLayerByName("ptal_grid");
    ASSERT_TRUE(layer);
    EXPECT_EQ(wkbFlatten(layer->GetGeomType()), wkbMultiPolygon);
    OGREnvelope e;
    ASSERT_EQ(layer->GetExtent(&e, FALSE), OGRERR_NONE);
    EXPECT_EQ(e.MinX, 530000);
    EXPECT_EQ(e.MaxX, 530200);
    EXPECT_EQ(e.MaxY, 180200);
    std::size_t k = 0;
    for (const auto& f : *layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        ASSERT_TRUE(g);
        EXPECT_TRUE(g->IsValid());
        EXPECT_DOUBLE_EQ(g->toMultiPolygon()->get_Area(), 100.0 * 100.0);
        OGRPoint centre;
        ASSERT_EQ(g->Centroid(&centre), OGRERR_NONE);
        EXPECT_DOUBLE_EQ(centre.getX(), grid.x[k]);
        EXPECT_DOUBLE_EQ(centre.getY(), grid.y[k]);
        ++k;
    }
    EXPECT_EQ(k, 3u);
    layer->SetSpatialFilterRect(530120, 180010, 530130, 180020);  // inside the second cell only
    EXPECT_EQ(layer->GetFeatureCount(), 1);
    // Each cell is indexed by its square: centre ± 50 m.
    const auto entries = test::run_shell("sqlite3 " + (dir / "grid.gpkg").string() +
                                         " 'SELECT * FROM rtree_ptal_grid_geom ORDER BY id'");
    EXPECT_EQ(entries.out,
              "1|530000.0|530100.0|180000.0|180100.0\n"
              "2|530100.0|530200.0|180000.0|180100.0\n"
              "3|530000.0|530100.0|180100.0|180200.0\n");
    const auto r = test::run_shell("/usr/bin/python3 /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py " +
                                   (dir / "grid.gpkg").string());
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}
