#include <gtest/gtest.h>

#include "hearth/core/errors.hpp"
#include "hearth/io/table_join.hpp"

using namespace hearth;

namespace {

FeatureTable table(const std::string& name, std::vector<FieldDefinition> fields,
                   std::vector<std::vector<FieldValue>> rows) {
    FeatureTable t;
    t.name = name;
    t.source = name + ".csv";
    t.fields = std::move(fields);
    std::int64_t n = 0;
    for (auto& r : rows) {
        Feature f;
        f.source_row = ++n;
        f.values = std::move(r);
        t.features.push_back(std::move(f));
    }
    return t;
}

FeatureTable lsoas() {
    return table("lsoa", {{"lsoa11cd", FieldType::String, ""}},
                 {{std::string("E01000001")}, {std::string("E01000002")}, {std::string("E01000003")}});
}

}  // namespace

TEST(TableJoinTest, CarriesTableFieldsOntoMatchingFeaturesAndNullsElsewhere) {
    auto target = lsoas();
    const auto imd = table("imd", {{"lsoa11cd", FieldType::String, ""}, {"imd_decile", FieldType::Integer, ""}},
                           {{std::string("E01000002"), std::int64_t{1}},
                            {std::string("E01000001"), std::int64_t{7}},
                            {std::string("E01099999"), std::int64_t{4}}});
    const auto report = join_table(target, "lsoa11cd", imd, "lsoa11cd");

    ASSERT_EQ(target.fields.size(), 2u);
    EXPECT_EQ(target.fields[1].name, "imd_decile");
    EXPECT_EQ(std::get<std::int64_t>(target.features[0].values[1]), 7);
    EXPECT_EQ(std::get<std::int64_t>(target.features[1].values[1]), 1);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(target.features[2].values[1]));
    EXPECT_EQ(report.matched, 2u);
    EXPECT_EQ(report.unmatched_targets, std::vector<std::string>{"E01000003"});
    EXPECT_EQ(report.unused_rows, 1u);
    EXPECT_EQ(report.unused_examples, std::vector<std::string>{"E01099999"});
    EXPECT_EQ(describe_join(report, "imd", "lsoa11cd", 3),
              "joined imd on lsoa11cd: 2 of 3 matched; no row for E01000003; 1 table rows outside the layer");
}

TEST(TableJoinTest, DuplicateKeyInTableNamesKeyAndBothRows) {
    auto target = lsoas();
    const auto dup = table("imd", {{"lsoa11cd", FieldType::String, ""}, {"imd_decile", FieldType::Integer, ""}},
                           {{std::string("E01000001"), std::int64_t{1}},
                            {std::string("E01000002"), std::int64_t{2}},
                            {std::string("E01000001"), std::int64_t{3}}});
    try {
        join_table(target, "lsoa11cd", dup, "lsoa11cd");
        FAIL() << "expected a duplicate-key error";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("imd.csv"), std::string::npos) << m;
        EXPECT_NE(m.find("feature 3"), std::string::npos) << m;
        EXPECT_NE(m.find("duplicate key 'E01000001' (also on row 1)"), std::string::npos) << m;
    }
}

TEST(TableJoinTest, JoinedFieldAlreadyInLayerIsAnError) {
    auto target = table("lsoa", {{"lsoa11cd", FieldType::String, ""}, {"imd_decile", FieldType::Integer, ""}},
                        {{std::string("E01000001"), std::int64_t{1}}});
    const auto imd = table("imd", {{"lsoa11cd", FieldType::String, ""}, {"imd_decile", FieldType::Integer, ""}},
                           {{std::string("E01000001"), std::int64_t{1}}});
    EXPECT_THROW(join_table(target, "lsoa11cd", imd, "lsoa11cd"), InputError);
}

TEST(TableJoinTest, WholeNumberKeysMatchTextKeys) {
    auto target = table("wards", {{"code", FieldType::Integer, ""}}, {{std::int64_t{42}}});
    const auto rows = table("values", {{"code", FieldType::String, ""}, {"v", FieldType::Real, ""}},
                            {{std::string("42"), 1.5}});
    EXPECT_EQ(join_table(target, "code", rows, "code").matched, 1u);
}
