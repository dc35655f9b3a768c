#pragma once
// How text cells of published files are read, the same by every reader: surrounding
// whitespace (CSV exports end lines with CR LF) is dropped, and numbers may carry
// thousands separators ("1,234.5") as spreadsheet exports write them.

#include <optional>
#include <string>
#include <string_view>

namespace hearth {

/// `text` without leading and trailing spaces, tabs, CRs and LFs, as UTF-8: text that is
/// not valid UTF-8 is read as Windows-1252 (what Excel saves as "CSV" in the UK).
std::string trim_text(std::string_view text);

/// The number written in `text` (trimmed, thousands separators allowed), or nothing
/// when it is empty, not a number, or not finite.
std::optional<double> parse_published_number(std::string_view text);

}  // namespace hearth
