#include "hearth/core/layer_style.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace hearth {


namespace {

const std::vector<std::string>& ramp_colours(const std::string& ramp) {
    static const std::vector<std::string> yl_or_rd = {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"};
    static const std::vector<std::string> greens = {"#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"};
    static const std::vector<std::string> blues = {"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"};
    return ramp == "Greens" ? greens : ramp == "Blues" ? blues : yl_or_rd;
}

/// A class bound for a legend: three significant figures, no exponent for everyday sizes.
std::string legend_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    std::string text = buf;
    if (text.find('e') != std::string::npos && std::fabs(v) < 1e7) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
        text = buf;
    }
    return text;
}

}  // namespace

LayerStyle share_style(const std::string& field, const std::string& ramp) {
    const auto& colours = ramp_colours(ramp);
    LayerStyle style;
    style.renderer = StyleRenderer::Graduated;
    style.field = field;
    style.outline_color = "#ffffff";
    for (int k = 0; k < 5; ++k)
        style.ranges.push_back({k * 0.2, (k + 1) * 0.2,
                                std::to_string(k * 20) + " - " + std::to_string((k + 1) * 20) + "%", colours[k]});
    return style;
}

LayerStyle quantile_style(const std::string& field, std::vector<double> values, int classes, const std::string& ramp) {
    const auto& colours = ramp_colours(ramp);
    LayerStyle style;
    style.renderer = StyleRenderer::Graduated;
    style.field = field;
    style.outline_color = "#ffffff";
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.empty()) {
        style.renderer = StyleRenderer::SingleSymbol;
        return style;
    }
    std::sort(values.begin(), values.end());
    classes = std::clamp(classes, 1, static_cast<int>(colours.size()));
    std::vector<double> breaks = {values.front()};
    for (int k = 1; k <= classes; ++k) {
        const double b = values[std::min(values.size() - 1, (values.size() * k) / classes - (k == classes ? 1 : 0))];
        if (b > breaks.back() || (k == classes && breaks.size() == 1)) breaks.push_back(b);
    }
    for (std::size_t k = 0; k + 1 < breaks.size(); ++k) {
        const std::string label = legend_number(breaks[k]) + " - " + legend_number(breaks[k + 1]);
        const std::size_t colour = breaks.size() == 2 ? colours.size() - 1 : k * (colours.size() - 1) / (breaks.size() - 2);
        style.ranges.push_back({breaks[k], breaks[k + 1], label, colours[colour]});
    }
    return style;
}

}  // namespace hearth
