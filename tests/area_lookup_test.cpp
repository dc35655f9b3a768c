// Carrying a table between area vintages through ONS's lookup, on a hand-made lookup
// with one area of each kind; the expected values are worked in the comments.
#include <gtest/gtest.h>

#include "hearth/core/errors.hpp"
#include "hearth/io/area_lookup.hpp"

using namespace hearth;

namespace {

FeatureTable lookup_rows() {
    FeatureTable l;
    l.fields = {{"lsoa11cd", FieldType::String, ""}, {"lsoa21cd", FieldType::String, ""},
                {"change_indicator", FieldType::String, ""}};
    auto row = [&](const char* a, const char* b, const char* c) {
        Feature f;
        f.values = {std::string(a), std::string(b), std::string(c)};
        l.features.push_back(std::move(f));
    };
    row("A", "A", "U");     // unchanged
    row("B", "B1", "S");    // B split in two
    row("B", "B2", "S");
    row("C", "CD", "M");    // C and D merged
    row("D", "CD", "M");
    return l;
}

FeatureTable imd_rows() {
    FeatureTable t;
    t.name = "imd";
    t.fields = {{"lsoa11cd", FieldType::String, ""}, {"imd_score", FieldType::Real, ""},
                {"imd_decile", FieldType::Integer, ""}, {"population", FieldType::Integer, ""},
                {"la_name", FieldType::String, ""}};
    auto row = [&](const char* code, double score, std::int64_t decile, std::int64_t people, const char* la) {
        Feature f;
        f.values = {std::string(code), score, decile, people, std::string(la)};
        t.features.push_back(std::move(f));
    };
    row("A", 10.0, 7, 1500, "Haringey");
    row("B", 40.0, 1, 2000, "Haringey");
    row("C", 20.0, 4, 1000, "Haringey");
    row("D", 50.0, 1, 3000, "Enfield");
    return t;
}

}  // namespace

TEST(AreaLookupTest, UnchangedAndSplitAreasTakeTheirValuesMergedAreasAPopulationWeightedMean) {
    const FeatureTable l = lookup_rows();
    const FeatureTable t = carry_through_lookup(imd_rows(), "lsoa11cd", {&l, "lsoa11cd", "lsoa21cd", "change_indicator"},
                                                "population");
    ASSERT_EQ(t.features.size(), 4u);  // A, B1, B2, CD (in code order)
    ASSERT_EQ(t.fields.front().name, "lsoa21cd");
    ASSERT_EQ(t.fields.back().name, "area_change");
    auto value = [&](std::size_t row, const std::string& field) { return t.features[row].values[t.field_index(field)]; };
    EXPECT_EQ(std::get<std::string>(value(0, "lsoa21cd")), "A");
    EXPECT_EQ(std::get<double>(value(0, "imd_score")), 10.0);
    EXPECT_EQ(std::get<std::string>(value(0, "area_change")), "U");
    // Both halves of B carry B's score: its residents share it.
    EXPECT_EQ(std::get<double>(value(1, "imd_score")), 40.0);
    EXPECT_EQ(std::get<double>(value(2, "imd_score")), 40.0);
    EXPECT_EQ(std::get<std::string>(value(2, "area_change")), "S");
    // CD: (1000 × 20 + 3000 × 50) / 4000 = 42.5; decile (1000 × 4 + 3000 × 1) / 4000 = 1.75.
    EXPECT_DOUBLE_EQ(std::get<double>(value(3, "imd_score")), 42.5);
    EXPECT_DOUBLE_EQ(std::get<double>(value(3, "imd_decile")), 1.75);
    EXPECT_EQ(std::get<std::string>(value(3, "area_change")), "M");
    // Text that differs between merged areas is left empty rather than picked.
    EXPECT_TRUE(std::holds_alternative<std::monostate>(value(3, "la_name")));
    EXPECT_EQ(std::get<std::string>(value(0, "la_name")), "Haringey");
}

TEST(AreaLookupTest, WithoutAMergeWholeNumbersStayWholeAndWithoutAWeightTheMeanIsPlain) {
    FeatureTable l = lookup_rows();
    l.features.resize(3);  // A and B only
    const FeatureTable t = carry_through_lookup(imd_rows(), "lsoa11cd", {&l, "lsoa11cd", "lsoa21cd", "change_indicator"});
    EXPECT_EQ(t.fields[t.field_index("imd_decile")].type, FieldType::Integer);
    EXPECT_EQ(std::get<std::int64_t>(t.features[1].values[t.field_index("imd_decile")]), 1);

    const FeatureTable all = lookup_rows();
    const FeatureTable plain = carry_through_lookup(imd_rows(), "lsoa11cd", {&all, "lsoa11cd", "lsoa21cd", "change_indicator"});
    EXPECT_DOUBLE_EQ(std::get<double>(plain.features[3].values[plain.field_index("imd_score")]), 35.0);  // (20 + 50) / 2
}

TEST(AreaLookupTest, AMissingLookupFieldIsNamed) {
    const FeatureTable l = lookup_rows();
    EXPECT_THROW(carry_through_lookup(imd_rows(), "lsoa11cd", {&l, "lsoa11cd", "lsoa22cd", "change_indicator"}),
                 InputError);
    EXPECT_THROW(carry_through_lookup(imd_rows(), "lsoa11cd", {&l, "lsoa11cd", "lsoa21cd", "change_indicator"}, "pop"),
                 InputError);
}
