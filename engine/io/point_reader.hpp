#pragma once
// Streaming a point layer from any source GDAL reads into a PointSet (columns), for
// millions of homes: GeoPackage through GDAL's Arrow stream, everything else feature
// by feature; coordinates transformed in bulk.

#include <string>
#include <vector>

#include <gdal.h>
#include <ogr_spatialref.h>

#include "hearth/io/layer_reader.hpp"
#include "hearth/core/point_set.hpp"

namespace hearth {

struct PointSetRequest {
    std::string category_field;             ///< may be empty
    std::string id_field;                   ///< may be empty
    std::vector<std::string> value_fields;  ///< numeric fields to carry
    /// When given, parallel to value_fields: each value is checked as read_layer checks
    /// that recipe field (whole numbers, range), so both readers take the same rows.
    std::vector<RecipeField> value_rules;
    /// When set, the id names one row (a UPRN, `unique:` in its recipe) and this is its
    /// name in messages: a repeated id is an input error naming both rows, or under
    /// --skip-invalid the later rows are left out.
    std::string unique_id_name{};
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

}  // namespace hearth
