#include "hearth/feature_table.hpp"

namespace hearth {

const char* field_type_name(FieldType type) {
    switch (type) {
        case FieldType::String: return "string";
        case FieldType::Integer: return "integer";
        case FieldType::Real: return "real";
    }
    return "?";
}

int FeatureTable::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return static_cast<int>(i);
    return -1;
}

}  // namespace hearth
