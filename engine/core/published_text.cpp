#include "hearth/core/published_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace hearth {

std::string trim_text(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::optional<double> parse_published_number(std::string_view text) {
    std::string digits = trim_text(text);
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    if (digits.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

}  // namespace hearth
