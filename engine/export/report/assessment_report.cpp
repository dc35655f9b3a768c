#include "hearth/export/report/assessment_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <ogr_api.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/published_text.hpp"

namespace hearth {

namespace {

std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string num(double x, int decimals = 1) { return with_thousands(x, decimals); }

int decimals_for(const std::string& unit, double x) {
    if (x == 0) return 0;
    if (unit == "homes" || unit == "people" || unit == "practices" || unit == "pockets" || unit == "m" || unit == "m2" ||
        unit == "stops" || unit == "band")
        return 0;
    if (std::fabs(x) < 1) return 3;
    return 1;
}

std::string value_cell(const std::optional<double>& v, bool suppressed, const std::string& unit, const Scorecard& s) {
    if (suppressed) return "<td class=\"suppressed\" title=\"fewer than " + std::to_string(s.suppress_below.value_or(0)) +
                           "; withheld for disclosure control\">suppressed</td>";
    if (!v || !std::isfinite(*v)) return "<td class=\"na\">–</td>";
    return "<td class=\"n\">" + num(*v, decimals_for(unit, *v)) + "</td>";
}

const char* rag_colour(const std::string& rag) {
    if (rag == "green") return "#1a9850";
    if (rag == "amber") return "#f39c12";
    return "#d73027";
}

// ---- maps

struct Frame {
    double min_x, min_y, k, offset_x, offset_y;
    int height;
    double px(double x) const { return offset_x + (x - min_x) * k; }
    double py(double y) const { return height - (offset_y + (y - min_y) * k); }
};

std::string coord(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

void ring_path(const OGRLinearRing* ring, const Frame& f, std::string& d) {
    const int n = ring->getNumPoints();
    double last_x = NAN, last_y = NAN;
    for (int i = 0; i < n; ++i) {
        const double x = f.px(ring->getX(i)), y = f.py(ring->getY(i));
        if (i && i != n - 1 && std::fabs(x - last_x) < 0.4 && std::fabs(y - last_y) < 0.4) continue;
        d += (i == 0 ? "M" : "L") + coord(x) + " " + coord(y);
        last_x = x;
        last_y = y;
    }
    d += "Z";
}

void geometry_path(const OGRGeometry* g, const Frame& f, std::string& d) {
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPolygon:
            for (const auto* ring : *g->toPolygon()) ring_path(ring, f, d);
            break;
        case wkbMultiPolygon:
            for (const auto* p : *g->toMultiPolygon()) geometry_path(p, f, d);
            break;
        case wkbGeometryCollection:
            for (const auto* p : *g->toGeometryCollection()) geometry_path(p, f, d);
            break;
        default:
            break;
    }
}

/// The colour a feature takes under a style, or "" when no class holds its value.
std::string feature_colour(const LayerStyle& s, const FeatureTable& t, const Feature& f, std::string* label = nullptr) {
    if (s.renderer == StyleRenderer::SingleSymbol) return s.color;
    const int field = t.field_index(s.field);
    if (field < 0) return s.color;
    const FieldValue& v = f.values[static_cast<std::size_t>(field)];
    if (s.renderer == StyleRenderer::Categorized) {
        const std::string text = value_text(v);
        for (const auto& c : s.categories)
            if (c.value == text) {
                if (label) *label = c.label;
                return c.color;
            }
        return "";
    }
    const auto x = value_number(v);
    if (!x) return "";
    for (const auto& r : s.ranges)
        if (*x >= r.lower && *x <= r.upper) {
            if (label) *label = r.label;
            return r.color;
        }
    return "";
}

bool in_brief(const ReportMapLayer& l, const Feature& f) {
    if (l.brief.empty()) return true;
    const int field = l.table->field_index("brief");
    return field >= 0 && value_text(f.values[static_cast<std::size_t>(field)]) == l.brief;
}

/// A round length for the scale bar: about a quarter of the map's width.
double scale_length(double width_m) {
    const double target = width_m / 4.0;
    double best = 10;
    for (double base = 10; base <= 1e6; base *= 10)
        for (double m : {1.0, 2.0, 2.5, 5.0})
            if (base * m <= target) best = base * m;
    return best;
}

}  // namespace

std::string render_map_svg(const ReportMap& map, int width, int height) {
    const int legend_width = 190;
    const int map_width = width - legend_width;
    OGREnvelope e = map.extent;
    const double pad_x = (e.MaxX - e.MinX) * 0.04 + 1, pad_y = (e.MaxY - e.MinY) * 0.04 + 1;
    e.MinX -= pad_x;
    e.MaxX += pad_x;
    e.MinY -= pad_y;
    e.MaxY += pad_y;
    const double k = std::min(map_width / (e.MaxX - e.MinX), height / (e.MaxY - e.MinY));
    Frame f{e.MinX, e.MinY, k, (map_width - (e.MaxX - e.MinX) * k) / 2.0, (height - (e.MaxY - e.MinY) * k) / 2.0, height};
    std::ostringstream svg;
    static int clip_ids = 0;
    const std::string clip = "frame" + std::to_string(++clip_ids);
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\" aria-label=\"" << escape(map.title) << "\">"
        << "<defs><clipPath id=\"" << clip << "\"><rect x=\"0\" y=\"0\" width=\"" << map_width << "\" height=\"" << height
        << "\"/></clipPath></defs>"
        << "<rect x=\"0\" y=\"0\" width=\"" << map_width << "\" height=\"" << height << "\" fill=\"#f7f7f4\"/>"
        << "<g clip-path=\"url(#" << clip << ")\">";
    OGREnvelope view;
    view.MinX = e.MinX;
    view.MaxX = e.MaxX;
    view.MinY = e.MinY;
    view.MaxY = e.MaxY;
    // legend entries per layer: label -> colour, in the style's class order
    struct LegendEntry {
        std::string label, colour;
        bool outline = false;  ///< drawn as an outline (dashed when the style is)
        bool dashed = false;
        bool point = false;
        ReportMarker marker = ReportMarker::Circle;
    };
    std::vector<std::pair<std::string, std::vector<LegendEntry>>> legend;
    std::string labels;
    for (const auto& layer : map.layers) {
        const LayerStyle& s = layer.style;
        std::set<std::string> seen;
        const double fill_opacity = s.fill_opacity * s.opacity;
        const double stroke = std::max(0.5, s.outline_width_mm * 2.0);
        const bool points = wkbFlatten(layer.table->geometry_type) == wkbPoint;
        for (const auto& feature : layer.table->features) {
            if (!feature.geometry || !in_brief(layer, feature)) continue;
            OGREnvelope fe;
            feature.geometry->getEnvelope(&fe);
            if (!fe.Intersects(view)) continue;
            std::string label;
            const std::string colour = feature_colour(s, *layer.table, feature, &label);
            if (colour.empty()) continue;
            seen.insert(s.renderer == StyleRenderer::SingleSymbol ? layer.legend : label);
            if (points) {
                const auto* p = feature.geometry->toPoint();
                const double r = std::max(1.5, s.marker_size_mm * 1.4);
                if (layer.marker == ReportMarker::Square)
                    svg << "<rect x=\"" << coord(f.px(p->getX()) - r) << "\" y=\"" << coord(f.py(p->getY()) - r) << "\" width=\""
                        << coord(2 * r) << "\" height=\"" << coord(2 * r) << "\" fill=\"" << colour << "\" fill-opacity=\""
                        << s.opacity << "\" stroke=\"" << s.outline_color << "\" stroke-width=\"0.6\"/>";
                else
                    svg << "<circle cx=\"" << coord(f.px(p->getX())) << "\" cy=\"" << coord(f.py(p->getY())) << "\" r=\""
                        << coord(r) << "\" fill=\"" << colour << "\" fill-opacity=\"" << s.opacity << "\" stroke=\""
                        << s.outline_color << "\" stroke-width=\"0.6\"/>";
            } else {
                std::string d;
                geometry_path(feature.geometry.get(), f, d);
                svg << "<path d=\"" << d << "\" fill=\"" << colour << "\" fill-opacity=\"" << fill_opacity
                    << "\" fill-rule=\"evenodd\" stroke=\"" << s.outline_color << "\" stroke-width=\"" << coord(stroke) << "\""
                    << (s.fill_opacity == 0 && s.outline_width_mm >= 0.5 && s.outline_width_mm < 0.8 ? " stroke-dasharray=\"6 3\"" : "")
                    << "/>";
            }
            if (!s.label_field.empty()) {
                const int field = layer.table->field_index(s.label_field);
                if (field < 0) continue;
                OGRGeometryH inside = OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(feature.geometry.get())));
                if (!inside) continue;
                const auto* p = OGRGeometry::FromHandle(inside)->toPoint();
                labels += "<text x=\"" + coord(f.px(p->getX())) + "\" y=\"" + coord(f.py(p->getY())) +
                          "\" class=\"label\">" + escape(value_text(feature.values[static_cast<std::size_t>(field)])) + "</text>";
                OGR_G_DestroyGeometry(inside);
            }
        }
        if (layer.legend.empty()) continue;
        std::vector<LegendEntry> entries;
        const bool outline = !points && s.fill_opacity == 0;
        const bool dashed = outline && s.outline_width_mm >= 0.5 && s.outline_width_mm < 0.8;
        auto entry = [&](const std::string& label, const std::string& colour) {
            entries.push_back({label, outline ? s.outline_color : colour, outline, dashed, points, layer.marker});
        };
        if (s.renderer == StyleRenderer::SingleSymbol) {
            if (seen.count(layer.legend)) entry(layer.legend, s.color);
        } else if (s.renderer == StyleRenderer::Categorized) {
            for (const auto& c : s.categories)
                if (seen.count(c.label)) entry(c.label, c.color);
        } else {
            for (const auto& r : s.ranges)
                if (seen.count(r.label)) entry(r.label, r.color);
        }
        if (!entries.empty()) legend.emplace_back(layer.legend, entries);
    }
    svg << labels << "</g>";
    svg << "<rect x=\"0.5\" y=\"0.5\" width=\"" << map_width - 1 << "\" height=\"" << height - 1
        << "\" fill=\"none\" stroke=\"#444\"/>";

    // Scale bar (bottom left) and north arrow (top right): British National Grid's north.
    const double metres = scale_length((e.MaxX - e.MinX));
    const double bar = metres * k;
    const double bx = 14, by = height - 18;
    svg << "<g class=\"scale\"><rect x=\"" << bx - 4 << "\" y=\"" << by - 16 << "\" width=\"" << coord(bar + 48)
        << "\" height=\"26\" fill=\"#ffffff\" fill-opacity=\"0.8\"/>"
        << "<rect x=\"" << bx << "\" y=\"" << by << "\" width=\"" << coord(bar / 2) << "\" height=\"5\" fill=\"#222\"/>"
        << "<rect x=\"" << coord(bx + bar / 2) << "\" y=\"" << by << "\" width=\"" << coord(bar / 2)
        << "\" height=\"5\" fill=\"#fff\" stroke=\"#222\" stroke-width=\"0.8\"/>"
        << "<text x=\"" << bx << "\" y=\"" << by - 4 << "\">0</text><text x=\"" << coord(bx + bar) << "\" y=\"" << by - 4
        << "\" text-anchor=\"middle\">" << (metres >= 1000 ? num(metres / 1000.0, metres >= 10000 ? 0 : 1) + " km" : num(metres, 0) + " m")
        << "</text></g>";
    const double nx = map_width - 26, ny = 14;
    svg << "<g class=\"north\"><path d=\"M" << nx << " " << ny << " L" << nx + 9 << " " << ny + 26 << " L" << nx << " " << ny + 20
        << " L" << nx - 9 << " " << ny + 26 << " Z\" fill=\"#222\"/><text x=\"" << nx << "\" y=\"" << ny + 40
        << "\" text-anchor=\"middle\" font-weight=\"bold\">N</text></g>";

    // Legend (right)
    double ly = 16;
    const double lx = map_width + 12;
    for (const auto& [heading, entries] : legend) {
        svg << "<text x=\"" << lx << "\" y=\"" << ly << "\" class=\"legend-heading\">" << escape(heading) << "</text>";
        ly += 6;
        for (const auto& en : entries) {
            if (en.point && en.marker == ReportMarker::Circle)
                svg << "<circle cx=\"" << lx + 7 << "\" cy=\"" << ly + 5.5 << "\" r=\"4.5\" fill=\"" << en.colour
                    << "\" stroke=\"#666\" stroke-width=\"0.5\"/>";
            else if (en.outline)
                svg << "<rect x=\"" << lx + 1 << "\" y=\"" << ly + 1 << "\" width=\"12\" height=\"9\" fill=\"none\" stroke=\""
                    << en.colour << "\" stroke-width=\"" << (en.dashed ? "1.2\" stroke-dasharray=\"3 2" : "2") << "\"/>";
            else
                svg << "<rect x=\"" << lx << "\" y=\"" << ly << "\" width=\"14\" height=\"11\" fill=\"" << en.colour
                    << "\" stroke=\"#666\" stroke-width=\"0.5\"/>";
            svg << "<text x=\"" << lx + 20 << "\" y=\"" << ly + 9.5 << "\">"
                << escape(en.label.size() > 30 ? en.label.substr(0, 29) + "…" : en.label) << "</text>";
            ly += 15;
        }
        ly += 12;
    }
    svg << "</svg>";
    return svg.str();
}

namespace {

// ---- charts

/// Baseline (grey) and proposal (the criterion's rating colour) per criterion, 0-100.
std::string criteria_chart(const BriefScorecard& b) {
    const int label_width = 210, bar_width = 380, row = 34, top = 24;
    const int height = top + static_cast<int>(b.criteria.size()) * row + 26;
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" << label_width + bar_width + 60
        << "\" height=\"" << height << "\" role=\"img\" aria-label=\"Criteria scores, baseline and proposal\">";
    svg << "<rect x=\"" << label_width << "\" y=\"4\" width=\"12\" height=\"10\" fill=\"#bdbdbd\"/><text x=\""
        << label_width + 16 << "\" y=\"13\">baseline</text><rect x=\"" << label_width + 90
        << "\" y=\"4\" width=\"12\" height=\"10\" fill=\"#1a9850\"/><text x=\"" << label_width + 106
        << "\" y=\"13\">proposal (colour: rating)</text>";
    for (int t = 0; t <= 100; t += 25) {
        const double x = label_width + bar_width * t / 100.0;
        svg << "<line x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << height - 22
            << "\" stroke=\"#e0e0e0\"/><text x=\"" << x << "\" y=\"" << height - 8 << "\" text-anchor=\"middle\">" << t
            << "</text>";
    }
    int y = top;
    for (const auto& c : b.criteria) {
        svg << "<text x=\"" << label_width - 8 << "\" y=\"" << y + 20 << "\" text-anchor=\"end\">" << escape(c.title)
            << (c.weight == 0 ? " (weight 0)" : "") << "</text>";
        if (c.baseline_score)
            svg << "<rect x=\"" << label_width << "\" y=\"" << y + 4 << "\" width=\"" << coord(bar_width * *c.baseline_score / 100.0)
                << "\" height=\"10\" fill=\"#bdbdbd\"/>";
        svg << "<rect x=\"" << label_width << "\" y=\"" << y + 15 << "\" width=\"" << coord(bar_width * c.score / 100.0)
            << "\" height=\"13\" fill=\"" << rag_colour(c.rag) << "\"/><text x=\""
            << coord(label_width + bar_width * c.score / 100.0 + 4) << "\" y=\"" << y + 26 << "\">" << num(c.score, 0)
            << "</text>";
        y += row;
    }
    svg << "</svg>";
    return svg.str();
}

const char* kOptionColours[] = {"#2c7bb6", "#d7191c", "#fdae61", "#7b3294", "#1a9641", "#636363"};

/// Every brief's score per criterion side by side, and their totals.
std::string options_chart(const Scorecard& s) {
    if (s.briefs.empty()) return "";
    const auto& criteria = s.briefs.front().criteria;
    const int shown = static_cast<int>(std::min<std::size_t>(s.briefs.size(), 6));
    const int label_width = 210, bar_width = 380, bar = 9, gap = 12;
    const int group = shown * bar + gap;
    const int top = 10 + 16 * ((shown + 1) / 2) + 6;
    const int height = top + static_cast<int>(criteria.size() + 1) * group + 26;
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" << label_width + bar_width + 60 << "\" height=\""
        << height << "\" role=\"img\" aria-label=\"Options side by side\">";
    for (int b = 0; b < shown; ++b) {
        const int x = label_width + (b % 2) * 220, y = 6 + 16 * (b / 2);
        svg << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"12\" height=\"10\" fill=\"" << kOptionColours[b]
            << "\"/><text x=\"" << x + 16 << "\" y=\"" << y + 9 << "\">"
            << escape(s.briefs[static_cast<std::size_t>(b)].name.substr(0, 34)) << "</text>";
    }
    for (int t = 0; t <= 100; t += 25) {
        const double x = label_width + bar_width * t / 100.0;
        svg << "<line x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << height - 22
            << "\" stroke=\"#e0e0e0\"/><text x=\"" << x << "\" y=\"" << height - 8 << "\" text-anchor=\"middle\">" << t << "</text>";
    }
    int y = top;
    for (std::size_t c = 0; c <= criteria.size(); ++c) {
        const bool total = c == criteria.size();
        svg << "<text x=\"" << label_width - 8 << "\" y=\"" << y + group / 2 << "\" text-anchor=\"end\""
            << (total ? " font-weight=\"bold\"" : "") << ">" << escape(total ? "Total" : criteria[c].title) << "</text>";
        for (int b = 0; b < shown; ++b) {
            const auto& brief = s.briefs[static_cast<std::size_t>(b)];
            const double score = total ? brief.total : brief.criteria[c].score;
            svg << "<rect x=\"" << label_width << "\" y=\"" << y + b * bar << "\" width=\"" << coord(bar_width * score / 100.0)
                << "\" height=\"" << bar - 1 << "\" fill=\"" << kOptionColours[b] << "\"/>";
        }
        y += group;
    }
    svg << "</svg>";
    return svg.str();
}

// ---- page

const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#222;margin:0 auto;max-width:1100px;padding:18px 28px;font-size:14px;line-height:1.45}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;border-bottom:2px solid #333;padding-bottom:3px;margin-top:36px}
h3{font-size:16px;margin:22px 0 6px}table{border-collapse:collapse;margin:8px 0 14px;width:100%}
th,td{border:1px solid #ccc;padding:4px 7px;vertical-align:top;text-align:left}th{background:#f0f0f0}
td.n{text-align:right;white-space:nowrap}td.na{text-align:center;color:#999}td.suppressed{color:#888;font-style:italic}
.rag{display:inline-block;min-width:52px;text-align:center;color:#fff;border-radius:3px;padding:1px 6px;font-weight:bold}
.total{font-size:30px;font-weight:bold}.muted{color:#666}.warning{background:#fff4ce;border:1px solid #e0c060;padding:8px 12px}
.maps{display:flex;flex-wrap:wrap;gap:14px}.maps figure{margin:0}.maps figcaption{font-size:12px;color:#444;max-width:560px}
svg text{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11px;fill:#222}svg .label{font-size:10px;text-anchor:middle;
paint-order:stroke;stroke:#fff;stroke-width:3px}svg .legend-heading{font-weight:bold}
dl.glossary dt{font-weight:bold;margin-top:6px}dl.glossary dd{margin-left:18px}
)";

const std::vector<std::pair<const char*, const char*>> kGlossary = {
    {"LSOA", "Lower layer Super Output Area: a small area of about 1,500 residents (ONS), the unit of the Indices of Deprivation. "
             "2011 and 2021 boundaries differ; Hearth says which it uses."},
    {"IMD decile", "The English Index of Multiple Deprivation 2019 ranks England's 32,844 LSOAs; decile 1 is the most deprived tenth, "
                   "decile 10 the least. A mean decile of 5.5 is England's middle."},
    {"Health Deprivation and Disability", "The IMD domain measuring premature death and impaired quality of life through poor "
                                          "health; higher scores are worse, England's mean is about 0."},
    {"Population-weighted", "An average in which each area counts by the number of people in it (here the people inside the "
                            "catchment), so that a large area does not outweigh a crowded one."},
    {"Catchment", "The site and the land within a set walking distance of its boundary (assess_catchment_m, straight line)."},
    {"PTAL", "Public Transport Accessibility Level (TfL): how well a place is served by public transport, from walk times to "
             "stops and services per hour; bands 0 (worst) to 6b (best)."},
    {"ANGSt", "Natural England's Accessible Natural Greenspace Standard: everyone should have a green space of at least 2 ha "
              "within 300 m of home, 20 ha within 2 km, 100 ha within 5 km and 500 ha within 10 km."},
    {"HHSRS Category 1", "A hazard in a home, under the Housing Health and Safety Rating System, serious enough that the council "
                         "must act: e.g. damp and mould, excess cold, falls."},
    {"EPC band", "Energy Performance Certificate rating from A (most efficient) to G; homes in F and G are cold and costly to heat, "
                 "and may not be let under the minimum energy efficiency standard."},
    {"GP FTE", "A full-time equivalent GP. The benchmark of 1,800 registered patients per full-time GP turns patients into GPs "
               "needed."},
    {"ICS / ICB", "Integrated Care System / Integrated Care Board: the NHS body that plans and pays for health services, including "
                  "GP premises, for an area."},
    {"RAG", "Red, amber, green rating of a criterion's 0-100 score against fixed thresholds (green at or above "
            "rag_green_min_score, amber at or above rag_amber_min_score)."},
    {"Suppressed", "A count of people or homes too small to publish without risk of identifying someone; withheld, never shown "
                   "as zero."},
};

std::string anchor(const std::string& name) {
    std::string a = "brief-";
    for (char c : name) a += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
    return a;
}

void scorecard_table(std::ostringstream& h, const BriefScorecard& b) {
    h << "<table class=\"scorecard\"><tr><th>Criterion</th><th>Baseline</th><th>Proposal</th><th>Weight</th><th>Rating</th>"
         "<th>Why</th></tr>";
    for (const auto& c : b.criteria) {
        h << "<tr><td><b>" << escape(c.title) << "</b><br><span class=\"muted\">" << escape(c.id) << "</span></td>"
          << (c.baseline_score ? "<td class=\"n\">" + num(*c.baseline_score, 0) + "</td>" : "<td class=\"na\">–</td>")
          << "<td class=\"n\"><b>" << num(c.score, 0) << "</b></td><td class=\"n\">" << num(c.weight, 2)
          << "</td><td><span class=\"rag\" style=\"background:" << rag_colour(c.rag) << "\">" << c.rag << "</span></td><td>"
          << escape(c.explanation) << "<br><span class=\"muted\">Score: " << escape(c.function) << "</span></td></tr>";
    }
    h << "<tr><td><b>Total</b></td>"
      << (b.baseline_total ? "<td class=\"n\">" + num(*b.baseline_total, 1) + "</td>" : "<td class=\"na\">–</td>")
      << "<td class=\"n\"><b>" << num(b.total, 1) << "</b></td><td colspan=\"3\">Weighted mean: Σ weight × score / Σ weight."
      << "</td></tr></table>";
}

void measures_table(std::ostringstream& h, const BriefScorecard& b, const Scorecard& s) {
    h << "<table class=\"measures\"><tr><th>Criterion</th><th>Measure</th><th>Unit</th><th>Baseline</th><th>Proposal</th>"
         "<th>Borough</th><th>England / standard</th><th>Source</th></tr>";
    for (const auto& c : b.criteria)
        for (const auto& m : c.measures)
            h << "<tr><td>" << escape(c.id) << "</td><td>" << escape(m.label) << "</td><td>" << escape(m.unit) << "</td>"
              << value_cell(m.baseline, m.baseline_suppressed, m.unit, s) << value_cell(m.proposal, m.proposal_suppressed, m.unit, s)
              << value_cell(m.borough, false, m.unit, s) << value_cell(m.england, false, m.unit, s) << "<td class=\"muted\">"
              << escape(m.source) << "</td></tr>";
    h << "</table>";
}

}  // namespace

std::unique_ptr<AtomicOutput> write_assessment_report(const std::filesystem::path& file, const Scorecard& s,
                                                      const std::vector<std::vector<ReportMap>>& maps) {
    std::ostringstream h;
    h << "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Health assessment of development briefs: "
      << escape(s.study) << "</title><style>" << kStyle << "</style></head><body>";
    h << "<h1>Health assessment of development briefs</h1><p class=\"muted\">" << escape(s.study) << " · "
      << s.briefs.size() << " brief" << (s.briefs.size() == 1 ? "" : "s") << " · working CRS " << escape(s.working_crs)
      << " · made by Hearth <code>hearth assess</code></p>";
    if (!s.illustrative_inputs.empty()) {
        h << "<p class=\"warning\"><b>Illustrative inputs.</b> Some layers behind these numbers are made up in a published schema, "
             "for demonstration: ";
        for (std::size_t i = 0; i < s.illustrative_inputs.size(); ++i) h << (i ? ", " : "") << escape(s.illustrative_inputs[i]);
        h << ". Do not quote the figures that depend on them.</p>";
    }
    if (s.suppress_below)
        h << "<p class=\"warning\">Counts of people or homes from 1 to " << *s.suppress_below - 1
          << " are suppressed (with secondary suppression where a total would reveal them).</p>";
    h << "<p>Each brief is scored on six criteria from 0 to 100 with the evidence of its place: the study's layers within "
         "the catchment of the site. Scores, weights and ratings follow the functions shown beside each criterion; the total "
         "is their weighted mean, which anyone can recompute from <code>scorecard.json</code>.</p>";

    h << "<h2>Options side by side</h2><table><tr><th>Rank</th><th>Brief</th><th>Total</th>";
    const auto& first = s.briefs.front();
    for (const auto& c : first.criteria) h << "<th>" << escape(c.title) << "</th>";
    h << "</tr>";
    int rank = 0;
    for (const auto& b : s.briefs) {
        ++rank;
        h << "<tr><td class=\"n\">" << rank << "</td><td><a href=\"#" << anchor(b.name) << "\">" << escape(b.name)
          << "</a></td><td class=\"n\"><b>" << num(b.total, 1) << "</b>"
          << (rank > 1 ? "<br><span class=\"muted\">" + num(b.total - first.total, 1) + "</span>" : "") << "</td>";
        for (std::size_t c = 0; c < b.criteria.size(); ++c) {
            const double diff = b.criteria[c].score - first.criteria[c].score;
            h << "<td class=\"n\"><span class=\"rag\" style=\"background:" << rag_colour(b.criteria[c].rag) << "\">"
              << num(b.criteria[c].score, 0) << "</span>"
              << (rank > 1 ? "<br><span class=\"muted\">" + std::string(diff > 0 ? "+" : "") + num(diff, 0) + "</span>" : "")
              << "</td>";
        }
        h << "</tr>";
    }
    h << "</table><p class=\"muted\">Below each score of a lower-ranked brief: its difference from the top-ranked brief.</p>";
    if (s.briefs.size() > 1) h << options_chart(s);

    for (std::size_t bi = 0; bi < s.briefs.size(); ++bi) {
        const auto& b = s.briefs[bi];
        h << "<h2 id=\"" << anchor(b.name) << "\">" << escape(b.name) << "</h2>";
        h << "<p><span class=\"total\">" << num(b.total, 1) << "</span> <span class=\"muted\">of 100";
        if (b.baseline_total) h << " · the same criteria before the brief: " << num(*b.baseline_total, 1);
        h << "</span></p>";
        if (!b.description.empty()) h << "<p>" << escape(b.description) << "</p>";
        for (const auto& n : b.notes) h << "<p class=\"muted\">Note: " << escape(n) << "</p>";
        h << "<h3>Scorecard</h3>";
        scorecard_table(h, b);
        h << criteria_chart(b);
        if (bi < maps.size() && !maps[bi].empty()) {
            h << "<h3>Maps</h3><div class=\"maps\">";
            for (const auto& m : maps[bi])
                h << "<figure>" << render_map_svg(m, 560 + 190, 440) << "<figcaption><b>" << escape(m.title) << ".</b> "
                  << escape(m.caption) << "</figcaption></figure>";
            h << "</div>";
        }
        h << "<h3>The numbers behind the scores</h3>";
        measures_table(h, b, s);
        h << "<h3>Programme</h3><table><tr><th>Item</th><th>Value</th><th>Unit</th></tr>";
        for (const auto& m : b.programme)
            h << "<tr><td>" << escape(m.label) << "</td>" << value_cell(m.proposal, m.proposal_suppressed, m.unit, s) << "<td>"
              << escape(m.unit) << "</td></tr>";
        h << "</table>";
        h << "<h3>Sensitivity</h3><p>Each assumption varied over its range with everything else held; the total at each end "
             "of the range and the largest change. The criterion carrying the largest share of the weight is <b>"
          << escape(b.most_sensitive_criterion)
          << "</b>: ten points on it move the total most.</p><table><tr><th>Assumption</th><th>Range</th><th>Total at "
             "low</th><th>Total at high</th><th>Largest change</th><th>Criterion moved most</th></tr>";
        for (const auto& r : b.sensitivity)
            h << "<tr><td>" << escape(r.assumption) << "</td><td>" << escape(r.range) << "</td><td class=\"n\">"
              << num(r.low_total, 1) << "</td><td class=\"n\">" << num(r.high_total, 1) << "</td><td class=\"n\">"
              << num(r.swing, 1) << "</td><td>" << escape(r.most_moved_criterion) << "</td></tr>";
        h << "</table>";
    }

    h << "<h2>Assumptions</h2><table><tr><th>Name</th><th>Value</th><th>Unit</th><th>Meaning</th><th>Source</th></tr>";
    for (const auto& a : s.assumptions) {
        char v[32];
        std::snprintf(v, sizeof v, "%g", a.value);
        h << "<tr><td><code>" << escape(a.name) << "</code></td><td class=\"n\">" << v << "</td><td>" << escape(a.unit)
          << "</td><td>" << escape(a.meaning) << "</td><td class=\"muted\">" << escape(a.source) << "</td></tr>";
    }
    h << "</table><h2>Data sources</h2><table><tr><th>Layer</th><th>Source</th><th>Licence and attribution</th></tr>";
    for (const auto& src : s.sources)
        h << "<tr><td>" << escape(src.layer) << "</td><td>" << escape(src.title) << " <span class=\"muted\">(" << escape(src.recipe)
          << ")</span></td><td>" << escape(src.licence) << (src.attribution.empty() ? "" : ". " + escape(src.attribution))
          << "</td></tr>";
    h << "</table><h2>Glossary</h2><dl class=\"glossary\">";
    for (const auto& [term, meaning] : kGlossary) h << "<dt>" << escape(term) << "</dt><dd>" << escape(meaning) << "</dd>";
    h << "</dl><p class=\"muted\">Distances are straight lines, not walking routes. Methods and their sources: Hearth's "
         "docs/methods.md, \"Scoring development briefs\".</p></body></html>\n";

    auto out = std::make_unique<AtomicOutput>(file);
    std::ofstream f(out->temporary_path(), std::ios::binary);
    f << h.str();
    f.close();
    if (!f) throw OutputError("cannot write " + file.string());
    return out;
}

}  // namespace hearth
