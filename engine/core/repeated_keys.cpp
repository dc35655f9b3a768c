#include "hearth/core/repeated_keys.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>

namespace hearth {

std::vector<KeyRepeat> repeated_keys(const std::vector<std::string>& keys) {
    std::vector<std::pair<std::size_t, std::size_t>> order;  // (hash, row)
    order.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (!keys[i].empty()) order.emplace_back(std::hash<std::string>{}(keys[i]), i);
    std::sort(order.begin(), order.end());
    std::vector<KeyRepeat> repeats;
    for (std::size_t run = 0; run < order.size();) {
        std::size_t end = run + 1;
        while (end < order.size() && order[end].first == order[run].first) ++end;
        // Within a run of equal hashes rows are in order, so the first earlier row of the
        // same text (hashes can collide) is that key's first row.
        for (std::size_t a = run + 1; a < end; ++a)
            for (std::size_t b = run; b < a; ++b)
                if (keys[order[b].second] == keys[order[a].second]) {
                    repeats.push_back({order[a].second, order[b].second});
                    break;
                }
        run = end;
    }
    std::sort(repeats.begin(), repeats.end(), [](const KeyRepeat& x, const KeyRepeat& y) { return x.later < y.later; });
    return repeats;
}

}  // namespace hearth
