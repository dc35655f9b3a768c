// A data-source recipe: fields, styles, derived formulas.
#include "fuzz_support.hpp"
#include "hearth/io/recipe.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hearth;
    const auto file = fuzz::write_input("recipe.yaml", data, size);
    return fuzz::expect_answer([&] { load_recipe(file); });
}
