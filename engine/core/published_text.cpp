#include "hearth/core/published_text.hpp"

#include <cstdio>

#include <memory>

#include <cpl_conv.h>
#include <cpl_string.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace hearth {

std::string trim_text(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    std::string trimmed(text.substr(first, last - first + 1));
    if (CPLIsUTF8(trimmed.c_str(), static_cast<int>(trimmed.size()))) return trimmed;
    // Not UTF-8: a file saved by Excel as "CSV" in the UK is Windows-1252 ("Caf\xe9"),
    // which every byte of is; copied as it is, it would make the output's text invalid.
    std::unique_ptr<char, decltype(&CPLFree)> recoded(CPLRecode(trimmed.c_str(), "CP1252", CPL_ENC_UTF8), &CPLFree);
    return recoded ? std::string(recoded.get()) : trimmed;
}

std::string one_line(std::string_view text, std::size_t longest) {
    std::string out;
    for (char c : text.substr(0, longest)) out += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
    return text.size() > longest ? out + "..." : out;
}

namespace {

/// Thousands separators only as published: between groups of three digits in the whole
/// part ("1,234,567.5"), never first, last, doubled or in the fraction ("1,2,3" is not 123).
bool valid_thousands(std::string_view number) {
    if (number.find(',') == std::string_view::npos) return true;
    std::size_t start = number[0] == '-' || number[0] == '+' ? 1 : 0;
    const std::size_t whole_end = std::min(number.find_first_of(".eE"), number.size());
    if (number.find(',', whole_end) != std::string_view::npos) return false;
    const std::string_view whole = number.substr(start, whole_end - start);
    const std::size_t first = whole.find(',');
    if (first == 0 || first > 3) return false;
    for (std::size_t at = first; at < whole.size(); at += 4) {
        if (whole[at] != ',' || at + 4 > whole.size()) return false;
        for (std::size_t d = at + 1; d < at + 4; ++d)
            if (whole[d] < '0' || whole[d] > '9') return false;
    }
    return true;
}

}  // namespace

std::optional<double> parse_published_number(std::string_view text) {
    std::string digits = trim_text(text);
    if (digits.empty() || !valid_thousands(digits)) return std::nullopt;
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    if (digits.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

std::string with_thousands(double value, int decimals) {
    if (!std::isfinite(value)) return "";
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, value);
    const std::string s = b;
    const auto dot = s.find('.');
    std::string whole = s.substr(0, dot);
    const std::string rest = dot == std::string::npos ? "" : s.substr(dot);
    const bool negative = !whole.empty() && whole[0] == '-';
    if (negative) whole.erase(0, 1);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    return (negative ? "-" : "") + grouped + rest;
}

}  // namespace hearth
