#pragma once
// Hearth's field types and values as OGR's, for the writers that go through GDAL.

#include <ogr_feature.h>

#include "hearth/core/feature_table.hpp"

namespace hearth {

OGRFieldType ogr_field_type(FieldType type);

/// Sets field `index` of `feature` to `value` (null for an empty value).
void set_ogr_value(OGRFeature& feature, int index, const FieldValue& value);

}  // namespace hearth
