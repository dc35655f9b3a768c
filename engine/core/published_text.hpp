#pragma once
// How text cells of published files are read, the same by every reader: surrounding
// whitespace (CSV exports end lines with CR LF) is dropped, and numbers may carry
// thousands separators ("1,234.5") as spreadsheet exports write them.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hearth {

/// `text` without leading and trailing spaces, tabs, CRs and LFs, as UTF-8: text that is
/// not valid UTF-8 is read as Windows-1252 (what Excel saves as "CSV" in the UK).
std::string trim_text(std::string_view text);

/// `text` on one line for a message or a table cell: line breaks shown as \n and \r,
/// cut after `longest` characters with "..." when longer.
std::string one_line(std::string_view text, std::size_t longest);

/// `value` written for people, with `decimals` decimals and thousands separators on the
/// whole part ("12,345.6"), as spreadsheets publish it; "" when not finite.
std::string with_thousands(double value, int decimals);

/// The number written in `text` (trimmed, thousands separators allowed), or nothing
/// when it is empty, not a number, or not finite.
std::optional<double> parse_published_number(std::string_view text);

}  // namespace hearth
