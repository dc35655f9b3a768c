#pragma once
// Points in compact columns, for the hot paths that handle millions of homes: about
// 24 bytes a point plus the requested attribute columns, instead of an OGRGeometry
// and a row of variants each. Read by io/point_reader, built from a table by
// geometry/table_points.

#include <cstdint>
#include <string>
#include <vector>

#include "hearth/core/feature_table.hpp"

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

}  // namespace hearth
