#include "hearth/analysis/assess/assess_support.hpp"

#include <cmath>
#include <cstdio>

#include <ogr_api.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/published_text.hpp"

namespace hearth::assess_detail {

int require_field(const FeatureTable& t, const std::string& field, const std::string& role) {
    const int i = t.field_index(field);
    if (i < 0) throw InputError({t.source, t.name, {}, field}, "no such field (the " + role + " of the assess section)");
    return i;
}

int optional_field(const FeatureTable& t, const std::string& field, const std::string& role) {
    return field.empty() ? -1 : require_field(t, field, role);
}

double area_of(const OGRGeometry* g) {
    return g ? OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))) : 0.0;
}

std::optional<double> number_at(const Feature& f, int field) {
    if (field < 0) return std::nullopt;
    const auto v = value_number(f.values[static_cast<std::size_t>(field)]);
    if (v && !std::isfinite(*v)) return std::nullopt;
    return v;
}

/// A geometry's envelope, from the inputs' cache when it is there (OGR walks every vertex
/// to find one, and each brief asks for thousands).
OGREnvelope envelope_of(const AssessmentInputs& in, const OGRGeometry* g) {
    if (const auto it = in.envelopes.find(g); it != in.envelopes.end()) return it->second;
    OGREnvelope e;
    g->getEnvelope(&e);
    return e;
}

bool envelopes_meet(const AssessmentInputs& in, const OGREnvelope& a, const OGRGeometry* g) {
    return a.Intersects(envelope_of(in, g));
}

/// Population-weighted mean of `field` over (feature, weight) pairs; nothing when no
/// weight carries a value.
std::optional<double> weighted_mean(const FeatureTable& t, const std::vector<std::pair<std::size_t, double>>& rows,
                                    int field) {
    if (field < 0) return std::nullopt;
    double sum = 0, total = 0;
    for (const auto& [r, w] : rows) {
        const auto v = number_at(t.features[r], field);
        if (!v || w <= 0) continue;
        sum += w * *v;
        total += w;
    }
    if (total <= 0) return std::nullopt;
    return sum / total;
}

std::vector<std::pair<std::size_t, double>> every_row_by(const FeatureTable& t, int population) {
    std::vector<std::pair<std::size_t, double>> rows;
    for (std::size_t r = 0; r < t.features.size(); ++r)
        rows.emplace_back(r, number_at(t.features[r], population).value_or(0.0));
    return rows;
}

std::string fmt(double x, int decimals) {
    char b[64];
    std::snprintf(b, sizeof b, "%.*f", decimals, x);
    return b;
}

std::string whole(double x) { return with_thousands(x, 0); }

/// A count of people or homes for an explanation, withheld when small (--suppress-below).
std::string count_text(const AssessmentInputs& in, double x) {
    if (in.suppress_below > 0 && x > 0 && x < in.suppress_below) return "fewer than " + std::to_string(in.suppress_below);
    return whole(x);
}

std::string percent(double share) { return fmt(100.0 * share, 1) + "%"; }

}  // namespace hearth::assess_detail
