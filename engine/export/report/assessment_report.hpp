#pragma once
// report.html: one self-contained page (no network assets, no script) that a regeneration
// lead can put in front of a committee: for each brief its scorecard, maps drawn as SVG
// from the geometries (legend, scale bar, north arrow), bar charts of baseline against
// proposal, the options side by side, the assumptions, the sensitivity, the data sources
// with their licences, and a glossary. It reads plain scorecard data and the layers
// already built for assessment.gpkg; it computes nothing.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <ogr_geometry.h>

#include "hearth/core/feature_table.hpp"
#include "hearth/core/layer_style.hpp"
#include "hearth/core/scorecard.hpp"
#include "hearth/export/atomic_output.hpp"

namespace hearth {

enum class ReportMarker { Circle, Square };

/// A layer drawn on a report map: the rows of `table` whose `brief` field is `brief`
/// (every row when `brief` is empty), in its QGIS style's colours.
struct ReportMapLayer {
    const FeatureTable* table = nullptr;
    std::string brief;
    LayerStyle style;
    std::string legend;  ///< legend heading; empty: left out of the legend
    ReportMarker marker = ReportMarker::Circle;  ///< for point layers
};

struct ReportMap {
    std::string title;
    std::string caption;
    std::vector<ReportMapLayer> layers;  ///< drawn in order, the first underneath
    OGREnvelope extent;                  ///< what the map frames (e.g. the catchment)
};

/// `maps[b]` are the maps of the scorecard's brief b (in the scorecard's order).
/// Written under a temporary name; the caller commits it with the run's other outputs.
std::unique_ptr<AtomicOutput> write_assessment_report(const std::filesystem::path& file, const Scorecard& scorecard,
                                                      const std::vector<std::vector<ReportMap>>& maps);

/// The SVG of one map, for tests and for reuse: `width` × `height` pixels.
std::string render_map_svg(const ReportMap& map, int width, int height);

}  // namespace hearth
