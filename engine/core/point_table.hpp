#pragma once
// A point layer (or a grid of square cells) held as columns, for outputs with a row per home (millions of rows):
// about 16 bytes a point plus its values, against some 200 for an OGRPoint and a row of
// variants in a FeatureTable. write_geopackage writes it straight into SQLite.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <ogr_spatialref.h>

#include "hearth/core/feature_table.hpp"

namespace hearth {

/// Null in an Integer column.
constexpr std::int64_t kNullInteger = std::numeric_limits<std::int64_t>::min();

/// One attribute column. Exactly one of the value vectors is used, by kind:
/// Real: `reals` (NaN is null); Integer: `integers` (kNullInteger is null);
/// Text: `texts` (one string a row, empty is null); Coded: `codes` into `labels`
/// (-1 is null), for values repeated across rows such as a site or route id.
struct PointColumn {
    enum class Kind { Real, Integer, Text, Coded };

    FieldDefinition definition;
    Kind kind = Kind::Real;
    std::vector<double> reals;
    std::vector<std::int64_t> integers;
    std::vector<std::string> texts;
    std::vector<std::int32_t> codes;
    std::vector<std::string> labels;

    static PointColumn real(std::string name, std::string description, std::vector<double> values);
    static PointColumn integer(std::string name, std::string description, std::vector<std::int64_t> values);
    static PointColumn text(std::string name, std::string description, std::vector<std::string> values);
    static PointColumn coded(std::string name, std::string description, std::vector<std::int32_t> codes,
                             std::vector<std::string> labels);

    /// The ids a PointSet carries as text, as a column of their source type: whole
    /// numbers (a UPRN) stay Integer and reals Real, so a join back in QGIS matches.
    /// std::invalid_argument naming the first value that is not of `type` (empty is null).
    static PointColumn carried_id(std::string name, std::string description, std::vector<std::string> ids,
                                  FieldType type);
    std::size_t size() const;
};

struct PointTable {
    std::string name;         ///< layer name in the output
    std::string description;  ///< what the layer is, for the GeoPackage
    std::string source;       ///< where the points were read from
    std::vector<std::string> illustrative_inputs;  ///< as FeatureTable's
    OGRSpatialReference crs;
    /// When positive, each row is written as the square of this side (metres) centred on
    /// its point, as a MultiPolygon: a grid of cells held as their centres.
    double cell_m = 0;
    std::vector<double> x;    ///< working-CRS easting, metres
    std::vector<double> y;    ///< working-CRS northing, metres
    std::vector<PointColumn> columns;

    std::size_t size() const { return x.size(); }
    /// std::logic_error when a column's length or a code does not fit the points.
    void check() const;
};

}  // namespace hearth
