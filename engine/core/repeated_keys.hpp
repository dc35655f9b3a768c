#pragma once
// Keys that must name one row each (a UPRN, an area code, a join key), checked the same
// way everywhere: which rows repeat a key an earlier row holds.

#include <cstddef>
#include <string>
#include <vector>

namespace hearth {

struct KeyRepeat {
    std::size_t later;  ///< index of the row that repeats the key
    std::size_t first;  ///< index of the first row holding it
};

/// Every row whose key an earlier row holds, in row order; empty keys are not keys.
/// Sorts hashes rather than building a set of strings, so 25 million UPRNs cost about
/// 16 bytes each.
std::vector<KeyRepeat> repeated_keys(const std::vector<std::string>& keys);

}  // namespace hearth
