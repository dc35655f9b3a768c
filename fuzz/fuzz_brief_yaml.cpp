// A development brief as a regeneration lead writes it: site (WKT, GeoJSON or a file),
// homes, bedrooms, demolitions, open space, transport, health, phasing, weights.
#include "fuzz_support.hpp"
#include "hearth/analysis/assess/brief_assessment.hpp"
#include "hearth/analysis/assess/brief.hpp"
#include "hearth/geometry/crs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hearth;
    fuzz::setup_gdal();
    static const OGRSpatialReference crs = parse_crs("EPSG:27700");
    const auto file = fuzz::write_input("brief.yaml", data, size);
    return fuzz::expect_answer([&] {
        const Brief b = load_brief(file, crs, assessment_criteria());
        (void)b.total_homes();
    });
}
