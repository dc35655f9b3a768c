#include "hearth/export/qgis_style.hpp"

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
