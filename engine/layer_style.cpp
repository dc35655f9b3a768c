#include "hearth/layer_style.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace hearth {

namespace {

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

/// "#a50026" -> "165,0,38,255", QGIS's colour notation; alpha 0..1.
std::string qgis_color(const std::string& hex, double alpha = 1.0) {
    unsigned r = 0, g = 0, b = 0;
    if (hex.size() != 7 || hex[0] != '#' || std::sscanf(hex.c_str() + 1, "%2x%2x%2x", &r, &g, &b) != 3)
        throw std::invalid_argument("colour '" + hex + "' is not of the form #rrggbb");
    const int a = static_cast<int>(std::lround(std::clamp(alpha, 0.0, 1.0) * 255));
    return std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + "," + std::to_string(a);
}

/// Shortest text that reads back as the same double, so a class bound is never rounded
/// past the value it must include.
std::string number(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

void write_labeling(std::ostringstream& xml, const LayerStyle& style, SymbolKind kind) {
    if (style.label_field.empty()) return;
    // QGIS placement codes: 1 over the point (polygon centroid), 0 around a point, 2 along a line.
    const char* placement = kind == SymbolKind::Fill ? "1" : kind == SymbolKind::Line ? "2" : "0";
    xml << "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
        << "      <text-style fieldName=\"" << xml_escape(style.label_field)
        << "\" isExpression=\"0\" fontFamily=\"Sans Serif\" namedStyle=\"Regular\" fontWeight=\"50\" fontItalic=\"0\""
        << " fontSize=\"" << number(style.label_size_pt) << "\" fontSizeUnit=\"Point\" textColor=\"40,40,40,255\""
        << " textOpacity=\"1\" multilineHeight=\"1\" allowHtml=\"0\">\n"
        << "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\""
        << " bufferOpacity=\"0.85\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/>\n"
        << "      </text-style>\n"
        << "      <text-format wrapChar=\"\" autoWrapLength=\"18\" useMaxLineLengthForAutoWrap=\"1\" multilineAlign=\"3\""
        << " addDirectionSymbol=\"0\" formatNumbers=\"0\" decimals=\"3\" plussign=\"0\"/>\n"
        << "      <placement placement=\"" << placement << "\" dist=\"1\" distUnits=\"MM\" offsetType=\"0\""
        << " centroidWhole=\"0\" centroidInside=\"1\" fitInPolygonOnly=\"0\" priority=\"5\" overlapHandling=\"PreventOverlap\"/>\n"
        << "      <rendering drawLabels=\"1\" obstacle=\"1\" obstacleFactor=\"1\" obstacleType=\"1\" upsidedownLabels=\"0\""
        << " labelPerPart=\"0\" mergeLines=\"0\" limitNumLabels=\"0\" maxNumLabels=\"2000\" displayAll=\"0\""
        << " fontLimitPixelSize=\"0\" scaleVisibility=\"0\" minFeatureSize=\"0\"/>\n"
        << "    </settings>\n  </labeling>\n";
}

void write_properties(std::ostringstream& xml, const std::vector<std::pair<std::string, std::string>>& props) {
    // QGIS 3.22 reads the <Option> map; older 3.x read <prop>. Both are written, as QGIS does.
    xml << "        <Option type=\"Map\">\n";
    for (const auto& [k, v] : props)
        xml << "          <Option type=\"QString\" name=\"" << k << "\" value=\"" << xml_escape(v) << "\"/>\n";
    xml << "        </Option>\n";
    for (const auto& [k, v] : props) xml << "        <prop k=\"" << k << "\" v=\"" << xml_escape(v) << "\"/>\n";
}

void write_symbol(std::ostringstream& xml, const std::string& name, const std::string& color, const LayerStyle& style,
                  SymbolKind kind) {
    const char* type = kind == SymbolKind::Marker ? "marker" : kind == SymbolKind::Line ? "line" : "fill";
    xml << "      <symbol type=\"" << type << "\" name=\"" << name << "\" alpha=\"" << number(style.opacity)
        << "\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
    const std::string fill = qgis_color(color, kind == SymbolKind::Fill ? style.fill_opacity : 1.0);
    const std::string outline = qgis_color(style.outline_color);
    const std::string width = number(style.outline_width_mm);
    switch (kind) {
        case SymbolKind::Fill:
            xml << "        <layer class=\"SimpleFill\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
            write_properties(xml, {{"color", fill}, {"style", style.fill_opacity > 0 ? "solid" : "no"},
                                   {"outline_color", outline},
                                   {"outline_style", "solid"}, {"outline_width", width},
                                   {"outline_width_unit", "MM"}, {"joinstyle", "bevel"}});
            break;
        case SymbolKind::Line:
            xml << "        <layer class=\"SimpleLine\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
            write_properties(xml, {{"line_color", fill}, {"line_style", "solid"},
                                   {"line_width", number(std::max(style.outline_width_mm, 0.4))},
                                   {"line_width_unit", "MM"}, {"capstyle", "round"}, {"joinstyle", "round"}});
            break;
        case SymbolKind::Marker:
            xml << "        <layer class=\"SimpleMarker\" pass=\"0\" locked=\"0\" enabled=\"1\">\n";
            write_properties(xml, {{"name", "circle"}, {"color", fill}, {"outline_color", outline},
                                   {"outline_style", "solid"}, {"outline_width", width},
                                   {"outline_width_unit", "MM"}, {"size", number(style.marker_size_mm)},
                                   {"size_unit", "MM"}});
            break;
    }
    xml << "        </layer>\n      </symbol>\n";
}

}  // namespace

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

std::string qgis_style_qml(const LayerStyle& style, SymbolKind kind) {
    std::ostringstream xml;
    xml << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        << "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\""
        << (style.label_field.empty() ? 0 : 1) << "\">\n";
    switch (style.renderer) {
        case StyleRenderer::SingleSymbol:
            xml << "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
                << "    <symbols>\n";
            write_symbol(xml, "0", style.color, style, kind);
            xml << "    </symbols>\n";
            break;
        case StyleRenderer::Categorized:
            xml << "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" << xml_escape(style.field)
                << "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
            for (std::size_t i = 0; i < style.categories.size(); ++i)
                xml << "      <category render=\"true\" symbol=\"" << i << "\" value=\""
                    << xml_escape(style.categories[i].value) << "\" label=\"" << xml_escape(style.categories[i].label)
                    << "\"/>\n";
            xml << "    </categories>\n    <symbols>\n";
            for (std::size_t i = 0; i < style.categories.size(); ++i)
                write_symbol(xml, std::to_string(i), style.categories[i].color, style, kind);
            xml << "    </symbols>\n";
            break;
        case StyleRenderer::Graduated:
            xml << "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" << xml_escape(style.field)
                << "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
                << "    <ranges>\n";
            for (std::size_t i = 0; i < style.ranges.size(); ++i)
                xml << "      <range render=\"true\" symbol=\"" << i << "\" lower=\"" << number(style.ranges[i].lower)
                    << "\" upper=\"" << number(style.ranges[i].upper) << "\" label=\""
                    << xml_escape(style.ranges[i].label) << "\"/>\n";
            xml << "    </ranges>\n    <symbols>\n";
            for (std::size_t i = 0; i < style.ranges.size(); ++i)
                write_symbol(xml, std::to_string(i), style.ranges[i].color, style, kind);
            xml << "    </symbols>\n";
            break;
    }
    xml << "  </renderer-v2>\n";
    write_labeling(xml, style, kind);
    xml << "  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n"
        << "  <layerGeometryType>" << (kind == SymbolKind::Marker ? 0 : kind == SymbolKind::Line ? 1 : 2)
        << "</layerGeometryType>\n</qgis>\n";
    return xml.str();
}

}  // namespace hearth
