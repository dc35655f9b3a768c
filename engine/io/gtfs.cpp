#include "hearth/io/gtfs.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <cpl_vsi.h>

#include "hearth/core/errors.hpp"
#include "hearth/core/input_registry.hpp"

namespace hearth {

namespace detail {

int gtfs_seconds(std::string_view text) {
    std::string_view t = text;
    while (!t.empty() && (t.front() == ' ')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.remove_suffix(1);
    if (t.empty()) return -1;
    int parts[3] = {0, 0, 0};
    std::size_t at = 0;
    for (int k = 0; k < 3; ++k) {
        const std::size_t end = k < 2 ? t.find(':', at) : t.size();
        if (end == std::string_view::npos || end == at || end - at > 3)
            throw std::invalid_argument("expected a time H:MM:SS, found '" + std::string(text) + "'");
        const auto r = std::from_chars(t.data() + at, t.data() + end, parts[k]);
        if (r.ec != std::errc() || r.ptr != t.data() + end)
            throw std::invalid_argument("expected a time H:MM:SS, found '" + std::string(text) + "'");
        at = end + 1;
    }
    if (parts[1] > 59 || parts[2] > 59 || parts[0] > 99)
        throw std::invalid_argument("expected a time H:MM:SS, found '" + std::string(text) + "'");
    return parts[0] * 3600 + parts[1] * 60 + parts[2];
}

}  // namespace detail

namespace {

struct CloseVsi {
    void operator()(VSILFILE* f) const { VSIFCloseL(f); }
};

/// One GTFS text file read row by row: RFC 4180 CSV, UTF-8, optional BOM.
class GtfsTable {
public:
    GtfsTable(const std::string& feed, const std::string& name, bool required) : name_(name) {
        const bool zipped = feed.size() > 4 && EQUAL(feed.c_str() + feed.size() - 4, ".zip");
        path_ = zipped ? "/vsizip/" + feed + "/" + name : feed + "/" + name;
        shown_ = zipped ? feed + ": " + name : path_;
        file_.reset(VSIFOpenL(path_.c_str(), "rb"));
        if (!file_) {
            if (required) throw InputError({shown_, {}, {}, {}}, "missing: a GTFS feed needs " + name);
            return;
        }
        if (!next_line()) {
            if (required) throw InputError({shown_, {}, {}, {}}, "empty: expected a header row");
            file_.reset();  // an empty optional file is as good as none
            return;
        }
        std::string_view header = line_;
        if (header.substr(0, 3) == "\xEF\xBB\xBF") header.remove_prefix(3);
        split(header);
        for (const auto& f : fields_) header_.emplace_back(f);
        for (auto& h : header_) {
            while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.pop_back();
            while (!h.empty() && h.front() == ' ') h.erase(h.begin());
        }
    }

    bool present() const { return file_ != nullptr; }
    const std::string& shown() const { return shown_; }
    std::int64_t row() const { return row_; }

    /// Index of column `name`; -1 when absent and optional, else InputError.
    int column(const std::string& name, bool required = true) const {
        for (std::size_t i = 0; i < header_.size(); ++i)
            if (header_[i] == name) return static_cast<int>(i);
        if (required) throw InputError({shown_, {}, {}, name}, "required column missing");
        return -1;
    }

    /// The next data row; false at the end. Blank lines are skipped.
    bool next() {
        while (next_line()) {
            ++row_;
            if (line_.empty() || line_ == "\r") continue;
            split(line_);
            return true;
        }
        return false;
    }

    /// Field `index` of the current row without surrounding spaces (empty when absent).
    std::string_view field(int index) const {
        if (index < 0 || static_cast<std::size_t>(index) >= fields_.size()) return {};
        std::string_view f = fields_[index];
        while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
        while (!f.empty() && (f.back() == ' ' || f.back() == '\r')) f.remove_suffix(1);
        return f;
    }
    std::string text(int index) const { return std::string(field(index)); }

    [[noreturn]] void fail(const std::string& column, const std::string& problem) const {
        throw InputError({shown_, {}, row_ + 1, column}, problem);  // row 1 is the header
    }

    /// Bytes read so far and the file's size (0 when unknown), for progress.
    std::uint64_t bytes_read() const { return consumed_; }
    std::uint64_t size() const {
        VSIStatBufL stat{};
        return VSIStatL(path_.c_str(), &stat) == 0 ? static_cast<std::uint64_t>(stat.st_size) : 0;
    }

private:
    /// The next physical record into line_: up to a newline outside quotes.
    bool next_line() {
        line_.clear();
        bool in_quotes = false;
        while (true) {
            if (pos_ == end_) {
                const std::size_t n = VSIFReadL(buffer_.data(), 1, buffer_.size(), file_.get());
                if (n == 0) return !line_.empty();
                pos_ = 0;
                end_ = n;
            }
            const char* start = buffer_.data() + pos_;
            const std::size_t available = end_ - pos_;
            std::size_t i = 0;
            for (; i < available; ++i) {
                const char c = start[i];
                if (c == '"') in_quotes = !in_quotes;
                else if (c == '\n' && !in_quotes) break;
            }
            line_.append(start, i);
            consumed_ += i;
            pos_ += i;
            if (i < available) {  // the newline
                ++pos_;
                ++consumed_;
                if (!line_.empty() && line_.back() == '\r') line_.pop_back();
                return true;
            }
        }
    }

    void split(std::string_view line) {
        fields_.clear();
        if (line.find('"') == std::string_view::npos) {
            std::size_t at = 0;
            while (true) {
                const std::size_t comma = line.find(',', at);
                fields_.push_back(line.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
                if (comma == std::string_view::npos) break;
                at = comma + 1;
            }
            return;
        }
        // Quoted fields: unquoted copies kept in unquoted_, which fields_ point into.
        unquoted_.clear();
        unquoted_.reserve(line.size());
        std::vector<std::pair<std::size_t, std::size_t>> spans;
        std::size_t start = 0;
        bool quoted = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (quoted) {
                if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                    unquoted_ += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    unquoted_ += c;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                spans.emplace_back(start, unquoted_.size() - start);
                start = unquoted_.size();
            } else {
                unquoted_ += c;
            }
        }
        spans.emplace_back(start, unquoted_.size() - start);
        for (const auto& [at, n] : spans) fields_.push_back(std::string_view(unquoted_).substr(at, n));
    }

    std::string name_, path_, shown_;
    std::unique_ptr<VSILFILE, CloseVsi> file_;
    std::vector<std::string> header_;
    std::vector<char> buffer_ = std::vector<char>(1 << 20);
    std::size_t pos_ = 0, end_ = 0;
    std::uint64_t consumed_ = 0;
    std::string line_, unquoted_;
    std::vector<std::string_view> fields_;
    std::int64_t row_ = 0;
};

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;


/// Days since 1970-01-01 of a YYYYMMDD date; nothing when it is not a calendar date.
std::optional<long> day_number(std::string_view text) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (text.size() != 8 || std::from_chars(text.data(), text.data() + 4, y).ptr != text.data() + 4 ||
        std::from_chars(text.data() + 4, text.data() + 6, m).ptr != text.data() + 6 ||
        std::from_chars(text.data() + 6, text.data() + 8, d).ptr != text.data() + 8)
        return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!date.ok()) return std::nullopt;
    return std::chrono::sys_days{date}.time_since_epoch().count();
}

std::string date_text(long days) {
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()));
    return buf;
}

/// 0 Monday to 6 Sunday.
int weekday(long days) {
    return static_cast<int>(std::chrono::weekday{std::chrono::sys_days{std::chrono::days{days}}}.iso_encoding()) - 1;
}

/// Which services run on a day: calendar.txt's weekly pattern and range, then
/// calendar_dates.txt's additions (1) and removals (2).
class ServiceCalendar {
public:
    explicit ServiceCalendar(const std::string& feed) {
        GtfsTable calendar(feed, "calendar.txt", false);
        GtfsTable dates(feed, "calendar_dates.txt", false);
        if (!calendar.present() && !dates.present())
            throw InputError({feed, {}, {}, {}}, "a GTFS feed needs calendar.txt or calendar_dates.txt");
        if (calendar.present()) {
            const int id = calendar.column("service_id"), start = calendar.column("start_date"),
                      end = calendar.column("end_date");
            static const char* const kDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
            int day_column[7];
            for (int d = 0; d < 7; ++d) day_column[d] = calendar.column(kDays[d]);
            while (calendar.next()) {
                Weekly w;
                const auto from = day_number(calendar.field(start));
                const auto to = day_number(calendar.field(end));
                if (!from) calendar.fail("start_date", "expected a date YYYYMMDD, found '" + calendar.text(start) + "'");
                if (!to) calendar.fail("end_date", "expected a date YYYYMMDD, found '" + calendar.text(end) + "'");
                w.from = *from;
                w.to = *to;
                for (int d = 0; d < 7; ++d) w.days[d] = calendar.field(day_column[d]) == "1";
                weekly_[std::string(calendar.field(id))] = w;
                earliest_ = std::min(earliest_, w.from);
            }
        }
        if (dates.present()) {
            const int id = dates.column("service_id"), date = dates.column("date"), type = dates.column("exception_type");
            while (dates.next()) {
                const auto day = day_number(dates.field(date));
                if (!day) dates.fail("date", "expected a date YYYYMMDD, found '" + dates.text(date) + "'");
                const std::string t(dates.field(type));
                if (t != "1" && t != "2") dates.fail("exception_type", "expected 1 (added) or 2 (removed), found '" + t + "'");
                exceptions_[{std::string(dates.field(id)), *day}] = t == "1";
                earliest_ = std::min(earliest_, *day);
            }
        }
    }

    bool runs(const std::string& service, long day) const {
        if (const auto e = exceptions_.find({service, day}); e != exceptions_.end()) return e->second;
        const auto w = weekly_.find(service);
        return w != weekly_.end() && day >= w->second.from && day <= w->second.to && w->second.days[weekday(day)];
    }

    /// The first Wednesday from the earliest date the feed speaks of.
    long first_wednesday() const {
        long day = earliest_ == kNever ? 0 : earliest_;
        while (weekday(day) != 2) ++day;
        return day;
    }

private:
    struct Weekly {
        long from = 0, to = 0;
        bool days[7] = {};
    };
    static constexpr long kNever = 1L << 40;
    StringMap<Weekly> weekly_;
    std::map<std::pair<std::string, long>, bool> exceptions_;
    long earliest_ = kNever;
};

/// GTFS route_type (basic and extended) as a PTAL mode; nothing for ferries, cable cars.
std::optional<std::string> mode_of(int route_type) {
    if (route_type == 0 || route_type == 5 || (route_type >= 900 && route_type < 1000)) return "tram";
    if (route_type == 1 || route_type == 12 || (route_type >= 400 && route_type < 500)) return "underground";
    if (route_type == 2 || (route_type >= 100 && route_type < 200)) return "rail";
    if (route_type == 3 || route_type == 11 || (route_type >= 200 && route_type < 300) ||
        (route_type >= 700 && route_type < 900))
        return "bus";
    return std::nullopt;
}

struct Route {
    std::string id, name;
    std::optional<std::string> mode;
};

struct Trip {
    std::uint32_t route = 0;
    bool today = false, yesterday = false;  ///< runs on the service day, or the day before
    bool by_frequency = false;
};

}  // namespace

GtfsServiceLevels gtfs_services_per_hour(const std::string& path, const GtfsWindow& window, GDALProgressFunc progress,
                                         void* progress_data) {
    note_input_file(path);
    if (window.from_s < 0 || window.to_s <= window.from_s)
        throw std::invalid_argument("gtfs: the window must end after it starts");
    GtfsServiceLevels result;
    const ServiceCalendar calendar(path);
    long day = 0;
    if (window.date.empty()) {
        day = calendar.first_wednesday();
    } else if (const auto d = day_number(window.date)) {
        day = *d;
    } else {
        throw std::invalid_argument("gtfs: --date takes YYYYMMDD, got '" + window.date + "'");
    }
    result.date = date_text(day);

    // Routes.
    std::vector<Route> routes;
    StringMap<std::uint32_t> route_index;
    {
        GtfsTable t(path, "routes.txt", true);
        const int id = t.column("route_id"), type = t.column("route_type"), short_name = t.column("route_short_name", false),
                  long_name = t.column("route_long_name", false);
        while (t.next()) {
            Route r;
            r.id = std::string(t.field(id));
            int route_type = -1;
            const std::string type_text(t.field(type));
            if (std::from_chars(type_text.data(), type_text.data() + type_text.size(), route_type).ptr !=
                type_text.data() + type_text.size() || type_text.empty())
                t.fail("route_type", "expected a GTFS route type (3 bus, 2 rail...), found '" + type_text + "'");
            r.mode = mode_of(route_type);
            r.name = std::string(t.field(short_name));
            if (r.name.empty()) r.name = std::string(t.field(long_name));
            route_index.emplace(r.id, static_cast<std::uint32_t>(routes.size()));
            routes.push_back(std::move(r));
        }
    }

    // Trips that run on the day (or the day before, for those past midnight).
    StringMap<Trip> trips;
    std::size_t trips_in_feed = 0, other_modes = 0;
    {
        GtfsTable t(path, "trips.txt", true);
        const int id = t.column("trip_id"), route = t.column("route_id"), service = t.column("service_id");
        while (t.next()) {
            ++trips_in_feed;
            const std::string service_id(t.field(service));
            Trip trip;
            trip.today = calendar.runs(service_id, day);
            trip.yesterday = calendar.runs(service_id, day - 1);
            if (!trip.today && !trip.yesterday) continue;
            const auto r = route_index.find(t.field(route));
            if (r == route_index.end())
                t.fail("route_id", "trip of route '" + std::string(t.field(route)) + "', which routes.txt does not list");
            if (!routes[r->second].mode) {
                ++other_modes;
                continue;
            }
            trip.route = r->second;
            trips.emplace(std::string(t.field(id)), trip);
        }
    }

    // Frequency-based trips: departures every headway between start and end.
    struct Headway {
        int start, end, headway;
    };
    StringMap<std::vector<Headway>> headways;
    {
        GtfsTable t(path, "frequencies.txt", false);
        if (t.present()) {
            const int id = t.column("trip_id"), start = t.column("start_time"), end = t.column("end_time"),
                      headway = t.column("headway_secs");
            while (t.next()) {
                const auto trip = trips.find(t.field(id));
                if (trip == trips.end()) continue;
                Headway h{};
                try {
                    h.start = detail::gtfs_seconds(t.field(start));
                    h.end = detail::gtfs_seconds(t.field(end));
                } catch (const std::invalid_argument& e) {
                    t.fail("start_time/end_time", e.what());
                }
                const std::string hs(t.field(headway));
                if (std::from_chars(hs.data(), hs.data() + hs.size(), h.headway).ptr != hs.data() + hs.size() ||
                    hs.empty() || h.headway <= 0)
                    t.fail("headway_secs", "expected a whole number of seconds above 0, found '" + hs + "'");
                trip->second.by_frequency = true;
                headways[trip->first].push_back(h);
            }
        }
    }

    // stop_times.txt, streamed: each timed call of a running trip whose departure falls in
    // the window is counted for its stop and route.
    StringMap<std::uint32_t> stop_index;
    std::vector<std::string> stop_ids;
    std::unordered_map<std::uint64_t, std::int64_t> calls;  ///< (stop << 32 | route) -> departures
    StringMap<std::vector<std::pair<std::uint32_t, int>>> frequency_pattern;  ///< trip -> (stop, time)
    auto intern_stop = [&](std::string_view id) {
        const auto it = stop_index.find(id);
        if (it != stop_index.end()) return it->second;
        const auto n = static_cast<std::uint32_t>(stop_ids.size());
        stop_ids.emplace_back(id);
        stop_index.emplace(std::string(id), n);
        return n;
    };
    const int from = window.from_s, to = window.to_s;
    auto in_window = [&](const Trip& trip, int t) {
        return (trip.today && t >= from && t < to) + (trip.yesterday && t - 86400 >= from && t - 86400 < to);
    };
    std::int64_t untimed = 0;
    {
        GtfsTable t(path, "stop_times.txt", true);
        const int trip_col = t.column("trip_id"), stop_col = t.column("stop_id"),
                  departure = t.column("departure_time", false), arrival = t.column("arrival_time", false);
        if (departure < 0 && arrival < 0) t.fail("departure_time", "required column missing (or arrival_time)");
        std::string last_trip_id;
        const Trip* trip = nullptr;
        const std::string* pattern_key = nullptr;
        std::size_t rows = 0;
        const auto size = static_cast<double>(t.size());
        while (t.next()) {
            ++rows;
            if (progress && size > 0 && (rows & 0x3FFFF) == 0 &&
                !progress(std::min(1.0, static_cast<double>(t.bytes_read()) / size), "reading stop_times", progress_data))
                throw std::runtime_error("gtfs: cancelled");
            const std::string_view trip_id = t.field(trip_col);
            if (trip_id != last_trip_id) {  // stop_times are grouped by trip in practice: one lookup a trip
                last_trip_id.assign(trip_id);
                const auto it = trips.find(trip_id);
                trip = it == trips.end() ? nullptr : &it->second;
                pattern_key = trip && trip->by_frequency ? &it->first : nullptr;
            }
            if (!trip) continue;
            std::string_view when = t.field(departure);
            if (when.empty()) when = t.field(arrival);
            int seconds = -1;
            try {
                seconds = detail::gtfs_seconds(when);
            } catch (const std::invalid_argument& e) {
                t.fail(departure >= 0 ? "departure_time" : "arrival_time", e.what());
            }
            if (seconds < 0) {
                ++untimed;
                continue;
            }
            const std::uint32_t stop = intern_stop(t.field(stop_col));
            if (pattern_key) {
                frequency_pattern[*pattern_key].emplace_back(stop, seconds);
                continue;
            }
            if (const int n = in_window(*trip, seconds)) {
                calls[static_cast<std::uint64_t>(stop) << 32 | trip->route] += n;
                result.departures_counted += n;
            }
        }
        result.stop_times_read = static_cast<std::int64_t>(rows);
    }
    // Frequency-based trips: the stop_times give the pattern's offsets from its first call.
    for (const auto& [trip_id, pattern] : frequency_pattern) {
        const Trip& trip = trips.at(trip_id);
        int first = pattern.front().second;
        for (const auto& [stop, s] : pattern) first = std::min(first, s);
        for (const Headway& h : headways.at(trip_id))
            for (int start = h.start; start < h.end; start += h.headway)
                for (const auto& [stop, s] : pattern)
                    if (const int n = in_window(trip, start + (s - first))) {
                        calls[static_cast<std::uint64_t>(stop) << 32 | trip.route] += n;
                        result.departures_counted += n;
                    }
    }
    if (untimed) result.notes.push_back(std::to_string(untimed) + " stop_times rows without a time (untimed calls) not counted");
    if (other_modes) result.notes.push_back(std::to_string(other_modes) + " running trips of ferries, cable cars or other modes PTAL does not count left out");
    if (calls.empty())
        throw InputError({path, {}, {}, {}}, "no service calls at any stop between " + std::to_string(from / 3600) + ":" +
                                                  (from % 3600 / 60 < 10 ? "0" : "") + std::to_string(from % 3600 / 60) +
                                                  " and the window's end on " + result.date + " (" +
                                                  std::to_string(trips.size()) + " of " + std::to_string(trips_in_feed) +
                                                  " trips run that day); is the date within the feed's calendar?");

    // The table, sorted by stop then route, in the stop_route_frequencies schema.
    const double hours = (to - from) / 3600.0;
    FeatureTable& f = result.frequencies;
    f.name = "stop_route_frequencies";
    f.description = "Services per hour per stop and route on " + result.date + " from GTFS";
    f.source = path;
    f.recipe = "stop_route_frequencies";
    f.fields = {{"stop_id", FieldType::String, "GTFS stop_id (NaPTAN ATCO code in the DfT and TfL feeds)"},
                {"route_id", FieldType::String, "GTFS route_id"},
                {"route_name", FieldType::String, "route_short_name, else route_long_name"},
                {"mode", FieldType::String, "bus, rail, underground or tram (from route_type)"},
                {"services_per_hour", FieldType::Real, "departures in the window per hour"}};
    std::vector<std::pair<std::pair<std::string_view, std::string_view>, std::uint64_t>> keys;
    keys.reserve(calls.size());
    for (const auto& [key, n] : calls)
        keys.push_back({{stop_ids[key >> 32], routes[key & 0xFFFFFFFFu].id}, key});
    std::sort(keys.begin(), keys.end());
    std::int64_t row = 0;
    for (const auto& [ids, key] : keys) {
        const Route& r = routes[key & 0xFFFFFFFFu];
        Feature feature;
        feature.source_row = ++row;
        feature.values = {std::string(ids.first), r.id, r.name.empty() ? FieldValue{} : FieldValue{r.name}, *r.mode,
                          static_cast<double>(calls.at(key)) / hours};
        f.features.push_back(std::move(feature));
    }
    if (progress) progress(1.0, "GTFS read", progress_data);
    return result;
}

}  // namespace hearth
