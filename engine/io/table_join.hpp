#pragma once
// Attribute join of a table (IMD, Fingertips, census) onto a layer by a shared key,
// e.g. the IMD CSV onto LSOA polygons by LSOA code. Like a QGIS "join attributes by
// field value" with one-to-one semantics: a duplicate key in the table is an error,
// not a silent pick of one row.

#include <string>
#include <vector>

#include "hearth/core/feature_table.hpp"

namespace hearth {

struct JoinReport {
    std::size_t matched = 0;                    ///< target features that found a row
    std::vector<std::string> unmatched_targets; ///< keys of target features with no row
    std::size_t unused_rows = 0;                ///< table rows no target feature used
    std::vector<std::string> unused_examples;   ///< the first few of those keys
};

/// Adds every field of `table` except its key to `target`, matched on
/// target.`target_key` == table.`table_key` (text compare after trimming; whole
/// numbers compare as text). Targets without a row get nulls. InputError when a key
/// field is missing, a table key repeats, or a joined field name is already in `target`.
JoinReport join_table(FeatureTable& target, const std::string& target_key, const FeatureTable& table,
                      const std::string& table_key);

/// One-line summary, e.g. "joined 'imd' on lsoa11cd: 145 of 145 matched; 4690 rows unused".
std::string describe_join(const JoinReport& report, const std::string& table_name, const std::string& key,
                          std::size_t target_count);

}  // namespace hearth
