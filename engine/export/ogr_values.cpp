#include "hearth/export/ogr_values.hpp"

#include <type_traits>

namespace hearth {

OGRFieldType ogr_field_type(FieldType type) {
    switch (type) {
        case FieldType::String: return OFTString;
        case FieldType::Integer: return OFTInteger64;
        case FieldType::Real: return OFTReal;
    }
    return OFTString;
}

void set_ogr_value(OGRFeature& feature, int index, const FieldValue& value) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) feature.SetFieldNull(index);
            else if constexpr (std::is_same_v<T, std::int64_t>) feature.SetField(index, static_cast<GIntBig>(v));
            else if constexpr (std::is_same_v<T, double>) feature.SetField(index, v);
            else feature.SetField(index, v.c_str());
        },
        value);
}

}  // namespace hearth
