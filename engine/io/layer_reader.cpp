#include "hearth/io/layer_reader.hpp"

#include "hearth/core/input_registry.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <cpl_error.h>
#include <cpl_string.h>
#include <ogrsf_frmts.h>

#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/core/published_text.hpp"
#include "hearth/geometry/geometry_repair.hpp"

namespace hearth {

namespace {

bool is_connection_string(const std::string& path) { return path.rfind("PG:", 0) == 0; }

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
    return out;
}


/// A cell as an error message shows it: on one line, and short.
std::string shown(const std::string& text) {
    std::string out;
    for (char c : text.substr(0, 60)) out += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
    return text.size() > 60 ? out + "... (" + std::to_string(text.size()) + " characters)" : out;
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
    if (std::floor(value) != value || std::fabs(value) > 9.0e15)
        throw InputError(where, "expected a whole number, found " + std::to_string(value));
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

LayerSource source_from_argument(const std::string& argument, const std::string& assume_crs) {
    LayerSource source;
    source.assume_crs = assume_crs;
    const auto bar = argument.find("|layername=");
    source.path = argument.substr(0, bar);
    if (bar != std::string::npos) source.layer = argument.substr(bar + std::string("|layername=").size());
    return source;
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

FeatureTable read_layer(const LayerSource& source, const Recipe& recipe, const OGRSpatialReference& working_crs,
                        GeosContext& geos) {
    GDALDatasetUniquePtr dataset = open_vector_source(source.path);
    OGRLayer& layer = pick_layer(*dataset, source.path, source.layer, recipe.layer_names);
    const std::string layer_name = layer.GetName();
    const InputLocation at_layer{source.path, layer_name, {}, {}};
    const std::vector<std::string> headers = field_names(layer);
    if (layer.GetFeatureCount(FALSE) == 0 && source.where.empty())  // -1 when not known cheaply
        throw InputError(at_layer, "layer is empty: no features to read");

    FeatureTable table;
    table.source = source.path + (source.layer.empty() ? "" : " (" + layer_name + ")");
    table.recipe = recipe.name;
    table.description = recipe.title;

    // Prepare: resolve every canonical field before reading a row.
    std::vector<int> source_index;
    for (const auto& f : recipe.fields) {
        std::optional<FieldMatch> m;
        try {
            m = match_field(headers, f.from);
        } catch (const std::invalid_argument& e) {
            throw InputError({source.path, layer_name, {}, f.name}, std::string("ambiguous headers: ") + e.what());
        }
        if (!m && f.required) {
            throw InputError({source.path, layer_name, {}, f.name},
                             "required field missing: expected a column like " + quoted_list(f.from) +
                                 " for recipe '" + recipe.name + "'; closest: " +
                                 closest_or_none(headers, f));
        }
        source_index.push_back(m ? m->header_index : -1);
        if (m) table.fields.push_back({f.name, f.type, f.description});
    }
    auto canonical_slot = [&](const std::string& name) { return table.field_index(name); };

    // Geometry source: the layer's own geometry column, or coordinate/WKT columns.
    const bool builds_points = recipe.points.has_value();
    const bool builds_wkt = recipe.wkt_field.has_value();
    const bool layer_has_geometry = layer.GetLayerDefn()->GetGeomFieldCount() > 0 && !builds_points && !builds_wkt;
    if (layer.GetLayerDefn()->GetGeomFieldCount() > 1) {
        OGRFeatureDefn* defn = layer.GetLayerDefn();
        const OGRSpatialReference* first = defn->GetGeomFieldDefn(0)->GetSpatialRef();
        for (int g = 1; g < defn->GetGeomFieldCount(); ++g) {
            const OGRSpatialReference* other = defn->GetGeomFieldDefn(g)->GetSpatialRef();
            const bool same = (!first && !other) || (first && other && same_crs(*first, *other));
            if (!same)
                throw InputError({source.path, layer_name, {}, defn->GetGeomFieldDefn(g)->GetNameRef()},
                                 "mixed CRSs: geometry columns in " + crs_label(first ? *first : OGRSpatialReference()) +
                                     " and " + crs_label(other ? *other : OGRSpatialReference()));
        }
    }

    OGRSpatialReference source_crs;
    if (layer_has_geometry) {
        if (const OGRSpatialReference* declared = layer.GetSpatialRef()) source_crs = with_gis_axis_order(*declared);
    } else if (builds_points) {
        source_crs = parse_crs(recipe.points->crs);
    } else if (builds_wkt) {
        source_crs = parse_crs(recipe.wkt_crs);
    }
    const bool any_geometry = layer_has_geometry || builds_points || builds_wkt;
    if (any_geometry && !source.assume_crs.empty()) {
        OGRSpatialReference assumed;
        try {
            assumed = parse_crs(source.assume_crs);
        } catch (const std::invalid_argument& e) {
            throw InputError(at_layer, std::string("assume_crs: ") + e.what());
        }
        if (layer_has_geometry && !source_crs.IsEmpty() && !same_crs(source_crs, assumed))
            throw InputError(at_layer, "mixed CRSs: the source declares " + crs_label(source_crs) +
                                           " but the study assumes " + crs_label(assumed) +
                                           "; remove assume_crs or correct the file");
        source_crs = assumed;
    }
    if (any_geometry && source_crs.IsEmpty())
        throw InputError(at_layer, "has no CRS; say which it is with --assume-crs EPSG:27700 (or 'assume_crs:' in the study)");

    CoordinateTransform transform;
    if (any_geometry) {
        try {
            transform = make_transform(source_crs, working_crs);
        } catch (const std::runtime_error& e) {
            throw InputError(at_layer, e.what());
        }
        if (transform)
            table.diagnostics.notes.push_back("reprojected from " + crs_label(source_crs) + " to " + crs_label(working_crs));
    }

    const int x_slot = builds_points ? canonical_slot(recipe.points->x) : -1;
    const int y_slot = builds_points ? canonical_slot(recipe.points->y) : -1;
    const int wkt_slot = builds_wkt ? canonical_slot(*recipe.wkt_field) : -1;
    if (builds_points && (x_slot < 0 || y_slot < 0))
        throw InputError({source.path, layer_name, {}, x_slot < 0 ? recipe.points->x : recipe.points->y},
                         "coordinate column missing");
    if (builds_wkt && wkt_slot < 0) throw InputError({source.path, layer_name, {}, *recipe.wkt_field}, "WKT column missing");

    if (!source.where.empty()) {
        CPLErrorReset();
        if (layer.SetAttributeFilter(source.where.c_str()) != OGRERR_NONE)
            throw InputError(at_layer, "where: '" + source.where + "' is not a valid OGR SQL filter (" +
                                           CPLGetLastErrorMsg() + ")");
    }
    layer.ResetReading();
    CPLErrorReset();  // a read error ends OGR's feature loop early: it is checked after it
    std::int64_t row = 0;
    for (auto& feature : layer) {
        ++row;
        Feature out;
        // Rows of tables are numbered from 1 as a spreadsheet user counts them; OGR ids otherwise.
        out.source_row = feature->GetFID() >= 0 && layer_has_geometry ? feature->GetFID() : row;
        for (std::size_t i = 0; i < recipe.fields.size(); ++i) {
            if (source_index[i] < 0) continue;
            const InputLocation where{source.path, layer_name, out.source_row, headers[source_index[i]]};
            out.values.push_back(read_value(*feature, source_index[i], recipe.fields[i].type, where));
        }

        OGRGeometryUniquePtr geometry;
        if (layer_has_geometry) {
            if (OGRGeometry* g = feature->StealGeometry()) geometry.reset(g);
        } else if (builds_points) {
            const auto& xv = out.values[x_slot];
            const auto& yv = out.values[y_slot];
            if (std::holds_alternative<std::monostate>(xv) || std::holds_alternative<std::monostate>(yv)) {
                ++table.diagnostics.empty_geometries;
            } else {
                auto as_double = [](const FieldValue& v) {
                    return std::holds_alternative<double>(v) ? std::get<double>(v)
                                                             : static_cast<double>(std::get<std::int64_t>(v));
                };
                geometry.reset(new OGRPoint(as_double(xv), as_double(yv)));
            }
        } else if (builds_wkt) {
            if (const auto* text = std::get_if<std::string>(&out.values[wkt_slot])) {
                OGRGeometry* g = nullptr;
                if (OGRGeometryFactory::createFromWkt(text->c_str(), nullptr, &g) != OGRERR_NONE || !g)
                    throw InputError({source.path, layer_name, out.source_row, headers[source_index[wkt_slot]]},
                                     "not valid WKT: '" + text->substr(0, 40) + "'");
                geometry.reset(g);
            }
        }

        if (any_geometry) {
            if (!geometry || geometry->IsEmpty()) {
                if (layer_has_geometry) ++table.diagnostics.empty_geometries;
                geometry.reset();
            } else {
                if (transform && geometry->transform(transform.get()) != OGRERR_NONE)
                    throw InputError({source.path, layer_name, out.source_row, {}},
                                     "coordinates cannot be transformed from " + crs_label(source_crs) + " to " +
                                         crs_label(working_crs) + " (are they in the CRS said?)");
                try {
                    const RepairOutcome outcome = repair_geometry(geos, geometry);
                    if (outcome != RepairOutcome::AlreadyValid) ++table.diagnostics.repaired_geometries;
                    if (outcome == RepairOutcome::Collapsed) ++table.diagnostics.empty_geometries;
                } catch (const std::runtime_error& e) {
                    throw InputError({source.path, layer_name, out.source_row, {}}, e.what());
                }
            }
        }
        out.geometry = std::move(geometry);
        table.features.push_back(std::move(out));
    }
    if (table.features.empty())
        throw InputError(at_layer, source.where.empty() ? "layer is empty: no features to read"
                                                        : "no features pass the filter where: " + source.where);

    fail_on_read_error(source.path, layer_name, row);
    if (any_geometry) {
        table.geometry_type = output_geometry_type(layer_has_geometry ? layer.GetGeomType() : wkbPoint, table.features);
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
    return table;
}

}  // namespace hearth
