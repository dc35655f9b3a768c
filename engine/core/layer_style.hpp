#pragma once
// A layer's default QGIS style as data: declared in its recipe or built by an analysis,
// written as QML by export/qgis_style into the GeoPackage's layer_styles table.

#include <string>
#include <vector>

namespace hearth {

enum class StyleRenderer { SingleSymbol, Categorized, Graduated };

/// One class of a categorized style: features whose field equals `value`.
struct StyleCategory {
    std::string value;
    std::string label;
    std::string color;  ///< "#rrggbb"
};

/// One class of a graduated style: lower <= value <= upper.
struct StyleRange {
    double lower;
    double upper;
    std::string label;
    std::string color;
};

struct LayerStyle {
    StyleRenderer renderer = StyleRenderer::SingleSymbol;
    std::string field;                    ///< canonical field the classes read
    std::string color = "#9e9e9e";        ///< single-symbol fill / marker / line colour
    std::string outline_color = "#ffffff";
    double outline_width_mm = 0.1;
    double marker_size_mm = 2.0;
    double opacity = 1.0;                 ///< 0..1, whole symbol (fill and outline)
    double fill_opacity = 1.0;            ///< 0..1, fill colour only: 0 draws outlines alone
    std::vector<StyleCategory> categories;
    std::vector<StyleRange> ranges;
    std::string label_field;              ///< when set, features are labelled with this field
    double label_size_pt = 8.0;
};


/// A graduated style on `field` with up to `classes` quantile classes of `values`,
/// light to dark along a sequential ramp (ColorBrewer YlOrRd, or Greens/Blues by name).
LayerStyle quantile_style(const std::string& field, std::vector<double> values, int classes = 5,
                          const std::string& ramp = "YlOrRd");

/// A graduated style for a share from 0 to 1, in five fixed classes labelled as
/// percentages (0-20%, ..., 80-100%), so every layer with the share reads the same.
LayerStyle share_style(const std::string& field, const std::string& ramp = "YlOrRd");



}  // namespace hearth
