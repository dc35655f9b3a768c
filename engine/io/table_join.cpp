#include "hearth/io/table_join.hpp"

#include <unordered_map>

#include "hearth/core/errors.hpp"
#include "hearth/core/repeated_keys.hpp"

namespace hearth {

namespace {

constexpr std::size_t kExamples = 5;

int require_field(const FeatureTable& t, const std::string& name) {
    const int i = t.field_index(name);
    if (i < 0) throw InputError({t.source, t.name, {}, name}, "join key field not found in recipe '" + t.recipe + "'");
    return i;
}

}  // namespace

JoinReport join_table(FeatureTable& target, const std::string& target_key, const FeatureTable& table,
                      const std::string& table_key) {
    const int tk = require_field(target, target_key);
    const int rk = require_field(table, table_key);

    std::vector<std::string> keys;
    keys.reserve(table.features.size());
    for (const auto& f : table.features) keys.push_back(value_text(f.values[rk]));
    if (const auto repeats = repeated_keys(keys); !repeats.empty())
        throw InputError({table.source, table.name, table.features[repeats[0].later].source_row, table_key},
                         "duplicate key '" + keys[repeats[0].later] + "' (also on row " +
                             std::to_string(table.features[repeats[0].first].source_row) +
                             "); a join needs one row per key");
    std::unordered_map<std::string, std::size_t> row_of_key;
    row_of_key.reserve(table.features.size());
    for (std::size_t r = 0; r < table.features.size(); ++r)
        if (!keys[r].empty()) row_of_key.emplace(keys[r], r);

    std::vector<int> carried;
    for (int f = 0; f < static_cast<int>(table.fields.size()); ++f) {
        if (f == rk) continue;
        if (target.field_index(table.fields[f].name) >= 0)
            throw InputError({table.source, table.name, {}, table.fields[f].name},
                             "field already in layer '" + target.name + "'; joined tables must not repeat a field");
        carried.push_back(f);
        target.fields.push_back(table.fields[f]);
    }

    JoinReport report;
    std::vector<bool> used(table.features.size(), false);
    for (auto& feature : target.features) {
        const std::string key = value_text(feature.values[tk]);
        const auto it = row_of_key.find(key);
        if (it == row_of_key.end()) {
            report.unmatched_targets.push_back(key.empty() ? "(empty)" : key);
            feature.values.insert(feature.values.end(), carried.size(), std::monostate{});
            continue;
        }
        ++report.matched;
        used[it->second] = true;
        for (int f : carried) feature.values.push_back(table.features[it->second].values[f]);
    }
    for (std::size_t r = 0; r < used.size(); ++r) {
        const std::string key = value_text(table.features[r].values[rk]);
        if (used[r] || key.empty()) continue;
        ++report.unused_rows;
        if (report.unused_examples.size() < kExamples) report.unused_examples.push_back(key);
    }
    return report;
}

std::string describe_join(const JoinReport& report, const std::string& table_name, const std::string& key,
                          std::size_t target_count) {
    std::string s = "joined " + table_name + " on " + key + ": " + std::to_string(report.matched) + " of " +
                    std::to_string(target_count) + " matched";
    if (!report.unmatched_targets.empty()) {
        s += "; no row for";
        for (std::size_t i = 0; i < report.unmatched_targets.size() && i < kExamples; ++i)
            s += (i ? ", " : " ") + report.unmatched_targets[i];
        if (report.unmatched_targets.size() > kExamples)
            s += " and " + std::to_string(report.unmatched_targets.size() - kExamples) + " more";
    }
    if (report.unused_rows) s += "; " + std::to_string(report.unused_rows) + " table rows outside the layer";
    return s;
}

}  // namespace hearth
