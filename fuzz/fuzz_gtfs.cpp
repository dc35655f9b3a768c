// A GTFS feed: the fuzzer's bytes are split on lines "===" into routes.txt, trips.txt,
// stop_times.txt, calendar.txt, calendar_dates.txt and frequencies.txt (a part left out
// is a file left out), so quoting, times past midnight, headways and calendars all get
// mutated.
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "hearth/io/gtfs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hearth;
    fuzz::setup_gdal();
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    static const char* const kFiles[] = {"routes.txt",   "trips.txt",          "stop_times.txt",
                                         "calendar.txt", "calendar_dates.txt", "frequencies.txt"};
    std::vector<std::string_view> parts;
    for (std::size_t at = 0; parts.size() < 6;) {
        const std::size_t cut = input.find("\n===\n", at);
        parts.push_back(input.substr(at, cut == std::string_view::npos ? std::string_view::npos : cut - at));
        if (cut == std::string_view::npos) break;
        at = cut + 5;
    }
    const auto stops = fuzz::write_input("stops.txt", reinterpret_cast<const std::uint8_t*>("stop_id\nS1\n"), 11);
    const auto feed = stops.parent_path();
    for (std::size_t k = 0; k < 6; ++k) {
        std::filesystem::remove(feed / kFiles[k]);
        if (k < parts.size())
            fuzz::write_input(kFiles[k], reinterpret_cast<const std::uint8_t*>(parts[k].data()), parts[k].size());
    }
    GtfsWindow window;
    window.date = "20261125";
    fuzz::expect_answer([&] { gtfs_services_per_hour(feed.string(), window); });
    window.date.clear();  // the first Wednesday of whatever calendar there is
    fuzz::expect_answer([&] { gtfs_services_per_hour(feed.string(), window); });
    return 0;
}
