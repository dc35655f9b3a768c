#include <gtest/gtest.h>

#include "hearth/geometry/crs.hpp"
#include "test_support.hpp"

using namespace hearth;

TEST(CrsTest, ParsesEpsgCodesAndLabelsThem) {
    EXPECT_EQ(crs_label(parse_crs("EPSG:27700")), "EPSG:27700");
    EXPECT_EQ(crs_label(parse_crs("EPSG:4326")), "EPSG:4326");
}

TEST(CrsTest, UnknownCrsIsRejectedWithItsText) {
    try {
        parse_crs("EPSG:99999999");
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("EPSG:99999999"), std::string::npos);
    }
}

TEST(CrsTest, EsriPrjOfBritishNationalGridIsTheSameCrsAsEpsg27700) {
    // The .prj that ONS and the London Datastore ship: PROJ alone rates it a 25% match.
    OGRSpatialReference esri;
    ASSERT_EQ(esri.SetFromUserInput(
                  (test::kSampleStudy / "boundaries" / "haringey_lsoa11.prj").string().c_str()),
              OGRERR_NONE);
    EXPECT_TRUE(same_crs(esri, parse_crs("EPSG:27700")));
    EXPECT_EQ(make_transform(esri, parse_crs("EPSG:27700")), nullptr);
    EXPECT_EQ(crs_label(esri), "EPSG:27700");
}

TEST(CrsTest, WgsToBritishNationalGridTakesLongitudeFirst) {
    // A vertex of LSOA E01001962: the London Datastore's BNG file has (529467.134, 191317.005);
    // its WGS84 copy (6 dp) has (-0.131865, 51.605815). PROJ's Helmert route is good to ~1 m.
    auto ct = make_transform(parse_crs("EPSG:4326"), parse_crs("EPSG:27700"));
    ASSERT_NE(ct, nullptr);
    double x = -0.131865, y = 51.605815;
    ASSERT_TRUE(ct->Transform(1, &x, &y));
    EXPECT_NEAR(x, 529467.134, 1.0);
    EXPECT_NEAR(y, 191317.005, 1.0);
}

TEST(CrsTest, DifferentProjectionsAreNotTheSame) {
    EXPECT_FALSE(same_crs(parse_crs("EPSG:27700"), parse_crs("EPSG:3857")));
    EXPECT_FALSE(same_crs(parse_crs("EPSG:27700"), parse_crs("EPSG:4326")));
}
