#include <gtest/gtest.h>

#include "hearth/core/field_names.hpp"
#include "hearth/core/repeated_keys.hpp"

using namespace hearth;

TEST(FieldNamesTest, NormalisingDropsByteOrderMarkCaseAndPunctuation) {
    EXPECT_EQ(normalise_field_name("\xEF\xBB\xBFLSOA code (2011)"), "lsoa code 2011");
    EXPECT_EQ(normalise_field_name("  Income Score (rate) "), "income score rate");
    EXPECT_EQ(normalise_field_name("NO2-2019-mean"), "no2 2019 mean");
}

TEST(FieldNamesTest, PublishedHeaderWithExplanatorySuffixMatchesShortName) {
    const std::vector<std::string> headers = {
        "LSOA code (2011)", "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"};
    const auto m = match_field(headers, {"Index of Multiple Deprivation (IMD) Decile"});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->header_index, 2);
    EXPECT_EQ(m->kind, FieldMatchKind::HeaderExtendsCandidate);
}

TEST(FieldNamesTest, ExactMatchWinsOverPrefixMatchOfAnEarlierCandidate) {
    const std::vector<std::string> headers = {"Income Score (rate)", "Income Score"};
    const auto m = match_field(headers, {"income score"});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->header_index, 1);
    EXPECT_EQ(m->kind, FieldMatchKind::Exact);
}

TEST(FieldNamesTest, ByteOrderMarkOnFirstHeaderStillMatches) {
    const auto m = match_field({"\xEF\xBB\xBFgeography code", "x"}, {"geography code"});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->header_index, 0);
}

TEST(FieldNamesTest, ShapefileTruncatedHeaderMatchesLongName) {
    // DBF keeps 10 characters: "Index of Multiple Deprivation (IMD) Score" -> "Index_of_M".
    const auto m = match_field({"LSOA11CD", "IMD_Score_"}, {"IMD Score (rank)"});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->header_index, 1);
    EXPECT_EQ(m->kind, FieldMatchKind::HeaderTruncatesCandidate);
}

TEST(FieldNamesTest, ShortHeadersAreNotTakenForTruncations) {
    EXPECT_FALSE(match_field({"Index"}, {"Index of Multiple Deprivation (IMD) Score"}));
}

TEST(FieldNamesTest, PrefixMustEndAtAWordBoundary) {
    EXPECT_FALSE(match_field({"Income Scores"}, {"Income Score"}));
}

TEST(FieldNamesTest, TwoHeadersMatchingEquallyIsAnError) {
    EXPECT_THROW(match_field({"Crime Score (a)", "Crime Score (b)"}, {"Crime Score"}), std::invalid_argument);
}

TEST(FieldNamesTest, ClosestNamesPutTheLikelyTypoFirst) {
    const auto c = closest_field_names({"LSOA11NM", "LSOA11CD", "USUALRES", "HHOLDS"}, {"LSOA11C"});
    ASSERT_FALSE(c.empty());
    EXPECT_EQ(c.front(), "LSOA11CD");
    EXPECT_LE(c.size(), 3u);
}

TEST(FieldNamesTest, ClosestNamesConsiderEveryAcceptedSpelling) {
    const auto c = closest_field_names({"Index of Multiple Deprivation (IMD) Decile", "IMD Scor"},
                                       {"Index of Multiple Deprivation (IMD) Score", "imd_score"});
    ASSERT_FALSE(c.empty());
    EXPECT_EQ(c.front(), "IMD Scor");
}

TEST(RepeatedKeysTest, EachRepeatIsNamedWithTheFirstRowOfItsKeyAndEmptyKeysAreNotKeys) {
    const auto repeats = repeated_keys({"a", "b", "a", "", "", "b", "a"});
    ASSERT_EQ(repeats.size(), 3u);
    EXPECT_EQ(repeats[0].later, 2u);
    EXPECT_EQ(repeats[0].first, 0u);
    EXPECT_EQ(repeats[1].later, 5u);
    EXPECT_EQ(repeats[1].first, 1u);
    EXPECT_EQ(repeats[2].later, 6u);
    EXPECT_EQ(repeats[2].first, 0u);
    EXPECT_TRUE(repeated_keys({"x", "y", ""}).empty());
}
