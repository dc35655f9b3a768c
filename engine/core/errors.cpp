#include "hearth/core/errors.hpp"

namespace hearth {

std::string InputLocation::describe() const {
    std::string out = file;
    auto append = [&out](const std::string& part) {
        if (!out.empty()) out += ": ";
        out += part;
    };
    if (!layer.empty()) append("layer '" + layer + "'");
    if (feature) append("feature " + std::to_string(*feature));
    if (!field.empty()) append("field '" + field + "'");
    return out;
}

InputError::InputError(InputLocation where, const std::string& problem)
    : Error(where.describe().empty() ? problem : where.describe() + ": " + problem),
      where_(std::move(where)),
      problem_(problem) {}

}  // namespace hearth
