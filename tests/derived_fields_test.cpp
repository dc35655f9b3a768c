// Fields derived by formula: arithmetic over a row, nulls and divisions by zero as null,
// and errors that name the field a formula cannot use.

#include <gtest/gtest.h>

#include "hearth/io/derived_fields.hpp"
#include "hearth/core/errors.hpp"

using namespace hearth;

namespace {

/// Census-like counts for three areas; the third has no residents, the second a null.
FeatureTable general_health() {
    FeatureTable t;
    t.name = "lsoa21_general_health";
    t.fields = {{"lsoa21cd", FieldType::String, ""},
                {"residents_2021", FieldType::Integer, ""},
                {"health_bad", FieldType::Integer, ""},
                {"health_very_bad", FieldType::Integer, ""}};
    auto row = [&](std::string code, FieldValue residents, FieldValue bad, FieldValue very_bad) {
        Feature f;
        f.source_row = static_cast<std::int64_t>(t.features.size() + 1);
        f.values = {std::move(code), residents, bad, very_bad};
        t.features.push_back(std::move(f));
    };
    row("E01000001", std::int64_t{1600}, std::int64_t{60}, std::int64_t{20});
    row("E01000002", std::int64_t{1500}, std::monostate{}, std::int64_t{15});
    row("E01000003", std::int64_t{0}, std::int64_t{0}, std::int64_t{0});
    return t;
}

DerivedField share(std::string formula) {
    return {"bad_health_share", std::move(formula), "residents in bad or very bad health, %", "study.yaml"};
}

std::string error_of(const DerivedField& d) {
    FeatureTable t = general_health();
    try {
        add_derived_fields(t, {d});
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(DerivedFieldsTest, ComputesAShareFromCountsRowByRow) {
    FeatureTable t = general_health();
    add_derived_fields(t, {share("(health_bad + health_very_bad) / residents_2021 * 100")});
    const int i = t.field_index("bad_health_share");
    ASSERT_EQ(i, 4);
    EXPECT_EQ(t.fields[i].type, FieldType::Real);
    EXPECT_NE(t.fields[i].description.find("(health_bad + health_very_bad)"), std::string::npos) << "the formula is documented";
    EXPECT_DOUBLE_EQ(std::get<double>(t.features[0].values[i]), 5.0);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(t.features[1].values[i])) << "a null input gives null, not 0";
    EXPECT_TRUE(std::holds_alternative<std::monostate>(t.features[2].values[i])) << "0/0 gives null, not NaN";
}

TEST(DerivedFieldsTest, LaterFormulasMayUseEarlierOnes) {
    FeatureTable t = general_health();
    add_derived_fields(t, {{"bad", "health_bad + health_very_bad", "", "s"}, {"per_1000", "bad / residents_2021 * 1000", "", "s"}});
    EXPECT_DOUBLE_EQ(std::get<double>(t.features[0].values[t.field_index("per_1000")]), 50.0);
}

TEST(DerivedFieldsTest, AnUnknownFieldIsNamedWithTheClosestOnes) {
    const std::string e = error_of(share("(health_bad + health_verybad) / residents_2021 * 100"));
    EXPECT_NE(e.find("study.yaml"), std::string::npos) << e;
    EXPECT_NE(e.find("field 'bad_health_share'"), std::string::npos) << e;
    EXPECT_NE(e.find("no numeric field 'health_verybad'"), std::string::npos) << e;
    EXPECT_NE(e.find("health_very_bad"), std::string::npos) << "closest names listed: " << e;
}

TEST(DerivedFieldsTest, TextFieldsBadSyntaxAndTakenNamesAreErrors) {
    EXPECT_NE(error_of(share("lsoa21cd * 2")).find("'lsoa21cd' is a text field"), std::string::npos);
    EXPECT_NE(error_of(share("(health_bad + ")).find("does not parse"), std::string::npos);
    EXPECT_NE(error_of({"health_bad", "health_bad * 2", "", "s"}).find("already has a field"), std::string::npos);
}
