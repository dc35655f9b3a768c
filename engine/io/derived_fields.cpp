#include "hearth/io/derived_fields.hpp"

#include <cmath>
#include <memory>

#include <muParser.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/field_names.hpp"

namespace hearth {

namespace {

void add_one(FeatureTable& table, const DerivedField& d) {
    const InputLocation at{d.declared_in, table.name, {}, d.name};
    if (table.field_index(d.name) >= 0) throw InputError(at, "derive: the layer already has a field of this name");
    // muparser binds variables to addresses: one slot per numeric field, filled per row.
    std::vector<double> slot(table.fields.size(), 0.0);
    mu::Parser parser;
    std::vector<std::string> numeric;
    try {
        for (std::size_t i = 0; i < table.fields.size(); ++i)
            if (table.fields[i].type != FieldType::String) {
                parser.DefineVar(table.fields[i].name, &slot[i]);
                numeric.push_back(table.fields[i].name);
            }
        parser.SetExpr(d.formula);
        parser.Eval();  // parses now, so a bad formula fails before any row
    } catch (const mu::Parser::exception_type& e) {
        const std::string token = e.GetToken();
        if (e.GetCode() == mu::ecUNASSIGNABLE_TOKEN && !token.empty()) {
            if (const int i = table.field_index(token); i >= 0)
                throw InputError(at, "derive: '" + token + "' is a text field; a formula takes numbers");
            std::string hint;
            for (const auto& c : closest_field_names(numeric, {token})) hint += (hint.empty() ? "" : ", ") + c;
            throw InputError(at, "derive: no numeric field '" + token + "' in the layer" +
                                     (hint.empty() ? "" : "; closest: " + hint));
        }
        throw InputError(at, "derive: '" + d.formula + "' does not parse: " + e.GetMsg());
    }
    std::vector<int> used;
    for (const auto& [name, address] : parser.GetUsedVar()) used.push_back(table.field_index(name));

    table.fields.push_back({d.name, FieldType::Real, d.description.empty() ? d.formula : d.description + " (" + d.formula + ")"});
    for (auto& f : table.features) {
        bool complete = true;
        for (int i : used) {
            const auto v = value_number(f.values[i]);
            complete = complete && v.has_value();
            slot[i] = v.value_or(0.0);
        }
        double result = std::numeric_limits<double>::quiet_NaN();
        if (complete) {
            try {
                result = parser.Eval();
            } catch (const mu::Parser::exception_type& e) {
                throw InputError({d.declared_in, table.name, f.source_row, d.name}, "derive: " + e.GetMsg());
            }
        }
        f.values.push_back(std::isfinite(result) ? FieldValue{result} : FieldValue{});
    }
}

}  // namespace

void add_derived_fields(FeatureTable& table, const std::vector<DerivedField>& fields) {
    for (const auto& d : fields) add_one(table, d);
}

}  // namespace hearth
