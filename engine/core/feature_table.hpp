#pragma once
// Hearth's in-memory vector layer: typed canonical fields plus one geometry per row,
// already in the study's working CRS. Readers produce it, joins extend it, writers
// consume it.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

namespace hearth {

enum class FieldType { String, Integer, Real };

const char* field_type_name(FieldType type);

/// Empty (null), whole number, real number or text.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;

/// The value as text ("" for null; whole numbers without a decimal point).
std::string value_text(const FieldValue& value);

/// The value as a number, or nothing for null or text.
std::optional<double> value_number(const FieldValue& value);

struct FieldDefinition {
    std::string name;         ///< canonical name, e.g. "imd_decile"
    FieldType type;
    std::string description;  ///< what it means, with units
};

struct Feature {
    std::int64_t source_row = 0;         ///< OGR feature id or 1-based row in the source
    std::vector<FieldValue> values;      ///< parallel to FeatureTable::fields
    OGRGeometryUniquePtr geometry;       ///< null for a table without geometry
};

/// Counts of what reading and repairing a layer found, for the run's report.
struct LayerDiagnostics {
    std::size_t repaired_geometries = 0;   ///< invalid on input, repaired with GEOS MakeValid
    std::size_t empty_geometries = 0;      ///< rows with no geometry, kept with null geometry
    std::vector<std::string> notes;        ///< one line each: join coverage, reprojection, ...
};

/// Move-only: it owns its geometries.
struct FeatureTable {
    FeatureTable() = default;
    FeatureTable(FeatureTable&&) = default;
    FeatureTable& operator=(FeatureTable&&) = default;
    FeatureTable(const FeatureTable&) = delete;
    FeatureTable& operator=(const FeatureTable&) = delete;
    ~FeatureTable() = default;

    std::string name;                    ///< layer name in the study / output
    std::string source;                  ///< where it was read from (file and layer)
    std::string recipe;                  ///< recipe that mapped its fields
    std::string description;             ///< what the layer is, for the GeoPackage
    std::vector<FieldDefinition> fields;
    std::vector<Feature> features;
    OGRwkbGeometryType geometry_type = wkbNone;
    OGRSpatialReference crs;             ///< working CRS; empty when geometry_type is wkbNone
    LayerDiagnostics diagnostics;
    /// Inputs marked illustrative (made-up rows in a published schema) that this layer
    /// was built from; writers say so in its description.
    std::vector<std::string> illustrative_inputs;

    /// Index of the field called `name`, or -1.
    int field_index(const std::string& name) const;
    bool has_geometry() const { return geometry_type != wkbNone; }
};

}  // namespace hearth
