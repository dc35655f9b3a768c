#include "hearth/core/errors.hpp"

#include <cctype>

namespace hearth {

std::string redact_secrets(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    auto lower_at = [&](std::size_t at, const char* word) {
        for (std::size_t k = 0; word[k]; ++k)
            if (at + k >= text.size() || std::tolower(static_cast<unsigned char>(text[at + k])) != word[k]) return false;
        return true;
    };
    while (i < text.size()) {
        // keyword form: password = value, the value bare or in single quotes
        if (lower_at(i, "password") && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
            std::size_t j = i + 8;
            while (j < text.size() && text[j] == ' ') ++j;
            if (j < text.size() && text[j] == '=') {
                ++j;
                while (j < text.size() && text[j] == ' ') ++j;
                if (j < text.size() && text[j] == '\'') {
                    ++j;
                    while (j < text.size() && text[j] != '\'') j += text[j] == '\\' ? 2 : 1;
                    ++j;
                } else {
                    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) && text[j] != '&') ++j;
                }
                out += "password=***";
                i = std::min(j, text.size());
                continue;
            }
        }
        // URI form: scheme://user:password@host
        if (lower_at(i, "://")) {
            const std::size_t start = i + 3;
            const std::size_t at = text.find('@', start);
            const std::size_t end = text.find_first_of("/ ?", start);
            const std::size_t colon = text.find(':', start);
            if (at != std::string::npos && (end == std::string::npos || at < end) && colon != std::string::npos && colon < at) {
                out += text.substr(i, colon + 1 - i) + "***";
                i = at;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

std::string InputLocation::describe() const {
    // A query on a database is read through a GDAL virtual source: name the database.
    std::string shown = file;
    if (shown.rfind("<OGRVRTDataSource>", 0) == 0) {
        const auto from = shown.find("<SrcDataSource>"), to = shown.find("</SrcDataSource>");
        if (from != std::string::npos && to != std::string::npos)
            shown = "SQL query on " + shown.substr(from + 15, to - from - 15);
    }
    std::string out = redact_secrets(shown);
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
