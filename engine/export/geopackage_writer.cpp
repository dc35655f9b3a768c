#include "hearth/export/geopackage_writer.hpp"

#include <algorithm>
#include <ctime>
#include <memory>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "hearth/export/atomic_output.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_bulk_points.hpp"
#include "hearth/export/ogr_values.hpp"
#include "hearth/core/phase_timer.hpp"

namespace hearth {

namespace {

constexpr const char* kGeometryColumn = "geom";
constexpr std::size_t kFeaturesPerTransaction = 100000;

[[noreturn]] void fail(const std::filesystem::path& out, const std::string& what) {
    throw OutputError(out.string() + ": " + what + (CPLGetLastErrorMsg()[0] ? std::string(" (GDAL: ") + CPLGetLastErrorMsg() + ")" : ""));
}

void commit(GDALDataset& ds, const std::filesystem::path& out) {
    if (ds.CommitTransaction() != OGRERR_NONE) fail(out, "could not commit a transaction");
}

}  // namespace

std::string illustrative_label(const std::vector<std::string>& inputs) {
    if (inputs.empty()) return {};
    std::string names;
    for (const auto& i : inputs) names += (names.empty() ? "" : ", ") + i;
    return "ILLUSTRATIVE: built from illustrative (made-up) data: " + names + ". ";
}

namespace {

void write_layer(GDALDataset& ds, const std::filesystem::path& out, const FeatureTable& table, bool spatial_index) {
    CPLStringList options;
    options.AddNameValue("FID", "fid");
    options.AddNameValue("GEOMETRY_NAME", kGeometryColumn);
    // GDAL creates the R-tree and its triggers when it closes the file; the rows of point
    // tables come afterwards and fill it in one pass (bulk_load_rtree). Feature tables
    // fill it through GDAL's triggers, a row at a time: they are areas, not millions.
    options.AddNameValue("SPATIAL_INDEX", spatial_index ? "YES" : "NO");
    options.AddNameValue("IDENTIFIER", table.name.c_str());
    options.AddNameValue("DESCRIPTION", layer_description(table).c_str());

    OGRSpatialReference crs(table.crs);  // GDAL 3.6 takes a non-const pointer
    OGRLayer* layer = ds.CreateLayer(table.name.c_str(), table.has_geometry() ? &crs : nullptr,
                                     table.geometry_type, options.List());
    if (!layer) fail(out, "cannot create layer '" + table.name + "'");
    for (const auto& f : table.fields) {
        OGRFieldDefn defn(f.name.c_str(), ogr_field_type(f.type));
        if (layer->CreateField(&defn) != OGRERR_NONE) fail(out, "cannot create field '" + f.name + "' in '" + table.name + "'");
    }

    if (ds.StartTransaction() != OGRERR_NONE) fail(out, "cannot start a transaction");
    std::size_t in_transaction = 0;
    for (const auto& source : table.features) {
        OGRFeature feature(layer->GetLayerDefn());
        for (std::size_t i = 0; i < source.values.size(); ++i) set_ogr_value(feature, static_cast<int>(i), source.values[i]);
        if (source.geometry) feature.SetGeometry(source.geometry.get());
        if (layer->CreateFeature(&feature) != OGRERR_NONE)
            fail(out, "cannot write feature " + std::to_string(source.source_row) + " of '" + table.name + "'");
        if (++in_transaction == kFeaturesPerTransaction) {
            commit(ds, out);
            if (ds.StartTransaction() != OGRERR_NONE) fail(out, "cannot start a transaction");
            in_transaction = 0;
        }
    }
    commit(ds, out);
}

void write_styles(GDALDataset& ds, const std::filesystem::path& out, const std::vector<StyledLayer>& layers) {
    CPLStringList options;
    options.AddNameValue("FID", "id");
    options.AddNameValue("DESCRIPTION", "Default QGIS styles (QGIS layer_styles schema)");
    OGRLayer* styles = ds.CreateLayer("layer_styles", nullptr, wkbNone, options.List());
    if (!styles) fail(out, "cannot create layer_styles");
    struct Column { const char* name; OGRFieldType type; OGRFieldSubType subtype; int width; };
    const Column columns[] = {
        {"f_table_catalog", OFTString, OFSTNone, 256}, {"f_table_schema", OFTString, OFSTNone, 256},
        {"f_table_name", OFTString, OFSTNone, 256},    {"f_geometry_column", OFTString, OFSTNone, 256},
        {"styleName", OFTString, OFSTNone, 30},        {"styleQML", OFTString, OFSTNone, 0},
        {"styleSLD", OFTString, OFSTNone, 0},          {"useAsDefault", OFTInteger, OFSTBoolean, 0},
        {"description", OFTString, OFSTNone, 0},       {"owner", OFTString, OFSTNone, 30},
        {"ui", OFTString, OFSTNone, 30},               {"update_time", OFTDateTime, OFSTNone, 0},
    };
    for (const auto& c : columns) {
        OGRFieldDefn defn(c.name, c.type);
        defn.SetSubType(c.subtype);
        defn.SetWidth(c.width);
        if (styles->CreateField(&defn) != OGRERR_NONE) fail(out, std::string("cannot create layer_styles.") + c.name);
    }

    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    if (ds.StartTransaction() != OGRERR_NONE) fail(out, "cannot start a transaction");
    for (const auto& l : layers) {
        if (!l.style || !l.table->has_geometry()) continue;
        OGRFeature f(styles->GetLayerDefn());
        f.SetField("f_table_catalog", "");
        f.SetField("f_table_schema", "");
        f.SetField("f_table_name", l.table->name.c_str());
        f.SetField("f_geometry_column", kGeometryColumn);
        f.SetField("styleName", l.table->name.c_str());
        f.SetField("styleQML", qgis_style_qml(*l.style, symbol_kind(l.table->geometry_type)).c_str());
        f.SetField("styleSLD", "");
        f.SetField("useAsDefault", 1);
        f.SetField("description", ("Hearth default style for " + l.table->name).c_str());
        f.SetField("owner", "");
        f.SetField("ui", "");
        f.SetField(f.GetFieldIndex("update_time"), utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                   utc.tm_min, static_cast<float>(utc.tm_sec), 100);
        if (styles->CreateFeature(&f) != OGRERR_NONE) fail(out, "cannot write the style of '" + l.table->name + "'");
    }
    commit(ds, out);
}

}  // namespace

SymbolKind symbol_kind(OGRwkbGeometryType type) {
    switch (wkbFlatten(type)) {
        case wkbPoint: case wkbMultiPoint: return SymbolKind::Marker;
        case wkbLineString: case wkbMultiLineString: return SymbolKind::Line;
        default: return SymbolKind::Fill;
    }
}

std::string layer_description(const FeatureTable& table) {
    std::string description = illustrative_label(table.illustrative_inputs) + table.description;
    if (!table.source.empty()) description += " | source: " + redact_secrets(table.source);
    if (!table.recipe.empty()) description += " | recipe: " + table.recipe;
    return description;
}

FeatureTable point_table_schema(const PointTable& points) {
    FeatureTable schema;
    schema.name = points.name;
    schema.description = points.description;
    schema.source = points.source;
    schema.illustrative_inputs = points.illustrative_inputs;
    schema.geometry_type = points.cell_m > 0 ? wkbMultiPolygon : wkbPoint;
    schema.crs = points.crs;
    for (const auto& c : points.columns) schema.fields.push_back(c.definition);
    return schema;
}

void write_geopackage(const std::filesystem::path& out, const std::vector<StyledLayer>& requested,
                      GDALProgressFunc progress, void* progress_data, bool spatial_index) {
    // Point tables become empty FeatureTables for GDAL (schema, CRS, R-tree, style); their
    // rows follow through SQLite once GDAL has closed the file.
    std::vector<FeatureTable> schemas;
    schemas.reserve(requested.size());
    std::vector<StyledLayer> layers = requested;
    for (auto& l : layers) {
        if ((l.table == nullptr) == (l.points == nullptr))
            throw std::logic_error("write_geopackage: a layer needs a FeatureTable or a PointTable");
        if (l.points) {
            l.points->check();
            schemas.push_back(point_table_schema(*l.points));
            l.table = &schemas.back();
        }
        if (l.table->name == "layer_styles") throw OutputError(out.string() + ": 'layer_styles' is reserved for styles");
    }
    // With point tables, GDAL's part (schemas, small layers, styles) is the first fifth of
    // the progress and the bulk rows the rest.
    const auto bulk_layers = static_cast<std::size_t>(
        std::count_if(layers.begin(), layers.end(), [](const StyledLayer& l) { return l.points != nullptr; }));
    const double gdal_share = bulk_layers ? 0.2 : 1.0;
    AtomicOutput output(out);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw OutputError("this GDAL has no GeoPackage driver");
    {
        CPLErrorReset();
        GDALDatasetUniquePtr ds(driver->Create(output.temporary_path().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) fail(out, "cannot create the GeoPackage");
        for (std::size_t i = 0; i < layers.size(); ++i) {
            if (progress && !progress(gdal_share * static_cast<double>(i) / (layers.size() + 1),
                                      layers[i].table->name.c_str(), progress_data))
                throw OutputError(out.string() + ": cancelled");
            write_layer(*ds, out, *layers[i].table, spatial_index);
        }
        write_styles(*ds, out, layers);
        CPLErrorReset();
        GDALClose(GDALDataset::ToHandle(ds.release()));  // void in GDAL 3.6: check the error state instead
        if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal)
            fail(out, "could not finish the GeoPackage");
    }
    std::size_t done = 0;
    for (const auto& l : layers) {
        if (!l.points) continue;
        const PhaseTimer phase("bulk rows of " + l.points->name);
        const double from = gdal_share + (1 - gdal_share) * static_cast<double>(done) / static_cast<double>(bulk_layers);
        const double to = gdal_share + (1 - gdal_share) * static_cast<double>(done + 1) / static_cast<double>(bulk_layers);
        std::unique_ptr<void, decltype(&GDALDestroyScaledProgress)> scaled(
            progress ? GDALCreateScaledProgress(from, to, progress, progress_data) : nullptr, &GDALDestroyScaledProgress);
        append_point_rows(output.temporary_path(), out, *l.points, progress ? GDALScaledProgress : nullptr, scaled.get());
        ++done;
    }
    output.commit();
    if (progress) progress(1.0, "done", progress_data);
}

}  // namespace hearth
