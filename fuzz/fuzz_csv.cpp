// A published CSV: headers matched to a recipe's fields, numbers as published, quotes,
// coordinates and WKT, and derived fields on the result.
#include "fuzz_support.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/geometry/geos_context.hpp"
#include "hearth/io/derived_fields.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/io/recipe.hpp"

namespace {

hearth::Recipe recipe() {
    using namespace hearth;
    Recipe r;
    r.name = "fuzz";
    r.title = "fuzz";
    r.geometry = RecipeGeometry::Any;
    r.fields = {{"code", FieldType::String, {"code", "LSOA code (2011)"}, true, "", ""},
                {"score", FieldType::Real, {"score", "Index of Multiple Deprivation (IMD) Score"}, false, "", ""},
                {"homes", FieldType::Integer, {"homes", "UNITS"}, false, "", ""},
                {"x", FieldType::Real, {"x", "Easting"}, false, "", ""},
                {"y", FieldType::Real, {"y", "Northing"}, false, "", ""}};
    r.points = PointColumns{"x", "y", "EPSG:27700"};
    r.derived = {{"per_home", "score / homes * 100", "", "fuzz"}};
    return r;
}

hearth::Recipe wkt_recipe() {
    using namespace hearth;
    Recipe r;
    r.name = "fuzz_wkt";
    r.title = "fuzz_wkt";
    r.fields = {{"code", FieldType::String, {"code"}, true, "", ""}, {"wkt", FieldType::String, {"wkt", "geometry"}, true, "", ""}};
    r.wkt_field = "wkt";
    r.wkt_crs = "EPSG:27700";
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hearth;
    fuzz::setup_gdal();
    static const Recipe points = recipe(), wkt = wkt_recipe();
    static const OGRSpatialReference bng = parse_crs("EPSG:27700");
    const auto file = fuzz::write_input("input.csv", data, size);
    GeosContext geos;
    fuzz::expect_answer([&] {
        FeatureTable t = read_layer({file.string()}, points, bng, geos);
        add_derived_fields(t, points.derived);
    });
    fuzz::expect_answer([&] { read_layer({file.string()}, wkt, bng, geos); });
    fuzz::expect_answer([&] { read_layer({file.string()}, passthrough_recipe({file.string()}), bng, geos); });
    return 0;
}
