#pragma once
// Matching the column headers of published files to the names a recipe expects.
// Official downloads are inconsistent: UTF-8 byte-order marks, "(where 1 is most
// deprived ...)" suffixes, Shapefile's 10-character truncation, changes of case and
// punctuation between releases. Matching is therefore done on a normalised form.

#include <optional>
#include <string>
#include <vector>

namespace hearth {

/// Lower-cased, BOM stripped, every run of non-alphanumerics folded to one space,
/// trimmed: "﻿LSOA code (2011)" -> "lsoa code 2011".
std::string normalise_field_name(const std::string& name);

/// How a header matched a candidate name, best first.
enum class FieldMatchKind { Exact, HeaderExtendsCandidate, HeaderTruncatesCandidate };

struct FieldMatch {
    int header_index;
    FieldMatchKind kind;
};

/// Finds which of `headers` is meant by any of `candidates` (tried in order, each
/// first for an exact normalised match, then a header that begins with the candidate
/// at a word boundary, then a header of at least 8 characters that the candidate
/// begins with, as Shapefile/DBF truncation produces). Returns nothing when no header
/// matches; throws std::invalid_argument naming both headers when two match equally.
std::optional<FieldMatch> match_field(const std::vector<std::string>& headers,
                                      const std::vector<std::string>& candidates);

/// Up to `limit` headers closest to any of `wanted` by edit distance on normalised
/// names, for "did you mean" messages.
std::vector<std::string> closest_field_names(const std::vector<std::string>& headers,
                                             const std::vector<std::string>& wanted, std::size_t limit = 3);

/// "Social rent" -> "social_rent": a field-name-safe form of a category value.
std::string field_safe(const std::string& text);

}  // namespace hearth
