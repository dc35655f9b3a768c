#pragma once
// Fields computed from other fields of the same row: a share from two counts, a rate
// per 1,000 people. A recipe or a study layer declares them:
//
//   derive:
//     bad_health_share:
//       formula: (health_bad + health_very_bad) / residents_2021 * 100
//       description: residents in bad or very bad health, % (higher is worse)
//
// Formulas are parsed by muparser (arithmetic, comparison, min/max/abs/sqrt/log, ...),
// over the layer's numeric fields by canonical name. A row where any field the formula
// uses is null, or whose result is not finite (a division by zero), gets null.

#include <string>
#include <vector>

#include "hearth/core/feature_table.hpp"

namespace hearth {

struct DerivedField {
    std::string name;
    std::string formula;
    std::string description;
    std::string declared_in;  ///< the recipe or study file, for errors
};

/// Appends each derived field (Real) to `table`, in order, so later formulas may use
/// earlier ones. InputError naming the file, layer and field for an unknown or text
/// field in a formula, a formula that does not parse, or a name the layer already has.
void add_derived_fields(FeatureTable& table, const std::vector<DerivedField>& fields);

}  // namespace hearth
