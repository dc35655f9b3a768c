#include "hearth/export/qgis_style.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <utility>

#include <cpl_conv.h>
#include <cpl_minixml.h>

namespace hearth {

namespace {

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

struct DestroyXml {
    void operator()(CPLXMLNode* node) const { CPLDestroyXMLNode(node); }
};
using XmlTree = std::unique_ptr<CPLXMLNode, DestroyXml>;
using Attributes = std::initializer_list<std::pair<const char*, std::string>>;

/// A child element with its attributes; GDAL's serializer escapes them.
CPLXMLNode* element(CPLXMLNode* parent, const char* name, Attributes attributes = {}) {
    CPLXMLNode* node = CPLCreateXMLNode(parent, CXT_Element, name);
    for (const auto& [key, value] : attributes) CPLAddXMLAttributeAndValue(node, key, value.c_str());
    return node;
}

void add_labeling(CPLXMLNode* qgis, const LayerStyle& style, SymbolKind kind) {
    if (style.label_field.empty()) return;
    // QGIS placement codes: 1 over the point (polygon centroid), 0 around a point, 2 along a line.
    const char* placement = kind == SymbolKind::Fill ? "1" : kind == SymbolKind::Line ? "2" : "0";
    CPLXMLNode* settings = element(element(qgis, "labeling", {{"type", "simple"}}), "settings", {{"calloutType", "simple"}});
    CPLXMLNode* text = element(settings, "text-style",
                               {{"fieldName", style.label_field}, {"isExpression", "0"}, {"fontFamily", "Sans Serif"},
                                {"namedStyle", "Regular"}, {"fontWeight", "50"}, {"fontItalic", "0"},
                                {"fontSize", number(style.label_size_pt)}, {"fontSizeUnit", "Point"},
                                {"textColor", "40,40,40,255"}, {"textOpacity", "1"}, {"multilineHeight", "1"},
                                {"allowHtml", "0"}});
    element(text, "text-buffer",
            {{"bufferDraw", "1"}, {"bufferSize", "0.8"}, {"bufferSizeUnits", "MM"}, {"bufferColor", "255,255,255,255"},
             {"bufferOpacity", "0.85"}, {"bufferNoFill", "1"}, {"bufferJoinStyle", "128"}, {"bufferBlendMode", "0"}});
    element(settings, "text-format",
            {{"wrapChar", ""}, {"autoWrapLength", "18"}, {"useMaxLineLengthForAutoWrap", "1"}, {"multilineAlign", "3"},
             {"addDirectionSymbol", "0"}, {"formatNumbers", "0"}, {"decimals", "3"}, {"plussign", "0"}});
    element(settings, "placement",
            {{"placement", placement}, {"dist", "1"}, {"distUnits", "MM"}, {"offsetType", "0"}, {"centroidWhole", "0"},
             {"centroidInside", "1"}, {"fitInPolygonOnly", "0"}, {"priority", "5"}, {"overlapHandling", "PreventOverlap"}});
    element(settings, "rendering",
            {{"drawLabels", "1"}, {"obstacle", "1"}, {"obstacleFactor", "1"}, {"obstacleType", "1"},
             {"upsidedownLabels", "0"}, {"labelPerPart", "0"}, {"mergeLines", "0"}, {"limitNumLabels", "0"},
             {"maxNumLabels", "2000"}, {"displayAll", "0"}, {"fontLimitPixelSize", "0"}, {"scaleVisibility", "0"},
             {"minFeatureSize", "0"}});
}

void add_properties(CPLXMLNode* layer, const std::vector<std::pair<std::string, std::string>>& props) {
    // QGIS 3.22 reads the <Option> map; older 3.x read <prop>. Both are written, as QGIS does.
    CPLXMLNode* map = element(layer, "Option", {{"type", "Map"}});
    for (const auto& [k, v] : props) element(map, "Option", {{"type", "QString"}, {"name", k}, {"value", v}});
    for (const auto& [k, v] : props) element(layer, "prop", {{"k", k}, {"v", v}});
}

void add_symbol(CPLXMLNode* symbols, const std::string& name, const std::string& color, const LayerStyle& style,
                SymbolKind kind) {
    const char* type = kind == SymbolKind::Marker ? "marker" : kind == SymbolKind::Line ? "line" : "fill";
    CPLXMLNode* symbol = element(symbols, "symbol",
                                 {{"type", type}, {"name", name}, {"alpha", number(style.opacity)},
                                  {"clip_to_extent", "1"}, {"force_rhr", "0"}});
    const std::string fill = qgis_color(color, kind == SymbolKind::Fill ? style.fill_opacity : 1.0);
    const std::string outline = qgis_color(style.outline_color);
    const std::string width = number(style.outline_width_mm);
    auto layer = [&](const char* class_name) {
        return element(symbol, "layer", {{"class", class_name}, {"pass", "0"}, {"locked", "0"}, {"enabled", "1"}});
    };
    switch (kind) {
        case SymbolKind::Fill:
            add_properties(layer("SimpleFill"), {{"color", fill}, {"style", style.fill_opacity > 0 ? "solid" : "no"},
                                                 {"outline_color", outline}, {"outline_style", "solid"},
                                                 {"outline_width", width}, {"outline_width_unit", "MM"},
                                                 {"joinstyle", "bevel"}});
            break;
        case SymbolKind::Line:
            add_properties(layer("SimpleLine"), {{"line_color", fill}, {"line_style", "solid"},
                                                 {"line_width", number(std::max(style.outline_width_mm, 0.4))},
                                                 {"line_width_unit", "MM"}, {"capstyle", "round"}, {"joinstyle", "round"}});
            break;
        case SymbolKind::Marker:
            add_properties(layer("SimpleMarker"), {{"name", "circle"}, {"color", fill}, {"outline_color", outline},
                                                   {"outline_style", "solid"}, {"outline_width", width},
                                                   {"outline_width_unit", "MM"}, {"size", number(style.marker_size_mm)},
                                                   {"size_unit", "MM"}});
            break;
    }
}

CPLXMLNode* add_renderer(CPLXMLNode* qgis, const LayerStyle& style, SymbolKind kind) {
    const Attributes common = {{"symbollevels", "0"}, {"enableorderby", "0"}, {"forceraster", "0"}};
    CPLXMLNode* renderer = nullptr;
    switch (style.renderer) {
        case StyleRenderer::SingleSymbol: {
            renderer = element(qgis, "renderer-v2", {{"type", "singleSymbol"}});
            for (const auto& [k, v] : common) CPLAddXMLAttributeAndValue(renderer, k, v.c_str());
            add_symbol(element(renderer, "symbols"), "0", style.color, style, kind);
            break;
        }
        case StyleRenderer::Categorized: {
            renderer = element(qgis, "renderer-v2", {{"type", "categorizedSymbol"}, {"attr", style.field}});
            for (const auto& [k, v] : common) CPLAddXMLAttributeAndValue(renderer, k, v.c_str());
            CPLXMLNode* categories = element(renderer, "categories");
            for (std::size_t i = 0; i < style.categories.size(); ++i)
                element(categories, "category",
                        {{"render", "true"}, {"symbol", std::to_string(i)}, {"value", style.categories[i].value},
                         {"label", style.categories[i].label}});
            CPLXMLNode* symbols = element(renderer, "symbols");
            for (std::size_t i = 0; i < style.categories.size(); ++i)
                add_symbol(symbols, std::to_string(i), style.categories[i].color, style, kind);
            break;
        }
        case StyleRenderer::Graduated: {
            renderer = element(qgis, "renderer-v2",
                               {{"type", "graduatedSymbol"}, {"attr", style.field}, {"graduatedMethod", "GraduatedColor"}});
            for (const auto& [k, v] : common) CPLAddXMLAttributeAndValue(renderer, k, v.c_str());
            CPLXMLNode* ranges = element(renderer, "ranges");
            for (std::size_t i = 0; i < style.ranges.size(); ++i)
                element(ranges, "range",
                        {{"render", "true"}, {"symbol", std::to_string(i)}, {"lower", number(style.ranges[i].lower)},
                         {"upper", number(style.ranges[i].upper)}, {"label", style.ranges[i].label}});
            CPLXMLNode* symbols = element(renderer, "symbols");
            for (std::size_t i = 0; i < style.ranges.size(); ++i)
                add_symbol(symbols, std::to_string(i), style.ranges[i].color, style, kind);
            break;
        }
    }
    return renderer;
}

}  // namespace

std::string qgis_style_qml(const LayerStyle& style, SymbolKind kind) {
    // Built as a tree and serialised by GDAL's XML writer (CPLXMLNode), which escapes
    // every attribute: a label or category value may hold <, & or quotes.
    XmlTree qgis(CPLCreateXMLNode(nullptr, CXT_Element, "qgis"));
    CPLAddXMLAttributeAndValue(qgis.get(), "version", "3.22.0");
    CPLAddXMLAttributeAndValue(qgis.get(), "styleCategories", "Symbology|Labeling");
    CPLAddXMLAttributeAndValue(qgis.get(), "labelsEnabled", style.label_field.empty() ? "0" : "1");
    add_renderer(qgis.get(), style, kind);
    add_labeling(qgis.get(), style, kind);
    CPLCreateXMLElementAndValue(qgis.get(), "blendMode", "0");
    CPLCreateXMLElementAndValue(qgis.get(), "featureBlendMode", "0");
    CPLCreateXMLElementAndValue(qgis.get(), "layerGeometryType",
                                kind == SymbolKind::Marker ? "0" : kind == SymbolKind::Line ? "1" : "2");
    std::unique_ptr<char, decltype(&CPLFree)> text(CPLSerializeXMLTree(qgis.get()), &CPLFree);
    if (!text) throw std::runtime_error("qgis_style_qml: GDAL could not serialise the style");
    return std::string("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n") + text.get();
}

}  // namespace hearth
