#include "hearth/io/layer_reader.hpp"

#include "hearth/core/input_registry.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <cstring>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <cpl_error.h>
#include <cpl_string.h>
#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/core/published_text.hpp"
#include "hearth/core/repeated_keys.hpp"
#include "hearth/geometry/geometry_repair.hpp"

namespace hearth {

namespace {


std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
    return out;
}


/// A cell as an error message shows it: on one line, and short.
std::string shown(const std::string& text) {
    constexpr std::size_t kLongest = 60;
    return one_line(text, kLongest) + (text.size() > kLongest ? " (" + std::to_string(text.size()) + " characters)" : "");
}

/// A CSV cell holding many lines is an unclosed quote that swallowed the rows after it.
void refuse_runaway_quote(const std::string& text, const InputLocation& where) {
    constexpr std::size_t kLongest = 4096;
    const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    if (text.size() > kLongest && lines > 1)
        throw InputError(where, "a quote opened in this row is not closed: the value runs on over " + std::to_string(lines) +
                                    " lines (" + shown(text) + "); close the quote in the source file");
}

FieldValue read_value(OGRFeature& feature, int index, FieldType type, const InputLocation& where) {
    if (!feature.IsFieldSetAndNotNull(index)) return std::monostate{};
    const OGRFieldType source_type = feature.GetFieldDefnRef(index)->GetType();
    if (source_type == OFTString) refuse_runaway_quote(feature.GetFieldAsString(index), where);
    if (type == FieldType::String) {
        std::string text = trim_text(feature.GetFieldAsString(index));
        // Spreadsheets store codes such as years as numbers: "2019.0" is read back as "2019".
        if (source_type == OFTReal) {
            const double v = feature.GetFieldAsDouble(index);
            if (std::floor(v) == v && std::fabs(v) < 1e15) text = std::to_string(static_cast<long long>(v));
        }
        if (text.empty()) return std::monostate{};
        return text;
    }
    double value = 0;
    if (source_type == OFTInteger || source_type == OFTInteger64) {
        if (type == FieldType::Integer) return static_cast<std::int64_t>(feature.GetFieldAsInteger64(index));
        value = static_cast<double>(feature.GetFieldAsInteger64(index));
    } else if (source_type == OFTReal) {
        value = feature.GetFieldAsDouble(index);
    } else {
        const std::string text = trim_text(feature.GetFieldAsString(index));
        if (text.empty()) return std::monostate{};
        const auto parsed = parse_published_number(text);
        if (!parsed)
            throw InputError(where, std::string("expected a ") + (type == FieldType::Integer ? "whole number" : "number") +
                                        ", found '" + shown(text) + "'");
        value = *parsed;
    }
    if (type == FieldType::Real) return value;
    RecipeField whole;
    whole.type = FieldType::Integer;
    if (const auto problem = number_problem(whole, value)) throw InputError(where, *problem);
    return static_cast<std::int64_t>(value);
}

OGRwkbGeometryType output_geometry_type(OGRwkbGeometryType declared, const std::vector<Feature>& features) {
    OGRwkbGeometryType flat = wkbFlatten(declared);
    if (flat == wkbUnknown || flat == wkbGeometryCollection) {
        for (const auto& f : features)
            if (f.geometry) {
                flat = wkbFlatten(f.geometry->getGeometryType());
                break;
            }
    }
    switch (flat) {
        case wkbPolygon: case wkbMultiPolygon: case wkbCurvePolygon: case wkbMultiSurface: return wkbMultiPolygon;
        case wkbLineString: case wkbMultiLineString: case wkbCircularString: case wkbCompoundCurve:
        case wkbMultiCurve: return wkbMultiLineString;
        case wkbPoint: return wkbPoint;
        case wkbMultiPoint: return wkbMultiPoint;
        default: return flat;
    }
}

/// Brings a geometry to the layer's single type: polygons and lines become multi,
/// so a layer never mixes Polygon and MultiPolygon rows (QGIS and PostGIS expect one type).
OGRGeometryUniquePtr conform(OGRGeometryUniquePtr geometry, OGRwkbGeometryType target) {
    if (!geometry) return geometry;
    geometry->flattenTo2D();
    if (wkbFlatten(geometry->getGeometryType()) == target) return geometry;
    return OGRGeometryUniquePtr(OGRGeometryFactory::forceTo(geometry.release(), target));
}

const char* geometry_word(RecipeGeometry g) {
    switch (g) {
        case RecipeGeometry::None: return "no geometry";
        case RecipeGeometry::Point: return "points";
        case RecipeGeometry::Line: return "lines";
        case RecipeGeometry::Polygon: return "polygons";
        case RecipeGeometry::Any: return "any geometry";
    }
    return "?";
}

bool geometry_fits(RecipeGeometry wanted, OGRwkbGeometryType actual) {
    switch (wanted) {
        case RecipeGeometry::Any: return true;
        case RecipeGeometry::None: return actual == wkbNone;
        case RecipeGeometry::Point: return actual == wkbPoint || actual == wkbMultiPoint;
        case RecipeGeometry::Line: return actual == wkbMultiLineString;
        case RecipeGeometry::Polygon: return actual == wkbMultiPolygon;
    }
    return false;
}

std::string closest_or_none(const std::vector<std::string>& headers, const RecipeField& field) {
    if (headers.empty()) return "the layer has no attribute fields";
    std::vector<std::string> wanted = field.from;
    wanted.push_back(field.name);
    return quoted_list(closest_field_names(headers, wanted));
}

}  // namespace

bool is_connection_string(const std::string& path) {
    return path.rfind("PG:", 0) == 0 || path.rfind("<OGRVRTDataSource>", 0) == 0;
}

LayerSource query_source(LayerSource source) {
    std::string head = source.layer.substr(0, 7);
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::toupper(c); });
    const bool query = (head.size() == 7 && head.rfind("SELECT", 0) == 0 && std::isspace(static_cast<unsigned char>(head[6]))) ||
                       head.rfind("WITH ", 0) == 0;
    if (!query || source.path.rfind("PG:", 0) != 0) return source;
    auto xml = [](const std::string& text) {
        char* escaped = CPLEscapeString(text.c_str(), static_cast<int>(text.size()), CPLES_XML);
        std::string out = escaped;
        CPLFree(escaped);
        return out;
    };
    source.path = "<OGRVRTDataSource><OGRVRTLayer name=\"query\"><SrcDataSource>" + xml(source.path) +
                  "</SrcDataSource><SrcSQL>" + xml(source.layer) + "</SrcSQL></OGRVRTLayer></OGRVRTDataSource>";
    source.layer = "query";
    return source;
}

LayerSource source_from_argument(const std::string& argument, const std::string& assume_crs) {
    LayerSource source;
    source.assume_crs = assume_crs;
    const auto bar = argument.find("|layername=");
    source.path = argument.substr(0, bar);
    if (bar != std::string::npos) source.layer = argument.substr(bar + std::string("|layername=").size());
    return query_source(std::move(source));
}

Recipe passthrough_recipe(const LayerSource& source) {
    GDALDatasetUniquePtr ds = open_vector_source(source.path);
    OGRLayer& layer = pick_layer(*ds, source.path, source.layer);
    Recipe recipe;
    recipe.name = "(fields as in source)";
    recipe.title = layer.GetName();
    recipe.geometry = layer.GetGeomType() == wkbNone ? RecipeGeometry::None : RecipeGeometry::Any;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* f = defn->GetFieldDefn(i);
        RecipeField field;
        field.name = f->GetNameRef();
        field.from = {field.name};
        field.type = (f->GetType() == OFTInteger || f->GetType() == OFTInteger64) ? FieldType::Integer
                     : f->GetType() == OFTReal                                    ? FieldType::Real
                                                                                  : FieldType::String;
        recipe.fields.push_back(std::move(field));
    }
    return recipe;
}

void fail_on_read_error(const std::string& path, const std::string& layer, std::int64_t rows_read) {
    if (CPLGetLastErrorType() != CE_Failure && CPLGetLastErrorType() != CE_Fatal) return;
    throw InputError({path, layer, {}, {}}, "GDAL could not read the layer whole (error after " + std::to_string(rows_read) +
                                                " rows): " + CPLGetLastErrorMsg() + "; is the file truncated or damaged?");
}

namespace {

/// GDAL's CSV reader ends a line at a NUL byte and reads the rest of that row as empty:
/// a damaged text file would lose values silently. InputError naming line and column.
void refuse_nul_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> chunk(1 << 20);
    long long line = 1;
    std::size_t column = 1;
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        const char* begin = chunk.data();
        const auto* nul = static_cast<const char*>(std::memchr(begin, '\0', n));
        const char* upto = nul ? nul : begin + n;  // lines are counted only up to the NUL
        line += std::count(begin, upto, '\n');
        const auto* last_newline = static_cast<const char*>(memrchr(begin, '\n', static_cast<std::size_t>(upto - begin)));
        column = last_newline ? static_cast<std::size_t>(upto - last_newline) : column + static_cast<std::size_t>(upto - begin);
        if (nul)
            throw InputError({path, {}, {}, {}}, "a NUL byte at line " + std::to_string(line) + ", column " +
                                                   std::to_string(column) +
                                                   ": the file is damaged or not text (GDAL would read the rest of "
                                                   "that row as empty)");
    }
}

}  // namespace

GDALDatasetUniquePtr open_vector_source(const std::string& path) {
    const InputLocation where{path, {}, {}, {}};
    std::error_code ec;
    if (!is_connection_string(path) && path.rfind("/vsi", 0) != 0) require_readable_file(path, true);

    CPLStringList options;
    const std::string ext = CPLGetExtension(path.c_str());
    if (EQUAL(ext.c_str(), "csv")) {
        // Published CSVs quote numbers inconsistently; Hearth types fields itself from the recipe.
        options.AddNameValue("EMPTY_STRING_AS_NULL", "YES");
        options.AddNameValue("X_POSSIBLE_NAMES", "X,Easting,*_Easting,Longitude,Lon,oseast1m");
        options.AddNameValue("Y_POSSIBLE_NAMES", "Y,Northing,*_Northing,Latitude,Lat,osnrth1m");
        options.AddNameValue("GEOM_POSSIBLE_NAMES", "WKT,geometry,geom");
        options.AddNameValue("KEEP_GEOM_COLUMNS", "YES");
    }
    CPLErrorReset();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                              options.List(), nullptr));
    if (!ds) {
        const std::string gdal = CPLGetLastErrorMsg();
        throw InputError(where, "not a vector data source GDAL can read" + (gdal.empty() ? "" : " (" + gdal + ")"));
    }
    if (ds->GetLayerCount() == 0) throw InputError(where, "has no layers");
    if (ds->GetDriver() && EQUAL(ds->GetDriver()->GetDescription(), "CSV") && path.rfind("/vsi", 0) != 0 &&
        std::filesystem::is_regular_file(path, ec))
        refuse_nul_bytes(path);
    // Every file of the dataset is an input: no output of this run may replace one.
    const CPLStringList files(ds->GetFileList());
    for (int i = 0; i < files.size(); ++i) note_input_file(files[i]);
    note_input_file(path);
    return ds;
}

OGRLayer& pick_layer(GDALDataset& dataset, const std::string& path, const std::string& wanted,
                     const std::vector<std::string>& preferred) {
    std::vector<std::string> names;
    for (auto* l : dataset.GetLayers()) names.push_back(l->GetName());
    if (!wanted.empty()) {
        if (OGRLayer* l = dataset.GetLayerByName(wanted.c_str())) return *l;
        throw InputError({path, wanted, {}, {}}, "no such layer; the source has " + quoted_list(names));
    }
    for (const auto& p : preferred)
        if (OGRLayer* l = dataset.GetLayerByName(p.c_str())) return *l;
    if (names.size() == 1) return *dataset.GetLayer(0);
    throw InputError({path, {}, {}, {}},
                     "has " + std::to_string(names.size()) + " layers (" + quoted_list(names) + "); name one with 'layer:'");
}

std::vector<std::string> field_names(OGRLayer& layer) {
    std::vector<std::string> names;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    return names;
}

namespace {

// ---- read_layer's stages: plan the fields, plan the geometry, read each row, finish.

/// Which column of the source feeds each recipe field (-1: absent, optional).
struct FieldPlan {
    std::vector<int> source_index;  ///< parallel to recipe.fields
};

/// Resolves every canonical field before a row is read; fills `table.fields`.
FieldPlan plan_fields(const Recipe& recipe, const std::vector<std::string>& headers, const InputLocation& at_layer,
                      FeatureTable& table) {
    FieldPlan plan;
    for (const auto& f : recipe.fields) {
        std::optional<FieldMatch> m;
        try {
            m = match_field(headers, f.from);
        } catch (const std::invalid_argument& e) {
            throw InputError({at_layer.file, at_layer.layer, {}, f.name}, std::string("ambiguous headers: ") + e.what());
        }
        if (!m && f.required) {
            throw InputError({at_layer.file, at_layer.layer, {}, f.name},
                             "required field missing: expected a column like " + quoted_list(f.from) +
                                 " for recipe '" + recipe.name + "'; closest: " + closest_or_none(headers, f));
        }
        plan.source_index.push_back(m ? m->header_index : -1);
        if (m) table.fields.push_back({f.name, f.type, f.description});
    }
    return plan;
}

/// How the source names canonical field `name` (its matched header), else `name`.
std::string source_header(const Recipe& recipe, const FieldPlan& fields, const std::vector<std::string>& headers,
                          const std::string& name) {
    for (std::size_t i = 0; i < recipe.fields.size(); ++i)
        if (recipe.fields[i].name == name && fields.source_index[i] >= 0) return headers[fields.source_index[i]];
    return name;
}

/// Where each row's geometry comes from and how it reaches the working CRS.
struct GeometryPlan {
    enum class From { None, LayerGeometry, CoordinateColumns, WktColumn } from = From::None;
    OGRSpatialReference source_crs;
    CoordinateTransform transform;  ///< null when the source is already in the working CRS
    int x_slot = -1, y_slot = -1, wkt_slot = -1;  ///< canonical field slots
    bool any() const { return from != From::None; }
};

/// The layer's own geometry column, or coordinate/WKT columns; its CRS (declared,
/// recipe's, or assumed) checked and the transform made before a row is read.
GeometryPlan plan_geometry(OGRLayer& layer, const LayerSource& source, const Recipe& recipe,
                           const OGRSpatialReference& working_crs, const InputLocation& at_layer, FeatureTable& table) {
    GeometryPlan plan;
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    if (recipe.points) plan.from = GeometryPlan::From::CoordinateColumns;
    else if (recipe.wkt_field) plan.from = GeometryPlan::From::WktColumn;
    else if (defn->GetGeomFieldCount() > 0) plan.from = GeometryPlan::From::LayerGeometry;
    if (defn->GetGeomFieldCount() > 1) {
        const OGRSpatialReference* first = defn->GetGeomFieldDefn(0)->GetSpatialRef();
        for (int g = 1; g < defn->GetGeomFieldCount(); ++g) {
            const OGRSpatialReference* other = defn->GetGeomFieldDefn(g)->GetSpatialRef();
            const bool same = (!first && !other) || (first && other && same_crs(*first, *other));
            if (!same)
                throw InputError({at_layer.file, at_layer.layer, {}, defn->GetGeomFieldDefn(g)->GetNameRef()},
                                 "mixed CRSs: geometry columns in " + crs_label(first ? *first : OGRSpatialReference()) +
                                     " and " + crs_label(other ? *other : OGRSpatialReference()));
        }
    }
    if (!plan.any()) return plan;

    switch (plan.from) {
        case GeometryPlan::From::LayerGeometry:
            if (const OGRSpatialReference* declared = layer.GetSpatialRef()) plan.source_crs = with_gis_axis_order(*declared);
            break;
        case GeometryPlan::From::CoordinateColumns: plan.source_crs = parse_crs(recipe.points->crs); break;
        case GeometryPlan::From::WktColumn: plan.source_crs = parse_crs(recipe.wkt_crs); break;
        case GeometryPlan::From::None: break;
    }
    if (!source.assume_crs.empty()) {
        OGRSpatialReference assumed;
        try {
            assumed = parse_crs(source.assume_crs);
        } catch (const std::invalid_argument& e) {
            throw InputError(at_layer, std::string("assume_crs: ") + e.what());
        }
        if (plan.from == GeometryPlan::From::LayerGeometry && !plan.source_crs.IsEmpty() &&
            !same_crs(plan.source_crs, assumed))
            throw InputError(at_layer, "mixed CRSs: the source declares " + crs_label(plan.source_crs) +
                                           " but the study assumes " + crs_label(assumed) +
                                           "; remove assume_crs or correct the file");
        plan.source_crs = assumed;
    }
    if (plan.source_crs.IsEmpty())
        throw InputError(at_layer, "has no CRS; say which it is with --assume-crs EPSG:27700 (or 'assume_crs:' in the study)");
    try {
        plan.transform = make_transform(plan.source_crs, working_crs);
    } catch (const std::runtime_error& e) {
        throw InputError(at_layer, e.what());
    }
    if (plan.transform)
        table.diagnostics.notes.push_back("reprojected from " + crs_label(plan.source_crs) + " to " + crs_label(working_crs));

    if (plan.from == GeometryPlan::From::CoordinateColumns) {
        plan.x_slot = table.field_index(recipe.points->x);
        plan.y_slot = table.field_index(recipe.points->y);
        if (plan.x_slot < 0 || plan.y_slot < 0)
            throw InputError({at_layer.file, at_layer.layer, {}, plan.x_slot < 0 ? recipe.points->x : recipe.points->y},
                             "coordinate column missing");
    } else if (plan.from == GeometryPlan::From::WktColumn) {
        plan.wkt_slot = table.field_index(*recipe.wkt_field);
        if (plan.wkt_slot < 0) throw InputError({at_layer.file, at_layer.layer, {}, *recipe.wkt_field}, "WKT column missing");
    }
    return plan;
}

/// One row: its canonical values, then its geometry (built, transformed, repaired).
/// InputError naming the row and field for anything that is not as the recipe says.
Feature read_row(OGRFeature& feature, std::int64_t row, const Recipe& recipe, const FieldPlan& fields,
                 const GeometryPlan& geometry_plan, const std::vector<std::string>& headers,
                 const InputLocation& at_layer, const OGRSpatialReference& working_crs, GeosContext& geos,
                 LayerDiagnostics& diagnostics) {
    Feature out;
    // Rows of tables are numbered from 1 as a spreadsheet user counts them; OGR ids otherwise.
    const bool own_geometry = geometry_plan.from == GeometryPlan::From::LayerGeometry;
    out.source_row = feature.GetFID() >= 0 && own_geometry ? feature.GetFID() : row;
    for (std::size_t i = 0; i < recipe.fields.size(); ++i) {
        const int index = fields.source_index[i];
        if (index < 0) continue;
        const InputLocation where{at_layer.file, at_layer.layer, out.source_row, headers[index]};
        out.values.push_back(read_value(feature, index, recipe.fields[i].type, where));
        if (const auto v = value_number(out.values.back()))
            if (const auto problem = number_problem(recipe.fields[i], *v)) throw InputError(where, *problem);
    }

    OGRGeometryUniquePtr geometry;
    switch (geometry_plan.from) {
        case GeometryPlan::From::None: return out;
        case GeometryPlan::From::LayerGeometry:
            if (OGRGeometry* g = feature.StealGeometry()) geometry.reset(g);
            break;
        case GeometryPlan::From::CoordinateColumns: {
            const auto& xv = out.values[geometry_plan.x_slot];
            const auto& yv = out.values[geometry_plan.y_slot];
            if (std::holds_alternative<std::monostate>(xv) || std::holds_alternative<std::monostate>(yv)) {
                ++diagnostics.empty_geometries;
                return out;
            }
            auto as_double = [](const FieldValue& v) {
                return std::holds_alternative<double>(v) ? std::get<double>(v) : static_cast<double>(std::get<std::int64_t>(v));
            };
            geometry.reset(new OGRPoint(as_double(xv), as_double(yv)));
            break;
        }
        case GeometryPlan::From::WktColumn:
            if (const auto* text = std::get_if<std::string>(&out.values[geometry_plan.wkt_slot])) {
                OGRGeometry* g = nullptr;
                if (OGRGeometryFactory::createFromWkt(text->c_str(), nullptr, &g) != OGRERR_NONE || !g) {
                    throw InputError({at_layer.file, at_layer.layer, out.source_row,
                                      source_header(recipe, fields, headers, *recipe.wkt_field)},
                                     "not valid WKT: '" + shown(*text) + "'");
                }
                geometry.reset(g);
            }
            break;
    }
    if (!geometry || geometry->IsEmpty()) {
        if (own_geometry) ++diagnostics.empty_geometries;
        return out;
    }
    if (geometry_plan.transform && geometry->transform(geometry_plan.transform.get()) != OGRERR_NONE)
        throw InputError({at_layer.file, at_layer.layer, out.source_row, {}},
                         "coordinates cannot be transformed from " + crs_label(geometry_plan.source_crs) + " to " +
                             crs_label(working_crs) + " (are they in the CRS said?)");
    try {
        const RepairOutcome outcome = repair_geometry(geos, geometry);
        if (outcome != RepairOutcome::AlreadyValid) ++diagnostics.repaired_geometries;
        if (outcome == RepairOutcome::Collapsed) ++diagnostics.empty_geometries;
    } catch (const std::runtime_error& e) {
        throw InputError({at_layer.file, at_layer.layer, out.source_row, {}}, e.what());
    }
    out.geometry = std::move(geometry);
    return out;
}

/// A `unique:` field (a UPRN) names one row: a second row with the same value would
/// count its homes twice. InputError naming both rows; under --skip-invalid the later
/// rows are left out instead.
void refuse_duplicates(FeatureTable& table, const RecipeField& unique, const std::string& header,
                       const InputLocation& at_layer, ProblemReport* problems) {
    const int slot = table.field_index(unique.name);
    if (slot < 0) return;
    std::vector<std::string> keys;
    keys.reserve(table.features.size());
    for (const auto& f : table.features) keys.push_back(value_text(f.values[slot]));
    const std::vector<KeyRepeat> repeats = repeated_keys(keys);
    if (repeats.empty()) return;
    std::vector<bool> drop(table.features.size(), false);
    for (const KeyRepeat& r : repeats) {
        const InputError e({at_layer.file, at_layer.layer, table.features[r.later].source_row, header},
                           "duplicate " + unique.name + " '" + shown(keys[r.later]) + "' (first at feature " +
                               std::to_string(table.features[r.first].source_row) + "); each value must name one row");
        if (!problems) throw e;
        problems->record(e, keys[r.later]);
        drop[r.later] = true;
    }
    std::vector<Feature> kept;
    kept.reserve(table.features.size() - repeats.size());
    for (std::size_t i = 0; i < table.features.size(); ++i)
        if (!drop[i]) kept.push_back(std::move(table.features[i]));
    table.features = std::move(kept);
}


/// The field a row's error names, as the source holds it, for the problems layer.
std::string raw_value(OGRFeature& feature, const std::string& field) {
    const int index = field.empty() ? -1 : feature.GetFieldIndex(field.c_str());
    return index >= 0 && feature.IsFieldSetAndNotNull(index) ? feature.GetFieldAsString(index) : std::string();
}

/// One geometry type for the table (multi for lines and polygons), checked against the
/// recipe; the diagnostics' notes written.
void finish_table(FeatureTable& table, const GeometryPlan& plan, OGRLayer& layer, const Recipe& recipe,
                  const OGRSpatialReference& working_crs, const InputLocation& at_layer) {
    if (plan.any()) {
        const bool own_geometry = plan.from == GeometryPlan::From::LayerGeometry;
        table.geometry_type = output_geometry_type(own_geometry ? layer.GetGeomType() : wkbPoint, table.features);
        if (!geometry_fits(recipe.geometry, table.geometry_type))
            throw InputError(at_layer, std::string("recipe '") + recipe.name + "' expects " +
                                           geometry_word(recipe.geometry) + " but the layer has " +
                                           OGRGeometryTypeToName(table.geometry_type));
        for (auto& f : table.features) f.geometry = conform(std::move(f.geometry), table.geometry_type);
        table.crs = with_gis_axis_order(working_crs);
    } else if (recipe.geometry != RecipeGeometry::None && recipe.geometry != RecipeGeometry::Any) {
        throw InputError(at_layer, std::string("recipe '") + recipe.name + "' expects " + geometry_word(recipe.geometry) +
                                       " but the layer has no geometry");
    }
    if (table.diagnostics.repaired_geometries)
        table.diagnostics.notes.push_back(std::to_string(table.diagnostics.repaired_geometries) +
                                          " invalid geometries repaired with GEOS MakeValid");
    if (table.diagnostics.empty_geometries)
        table.diagnostics.notes.push_back(std::to_string(table.diagnostics.empty_geometries) +
                                          " features without geometry kept with an empty geometry");
}

}  // namespace

std::optional<std::string> number_problem(const RecipeField& field, double value) {
    auto shown_number = [](double d) {
        std::ostringstream s;
        s << std::setprecision(12) << d;
        return s.str();
    };
    if (field.type == FieldType::Integer && (std::floor(value) != value || std::fabs(value) > 9.0e15))
        return "expected a whole number, found " + shown_number(value);
    if ((field.min && value < *field.min) || (field.max && value > *field.max))
        return "expected a value from " + shown_number(field.min.value_or(-INFINITY)) + " to " +
               shown_number(field.max.value_or(INFINITY)) + " (" + field.name + "), found " + shown_number(value);
    return std::nullopt;
}

void apply_where(OGRLayer& layer, const LayerSource& source) {
    if (source.where.empty()) return;
    CPLErrorReset();
    if (layer.SetAttributeFilter(source.where.c_str()) == OGRERR_NONE) return;
    // OGR's parser message spans three lines (message, the filter, a caret): keep the first.
    std::string reason = CPLGetLastErrorMsg();
    reason = reason.substr(0, reason.find('\n'));
    if (!reason.empty() && reason.back() == ':') reason.pop_back();
    throw InputError({source.path, layer.GetName(), {}, {}},
                     "where: '" + shown(source.where) + "' is not a valid OGR SQL filter" +
                         (reason.empty() ? std::string() : " (" + reason + ")"));
}

void check_where(const LayerSource& source, const std::vector<std::string>& preferred_layers) {
    if (source.where.empty()) return;
    GDALDatasetUniquePtr dataset = open_vector_source(source.path);
    apply_where(pick_layer(*dataset, source.path, source.layer, preferred_layers), source);
}

FeatureTable read_layer(const LayerSource& source, const Recipe& recipe, const OGRSpatialReference& working_crs,
                        GeosContext& geos) {
    GDALDatasetUniquePtr dataset = open_vector_source(source.path);
    OGRLayer& layer = pick_layer(*dataset, source.path, source.layer, recipe.layer_names);
    const InputLocation at_layer{source.path, layer.GetName(), {}, {}};
    const std::vector<std::string> headers = field_names(layer);
    if (layer.GetFeatureCount(FALSE) == 0 && source.where.empty())  // -1 when not known cheaply
        throw InputError(at_layer, "layer is empty: no features to read");

    FeatureTable table;
    table.source = source.path + (source.layer.empty() ? "" : " (" + at_layer.layer + ")");
    table.recipe = recipe.name;
    table.description = recipe.title;
    const FieldPlan fields = plan_fields(recipe, headers, at_layer, table);
    const GeometryPlan geometry = plan_geometry(layer, source, recipe, working_crs, at_layer, table);

    apply_where(layer, source);
    layer.ResetReading();
    CPLErrorReset();  // a read error ends OGR's feature loop early: it is checked after it
    std::int64_t row = 0;
    for (auto& feature : layer) {
        ++row;
        try {
            table.features.push_back(read_row(*feature, row, recipe, fields, geometry, headers, at_layer, working_crs,
                                               geos, table.diagnostics));
        } catch (const InputError& e) {
            if (!source.problems) throw;  // strict: the first bad row ends the run
            source.problems->record(e, raw_value(*feature, e.where().field));
        }
    }
    fail_on_read_error(source.path, at_layer.layer, row);
    for (const auto& f : recipe.fields)
        if (f.unique) refuse_duplicates(table, f, source_header(recipe, fields, headers, f.name), at_layer, source.problems);
    if (table.features.empty())
        throw InputError(at_layer, !source.where.empty() ? "no features pass the filter where: " + shown(source.where)
                                   : row > 0             ? "no valid features: every row was skipped as invalid"
                                                         : "layer is empty: no features to read");
    finish_table(table, geometry, layer, recipe, working_crs, at_layer);
    return table;
}

}  // namespace hearth
