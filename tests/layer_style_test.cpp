#include <gtest/gtest.h>

#include <memory>

#include <cpl_minixml.h>

#include "hearth/core/layer_style.hpp"
#include "hearth/export/qgis_style.hpp"
#include "hearth/io/recipe.hpp"
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
    EXPECT_NE(qml.find(R"(<range render="true" symbol="1" lower="2.5" upper="10" label="high" />)"), std::string::npos);
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

TEST(LayerStyleTest, SharesAreFivePercentClassesTheSameForEveryLayer) {
    const LayerStyle s = share_style("share_angst_2ha_300m", "Greens");
    ASSERT_EQ(s.ranges.size(), 5u);
    EXPECT_EQ(s.ranges.front().label, "0 - 20%");
    EXPECT_EQ(s.ranges.back().label, "80 - 100%");
    EXPECT_DOUBLE_EQ(s.ranges.back().upper, 1.0);
}

TEST(LayerStyleTest, ClassBoundsKeepFullPrecisionAndLegendsAreRounded) {
    // With 6 significant digits the top bound 0.1234567 would be written 0.123457 and the
    // largest value would still fit, but 1234567.25 would become 1.23457e+06 and fall outside.
    const LayerStyle s = quantile_style("v", {0.11976012, 0.3, 0.4, 0.5, 1234567.25});
    const std::string qml = qgis_style_qml(s, SymbolKind::Fill);
    EXPECT_NE(qml.find("upper=\"1234567.25\""), std::string::npos) << qml;
    EXPECT_NE(qml.find("lower=\"0.11976012\""), std::string::npos) << qml;
    EXPECT_EQ(s.ranges.front().label.substr(0, 5), "0.12 ") << s.ranges.front().label;
    EXPECT_EQ(s.ranges.back().label.substr(s.ranges.back().label.size() - 7), "1234567") << s.ranges.back().label;
}

TEST(LayerStyleTest, LabelledStylesEnableQgisLabelsOnTheirField) {
    const Recipe wards = load_recipe(test::kLayers / "ons_wards.yaml");
    const std::string qml = qgis_style_qml(wards.style, SymbolKind::Fill);
    EXPECT_NE(qml.find("labelsEnabled=\"1\""), std::string::npos);
    EXPECT_NE(qml.find("<labeling type=\"simple\">"), std::string::npos);
    EXPECT_NE(qml.find("fieldName=\"ward_name\""), std::string::npos);
    const Recipe imd = load_recipe(test::kLayers / "imd2019_file7.yaml");
    EXPECT_NE(qgis_style_qml(imd.style, SymbolKind::Fill).find("labelsEnabled=\"0\""), std::string::npos);
}

TEST(LayerStyleTest, LabelsAndValuesWithMarkupCharactersAreEscapedAndReadBack) {
    LayerStyle style;
    style.renderer = StyleRenderer::Categorized;
    style.field = "landlord";
    style.categories = {{"Smith & Sons <Homes>", "\"Smith\" & Sons", "#1b9e77"}};
    const std::string qml = qgis_style_qml(style, SymbolKind::Marker);
    std::unique_ptr<CPLXMLNode, decltype(&CPLDestroyXMLNode)> tree(
        CPLParseXMLString(qml.substr(qml.find("<qgis")).c_str()), &CPLDestroyXMLNode);
    ASSERT_TRUE(tree) << qml;
    const CPLXMLNode* category = CPLGetXMLNode(tree.get(), "=qgis.renderer-v2.categories.category");
    ASSERT_TRUE(category);
    EXPECT_STREQ(CPLGetXMLValue(category, "value", ""), "Smith & Sons <Homes>");
    EXPECT_STREQ(CPLGetXMLValue(category, "label", ""), "\"Smith\" & Sons");
}
