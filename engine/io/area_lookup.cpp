#include "hearth/io/area_lookup.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include "hearth/core/errors.hpp"

namespace hearth {

namespace {

int require(const FeatureTable& t, const std::string& field, const std::string& role) {
    const int i = t.field_index(field);
    if (i < 0) throw InputError({t.source, t.name, {}, field}, "no such field (the " + role + ")");
    return i;
}

}  // namespace

FeatureTable carry_through_lookup(const FeatureTable& table, const std::string& table_key, const AreaLookup& lookup,
                                  const std::string& weight) {
    if (!lookup.table) throw std::logic_error("carry_through_lookup: no lookup table");
    const FeatureTable& l = *lookup.table;
    const int from = require(l, lookup.from_key, "lookup's code of the table's areas");
    const int to = require(l, lookup.to_key, "lookup's code of the layer's areas");
    const int change = lookup.change.empty() ? -1 : require(l, lookup.change, "lookup's change indicator");
    const int key = require(table, table_key, "table's key");
    const int weight_index = weight.empty() ? -1 : require(table, weight, "weight");

    std::unordered_map<std::string, std::size_t> row_of;
    for (std::size_t r = 0; r < table.features.size(); ++r) row_of.emplace(value_text(table.features[r].values[key]), r);

    // Target code -> its source rows and the change indicators that lead there, in the
    // lookup's order, so the output is deterministic.
    std::map<std::string, std::pair<std::vector<std::size_t>, std::set<std::string>>> sources;
    for (const auto& f : l.features) {
        const std::string from_code = value_text(f.values[from]), to_code = value_text(f.values[to]);
        if (to_code.empty()) continue;
        auto& entry = sources[to_code];
        if (change >= 0 && !value_text(f.values[change]).empty()) entry.second.insert(value_text(f.values[change]));
        if (const auto it = row_of.find(from_code); it != row_of.end()) entry.first.push_back(it->second);
    }

    // Whole numbers stay whole unless a merged area averages them.
    bool any_mean = false;
    for (const auto& [code, entry] : sources) any_mean = any_mean || entry.first.size() > 1;

    FeatureTable out;
    out.name = table.name;
    out.source = table.source;
    out.recipe = table.recipe;
    out.description = table.description;
    out.fields.push_back({lookup.to_key, FieldType::String, "area code of the layer's vintage (from the lookup)"});
    std::vector<int> carried;
    for (int i = 0; i < static_cast<int>(table.fields.size()); ++i) {
        if (i == key) continue;
        carried.push_back(i);
        FieldDefinition d = table.fields[i];
        if (d.type == FieldType::Integer && any_mean) d.type = FieldType::Real;  // a mean of whole numbers need not be one
        out.fields.push_back(d);
    }
    out.fields.push_back({"area_change", FieldType::String,
                          "how the area relates to the table's areas (ONS: U unchanged, S split, M merged, X complex); "
                          "S copies the source area's value, M and X take a population-weighted mean"});

    std::int64_t n = 0;
    for (const auto& [code, entry] : sources) {
        const auto& [rows, changes] = entry;
        if (rows.empty()) continue;
        Feature f;
        f.source_row = ++n;
        f.values.push_back(code);
        for (int i : carried) {
            if (rows.size() == 1) {
                const FieldValue& v = table.features[rows[0]].values[i];
                f.values.push_back(any_mean && std::holds_alternative<std::int64_t>(v)
                                       ? FieldValue{static_cast<double>(std::get<std::int64_t>(v))}
                                       : v);
                continue;
            }
            if (table.fields[i].type == FieldType::String) {
                std::set<std::string> texts;
                for (std::size_t r : rows) texts.insert(value_text(table.features[r].values[i]));
                f.values.push_back(texts.size() == 1 && !texts.begin()->empty() ? FieldValue{*texts.begin()} : FieldValue{});
                continue;
            }
            double sum = 0, total = 0;
            for (std::size_t r : rows) {
                const auto v = value_number(table.features[r].values[i]);
                const double w = weight_index >= 0 ? value_number(table.features[r].values[weight_index]).value_or(0) : 1.0;
                if (!v || w <= 0) continue;
                sum += w * *v;
                total += w;
            }
            f.values.push_back(total > 0 ? FieldValue{sum / total} : FieldValue{});
        }
        std::string change_text;
        for (const auto& c : changes) change_text += c;
        f.values.push_back(change_text.empty() ? FieldValue{} : FieldValue{change_text});
        out.features.push_back(std::move(f));
    }
    return out;
}

}  // namespace hearth
