#include "hearth/analysis/interpolation/areal_interpolation.hpp"

namespace hearth {

std::vector<std::optional<double>> interpolate(const OverlayResult& overlay, const InterpolatedVariable& variable,
                                               std::size_t target_count,
                                               const std::vector<std::optional<double>>* population) {
    std::vector<double> numerator(target_count, 0.0), denominator(target_count, 0.0);
    std::vector<bool> reached(target_count, false);
    for (const auto& o : overlay.overlaps) {
        const auto& v = variable.source[o.a];
        if (!v || overlay.area_a_m2[o.a] <= 0) continue;
        const double share = o.area_m2 / overlay.area_a_m2[o.a];  // a_ij / a_i
        reached[o.b] = true;
        if (variable.quantity == Quantity::Extensive) {
            numerator[o.b] += *v * share;
        } else if (population) {
            const auto& p = (*population)[o.a];
            if (!p) continue;
            numerator[o.b] += *v * *p * share;
            denominator[o.b] += *p * share;
        } else {
            numerator[o.b] += *v * o.area_m2;
            denominator[o.b] += o.area_m2;
        }
    }
    std::vector<std::optional<double>> out(target_count);
    for (std::size_t j = 0; j < target_count; ++j) {
        if (!reached[j]) continue;
        if (variable.quantity == Quantity::Extensive) out[j] = numerator[j];
        else if (denominator[j] > 0) out[j] = numerator[j] / denominator[j];
    }
    return out;
}

}  // namespace hearth
