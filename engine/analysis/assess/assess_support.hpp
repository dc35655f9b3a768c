#pragma once
// Helpers shared by the stages of brief assessment (inputs, evidence, scorecards,
// sensitivity, layers): field look-ups with errors naming the assess section, areas and
// envelopes, population-weighted means, and numbers written for people.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <ogr_geometry.h>

#include "hearth/analysis/assess/brief_assessment.hpp"
#include "hearth/core/feature_table.hpp"

namespace hearth::assess_detail {

/// The field's index; InputError naming the layer and field (the `role` it plays) if absent.
int require_field(const FeatureTable& t, const std::string& field, const std::string& role);
/// -1 for an empty name, else require_field.
int optional_field(const FeatureTable& t, const std::string& field, const std::string& role);
/// Area of a (multi)polygon in the working CRS, m2; 0 for null.
double area_of(const OGRGeometry* g);
/// The field's number, nothing for null, text or a non-finite value.
std::optional<double> number_at(const Feature& f, int field);
/// A geometry's envelope, from the inputs' cache when it is there.
OGREnvelope envelope_of(const AssessmentInputs& in, const OGRGeometry* g);
bool envelopes_meet(const AssessmentInputs& in, const OGREnvelope& a, const OGRGeometry* g);
/// Population-weighted mean of `field` over (feature, weight) pairs; nothing when no
/// weight carries a value.
std::optional<double> weighted_mean(const FeatureTable& t, const std::vector<std::pair<std::size_t, double>>& rows, int field);
/// Every row with its population as weight.
std::vector<std::pair<std::size_t, double>> every_row_by(const FeatureTable& t, int population);

/// Numbers for explanations: fixed decimals, whole numbers with thousands separators,
/// counts of people or homes withheld when small (--suppress-below), shares as percent.
std::string fmt(double x, int decimals = 1);
std::string whole(double x);
std::string count_text(const AssessmentInputs& in, double x);
std::string percent(double share);

}  // namespace hearth::assess_detail
