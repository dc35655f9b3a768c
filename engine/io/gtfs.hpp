#pragma once
// Services per hour at each stop, per route, from a GTFS feed, for PTAL anywhere a
// timetable is published (the DfT's national GTFS covers England).
//
// The feed is a folder or a .zip (read through GDAL's /vsizip/, unpacked as it streams)
// with stops.txt, routes.txt, trips.txt, stop_times.txt, and calendar.txt and/or
// calendar_dates.txt; frequencies.txt where present. stop_times.txt (tens of millions of
// rows for England) is streamed once and never held: only active trips and the counts
// per stop and route are kept.
//
// Why the files are parsed here and not through GDAL's CSV driver: one OGRFeature per
// row costs about 2 µs, two minutes for a national stop_times.txt; this reader splits
// lines in place (RFC 4180 quoting, as GTFS requires).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gdal.h>

#include "hearth/core/feature_table.hpp"

namespace hearth {

/// Which services count: those running on `date` whose departure falls in
/// [from_s, to_s) seconds after its midnight (TfL's PTAL window 08:15-09:15 by default).
/// Trips of the day before that run past midnight into the window count too.
struct GtfsWindow {
    std::string date;          ///< YYYYMMDD; empty: the first Wednesday the feed's calendar covers
    int from_s = 8 * 3600 + 15 * 60;
    int to_s = 9 * 3600 + 15 * 60;
};

struct GtfsServiceLevels {
    std::string date;  ///< the service day used, YYYYMMDD
    /// One row per stop and route with services in the window: stop_id, route_id,
    /// route_name, mode (bus, rail, underground, tram), services_per_hour. The schema of
    /// the stop_route_frequencies recipe, so a study reads it as it reads any such table.
    FeatureTable frequencies;
    std::int64_t stop_times_read = 0;
    std::int64_t departures_counted = 0;
    std::vector<std::string> notes;  ///< what was left out and why
};

/// Reads the feed at `path`. InputError naming the file, row and field for a missing
/// required file or column, a bad time or date, a trip of an unknown route, or a
/// window with no service at all. `progress` follows GDAL's convention.
GtfsServiceLevels gtfs_services_per_hour(const std::string& path, const GtfsWindow& window,
                                         GDALProgressFunc progress = nullptr, void* progress_data = nullptr);

namespace detail {
/// "08:15:00" or "25:03:00" (GTFS times may pass 24:00) in seconds; -1 for empty.
/// std::invalid_argument otherwise.
int gtfs_seconds(std::string_view text);
}  // namespace detail

}  // namespace hearth
