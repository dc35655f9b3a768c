// A study file as a user writes it: its layers, parameters, and each analysis's section.
#include "fuzz_support.hpp"
#include "hearth/analysis/access/access_config.hpp"
#include "hearth/analysis/pockets/pockets_config.hpp"
#include "hearth/io/study.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hearth;
    fuzz::setup_gdal();
    const auto file = fuzz::write_input("study.yaml", data, size);
    return fuzz::expect_answer([&] {
        const Study study = load_study(file);
        if (study.section("access")) access_config(study);
        if (study.section("pockets")) pockets_config(study);
    });
}
