#pragma once
// A table keyed by one vintage of areas carried onto another through ONS's best-fit
// lookup, e.g. IMD 2019 (LSOA 2011) onto LSOA 2021, so that indicators of both censuses
// sit on one map. ONS's change indicator says how each pair of areas relates:
//   U unchanged, S a 2011 area split into several 2021 areas, M several 2011 areas merged
//   into one 2021 area, X a complex change (parts of several).
// The rule, stated in each output row's `area_change` column and in the join's note:
//   - an area with one source area (U, and each part of an S) takes that area's values,
//     which is right for rates, scores, ranks and deciles (an area's residents share its
//     value), not for counts, which would be repeated in each part;
//   - an area with several source areas (M, X) takes their mean, weighted by `weight`
//     (a population field of the table) when given, else unweighted; text values are kept
//     when the sources agree and left empty when they do not.

#include <string>

#include "hearth/core/feature_table.hpp"

namespace hearth {

struct AreaLookup {
    const FeatureTable* table = nullptr;  ///< the lookup's rows
    std::string from_key;                 ///< its field holding the table's codes, e.g. lsoa11cd
    std::string to_key;                   ///< its field holding the target codes, e.g. lsoa21cd
    std::string change;                   ///< its change indicator field (U/S/M/X); may be empty
};

/// `table` (keyed by `table_key` in the lookup's `from` codes) re-keyed to the lookup's
/// `to` codes: a new table with `to_key` first, then the table's other fields, then
/// `area_change`. InputError naming the lookup or table field when one is missing.
FeatureTable carry_through_lookup(const FeatureTable& table, const std::string& table_key, const AreaLookup& lookup,
                                  const std::string& weight = {});

}  // namespace hearth
