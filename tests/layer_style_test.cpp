#include <gtest/gtest.h>

#include "hearth/layer_style.hpp"
#include "hearth/recipe.hpp"
#include "test_support.hpp"

using namespace hearth;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
}

}  // namespace

TEST(LayerStyleTest, ImdDecilesAreATenClassCategorizedFillWithDecileOneDarkRed) {
    const Recipe imd = load_recipe(test::kLayers / "imd2019_file7.yaml");
    const std::string qml = qgis_style_qml(imd.style, SymbolKind::Fill);
    EXPECT_NE(qml.find(R"(<renderer-v2 type="categorizedSymbol" attr="imd_decile")"), std::string::npos);
    EXPECT_EQ(count(qml, "<category "), 10u);
    EXPECT_EQ(count(qml, "class=\"SimpleFill\""), 10u);
    EXPECT_NE(qml.find(R"x(value="1" label="1 (most deprived 10%)")x"), std::string::npos);
    // Symbol 0 (decile 1) is #a50026.
    const auto symbol0 = qml.find(R"(<symbol type="fill" name="0")");
    ASSERT_NE(symbol0, std::string::npos);
    EXPECT_EQ(qml.find(R"(name="color" value="165,0,38,255")", symbol0),
              qml.find(R"(name="color" value=)", symbol0));
}

TEST(LayerStyleTest, PointLayersGetMarkersAndTextIsEscaped) {
    LayerStyle style;
    style.renderer = StyleRenderer::Categorized;
    style.field = "tenure";
    style.categories = {{"A&B", "<A & B>", "#000000"}};
    const std::string qml = qgis_style_qml(style, SymbolKind::Marker);
    EXPECT_NE(qml.find("class=\"SimpleMarker\""), std::string::npos);
    EXPECT_NE(qml.find(R"(value="A&amp;B" label="&lt;A &amp; B&gt;")"), std::string::npos);
    EXPECT_EQ(qml.find("<A & B>"), std::string::npos);
}

TEST(LayerStyleTest, GraduatedStyleWritesRanges) {
    LayerStyle style;
    style.renderer = StyleRenderer::Graduated;
    style.field = "ptal_ai";
    style.ranges = {{0, 2.5, "low", "#ffffff"}, {2.5, 10, "high", "#000000"}};
    const std::string qml = qgis_style_qml(style, SymbolKind::Fill);
    EXPECT_NE(qml.find(R"(<range render="true" symbol="1" lower="2.5" upper="10" label="high"/>)"), std::string::npos);
}

TEST(LayerStyleTest, MalformedColourIsRejected) {
    LayerStyle style;
    style.color = "red";
    EXPECT_THROW(qgis_style_qml(style, SymbolKind::Fill), std::invalid_argument);
}

TEST(LayerStyleTest, ZeroFillOpacityDrawsOutlinesOnly) {
    LayerStyle style;
    style.fill_opacity = 0.0;
    style.outline_color = "#222222";
    const std::string qml = qgis_style_qml(style, SymbolKind::Fill);
    EXPECT_NE(qml.find(R"(name="style" value="no")"), std::string::npos);
    EXPECT_NE(qml.find(R"(name="outline_color" value="34,34,34,255")"), std::string::npos);
    EXPECT_NE(qml.find(R"(alpha="1")"), std::string::npos);
}
