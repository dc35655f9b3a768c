#pragma once
// Reading a published data source through OGR into a FeatureTable: the recipe's
// canonical fields, typed; geometries reprojected to the working CRS and repaired.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gdal_priv.h>

#include "hearth/core/feature_table.hpp"
#include "hearth/core/problem_report.hpp"
#include "hearth/geometry/geos_context.hpp"
#include "hearth/io/recipe.hpp"

namespace hearth {

/// InputError when GDAL reported a failure while a layer was read (a truncated .dbf or
/// .shp ends OGR's feature loop early, silently): names the file, layer and the last row
/// read. Call CPLErrorReset() before the loop.
void fail_on_read_error(const std::string& path, const std::string& layer, std::int64_t rows_read);

/// Where a layer comes from.
struct LayerSource {
    std::string path;        ///< file, folder or "PG:..." connection string
    std::string layer{};     ///< layer / sheet name; may be empty when the source has one
    std::string assume_crs{};  ///< CRS to use when the source declares none
    std::string where{};     ///< OGR SQL attribute filter, e.g. "\"Indicator ID\" = 93190"
    /// --skip-invalid: bad rows are recorded here and left out. Null (the default): the
    /// first bad row is an InputError naming it.
    ProblemReport* problems = nullptr;
};

/// True for a source that names no file: a database ("PG:...") or a virtual source.
bool is_connection_string(const std::string& path);

/// A database source whose `layer` is an SQL query (SELECT ... or WITH ...) as a GDAL
/// virtual source (OGR VRT) running it, with the one layer "query"; any other source as
/// it is. Messages name such a source "SQL query on PG:..." (without its password).
LayerSource query_source(LayerSource source);

/// "file.gpkg|layername=homes" (QGIS's notation) or a plain path.
LayerSource source_from_argument(const std::string& argument, const std::string& assume_crs = {});

/// A recipe that keeps every field of the source under its own name and type, for
/// analysts' own layers that no published recipe describes.
Recipe passthrough_recipe(const LayerSource& source);

/// Opens any OGR vector source read-only. InputError when it is missing or unreadable.
GDALDatasetUniquePtr open_vector_source(const std::string& path);

/// The layer named `wanted`, else the one of `preferred` that exists, else the only
/// layer. InputError listing the layers otherwise.
OGRLayer& pick_layer(GDALDataset& dataset, const std::string& path, const std::string& wanted,
                     const std::vector<std::string>& preferred = {});

/// Sets `source.where` as the layer's attribute filter; InputError on one line naming
/// the file, layer and filter when OGR cannot parse it.
void apply_where(OGRLayer& layer, const LayerSource& source);

/// Opens the source and checks its `where:` filter, for --validate.
void check_where(const LayerSource& source, const std::vector<std::string>& preferred_layers = {});

/// Why `value` is not what recipe field `field` allows (a whole number for an integer
/// field; within its range), or nothing. One rule for every reader of a recipe's rows.
std::optional<std::string> number_problem(const RecipeField& field, double value);

/// The layer's attribute field names, in order.
std::vector<std::string> field_names(OGRLayer& layer);

/// Reads `source` as described by `recipe` into `working_crs`.
FeatureTable read_layer(const LayerSource& source, const Recipe& recipe, const OGRSpatialReference& working_crs,
                        GeosContext& geos);

}  // namespace hearth
