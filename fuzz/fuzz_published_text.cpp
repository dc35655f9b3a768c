// Numbers and headers as published, and formulas as a study writes them.
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "hearth/core/field_names.hpp"
#include "hearth/core/published_text.hpp"
#include "hearth/io/derived_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hearth;
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)parse_published_number(text);
    try {
        (void)match_field({text, "LSOA code (2011)", "Index of Multiple Deprivation (IMD) Score"}, {"lsoa11cd", text});
    } catch (const std::invalid_argument&) {  // ambiguous headers: documented
    }
    FeatureTable t;
    t.name = "t";
    t.fields = {{"a", FieldType::Real, ""}, {"b", FieldType::Integer, ""}, {"c", FieldType::String, ""}};
    for (int i = 0; i < 3; ++i) {
        Feature f;
        f.values = {double(i) - 1.0, std::int64_t{i}, std::string("x")};
        t.features.push_back(std::move(f));
    }
    return fuzz::expect_answer([&] { add_derived_fields(t, {{"d", text, "", "fuzz"}}); });
}
