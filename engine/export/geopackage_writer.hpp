#pragma once
// Writes layers into one GeoPackage that QGIS opens styled: each layer with its
// spatial index, a description in gpkg_contents, and a default style in the
// layer_styles table (QGIS's own schema). The file is written under a temporary
// name and renamed, so a failure never leaves a half-written GeoPackage.

#include <filesystem>
#include <vector>

#include <gdal.h>

#include "hearth/core/feature_table.hpp"
#include "hearth/core/layer_style.hpp"
#include "hearth/export/qgis_style.hpp"
#include "hearth/core/point_table.hpp"

namespace hearth {

/// A layer to write: a FeatureTable, or a PointTable (millions of rows, written through
/// SQLite in bulk; see geopackage_bulk_points.hpp).
struct StyledLayer {
    const FeatureTable* table = nullptr;
    const LayerStyle* style = nullptr;  ///< may be null: the layer gets no default style
    const PointTable* points = nullptr;  ///< instead of `table`
};

/// `spatial_index` false leaves out the R-trees (QGIS still reads the file; it is
/// slower to pan): for analysis outputs of millions of rows.
void write_geopackage(const std::filesystem::path& out, const std::vector<StyledLayer>& layers,
                      GDALProgressFunc progress = nullptr, void* progress_data = nullptr, bool spatial_index = true);

/// "ILLUSTRATIVE: built from illustrative (made-up) data: a, b. " for a layer built from
/// illustrative inputs, "" otherwise: the start of its description, CSV and summary.
std::string illustrative_label(const std::vector<std::string>& illustrative_inputs);

/// What a layer's description says, in a GeoPackage's gpkg_contents or a PostGIS table
/// comment: the illustrative label, the description, the source (never its password),
/// the recipe.
std::string layer_description(const FeatureTable& table);

/// A PointTable's layer as an empty FeatureTable: its name, description, source,
/// illustrative inputs, fields, geometry type (points, or multipolygons for grid cells)
/// and CRS, for the writers that create the layer before its rows go in.
FeatureTable point_table_schema(const PointTable& points);

/// Marker, line or fill, by the layer's geometry type.
SymbolKind symbol_kind(OGRwkbGeometryType type);

}  // namespace hearth
