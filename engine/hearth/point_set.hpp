#pragma once
// Points in compact columns, for the hot paths that handle millions of homes: about
// 24 bytes a point plus the requested attribute columns, instead of an OGRGeometry
// and a row of variants each.

#include <cstdint>
#include <string>
#include <vector>

#include <gdal.h>
#include <ogr_spatialref.h>

#include "hearth/feature_table.hpp"
#include "hearth/layer_reader.hpp"

namespace hearth {

struct PointSet {
    std::vector<double> x;                 ///< working-CRS easting, metres
    std::vector<double> y;                 ///< working-CRS northing, metres
    /// Where each point came from: the OGR feature id (read_point_set) or the index of
    /// the feature in the table (point_set_from_table).
    std::vector<std::int64_t> source_row;
    /// Category per point as an index into category_names (-1: null), when asked for.
    std::vector<std::int32_t> category;
    std::vector<std::string> category_names;  ///< sorted, so outputs are deterministic
    std::vector<std::string> ids;             ///< per point, when an id field was asked for
    FieldType id_type = FieldType::String;    ///< the id field's type in its source (or recipe)
    /// One column per requested numeric field (nulls as 0, counted in null_counts).
    std::vector<std::vector<double>> values;
    std::vector<std::size_t> null_counts;
    std::size_t without_geometry = 0;      ///< features skipped for having no geometry

    std::size_t size() const { return x.size(); }
};

struct PointSetRequest {
    std::string category_field;             ///< may be empty
    std::string id_field;                   ///< may be empty
    std::vector<std::string> value_fields;  ///< numeric fields to carry
    /// When set, rows are located by these two fields (numbers, or text holding numbers)
    /// in `coordinate_crs` and the geometry column is not read: recipes with `points:`.
    std::string x_field;
    std::string y_field;
    std::string coordinate_crs;
};

/// Streams a point layer (points; polygons and lines by GEOS point-on-surface) into
/// `working_crs`, transforming coordinates in bulk. InputError for a missing field,
/// a non-numeric value, no CRS without assume_crs, or an empty layer.
PointSet read_point_set(const LayerSource& source, const OGRSpatialReference& working_crs,
                        const PointSetRequest& request, GDALProgressFunc progress = nullptr,
                        void* progress_data = nullptr);

/// The points of an already-read point table (e.g. a study's homes), by feature order.
PointSet point_set_from_table(const FeatureTable& table);

}  // namespace hearth
