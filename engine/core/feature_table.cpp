#include "hearth/core/feature_table.hpp"

namespace hearth {

const char* field_type_name(FieldType type) {
    switch (type) {
        case FieldType::String: return "string";
        case FieldType::Integer: return "integer";
        case FieldType::Real: return "real";
    }
    return "?";
}

std::string value_text(const FieldValue& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
    return {};
}

std::optional<double> value_number(const FieldValue& v) {
    if (const auto* d = std::get_if<double>(&v)) return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return std::nullopt;
}

int FeatureTable::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return static_cast<int>(i);
    return -1;
}

}  // namespace hearth
