// GTFS services per hour, on small feeds written by hand with their expected counts
// worked out in the comments (window 08:15-09:15, one hour, so counts are per hour).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "hearth/core/errors.hpp"
#include "hearth/io/gtfs.hpp"
#include "test_support.hpp"

using namespace hearth;
using hearth::test::TempDir;
using hearth::test::write_text;

namespace {

/// Wednesday 25 November 2026; the day before is a Tuesday.
constexpr const char* kDay = "20261125";

void write_feed(const std::filesystem::path& dir, bool with_frequencies = true, bool with_calendar = true) {
    write_text(dir / "stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nS1,One,51.6,-0.07\nS2,Two,51.6,-0.06\n"
                                  "S3,Three,51.59,-0.06\nS4,Pier,51.5,-0.05\n");
    write_text(dir / "routes.txt",
               "route_id,route_short_name,route_long_name,route_type\n"
               "R1,149,\"Edmonton, \"\"Green\"\" to London Bridge\",3\n"
               "R2,,Weaver line,2\n"
               "F1,RB1,River bus,4\n");
    // WK weekdays all year; SAT Saturdays (added on the day below); WK2 weekdays (removed
    // on the day below).
    if (with_calendar)
        write_text(dir / "calendar.txt",
                   "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                   "WK,1,1,1,1,1,0,0,20260101,20261231\n"
                   "SAT,0,0,0,0,0,1,0,20260101,20261231\n"
                   "WK2,1,1,1,1,1,0,0,20260101,20261231\n");
    write_text(dir / "calendar_dates.txt",
               "service_id,date,exception_type\n"
               "SAT,20261125,1\n"
               "WK2,20261125,2\n" +
                   std::string(with_calendar ? "" : "WK,20261125,1\nWK,20261124,1\n"));
    write_text(dir / "trips.txt",
               "route_id,service_id,trip_id\n"
               "R1,WK,T1\nR1,WK,T2\nR1,WK,T3\nR1,WK,T4\nR1,SAT,T5\nR2,WK2,T6\nR2,WK,T7\nR1,WK,T8\nF1,WK,T9\n");
    write_text(dir / "stop_times.txt",
               "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
               "T1,08:19:00,08:20:00,S1,1\n"   // counted: S1/R1
               "T1,,,S3,2\n"                   // untimed: not counted
               "T1,08:30:00,08:30:00,S2,3\n"   // counted: S2/R1
               "T2,09:15:00,09:15:00,S1,1\n"   // 09:15 is the end of the window: not counted
               "T3,08:14:59,08:14:59,S1,1\n"   // a second early: not counted
               "T4,08:15:00,08:15:00,S1,1\n"   // the start of the window: counted, S1/R1
               "T5,8:40:00,8:40:00,S1,1\n"     // Saturday service added on the day: counted, S1/R1
               "T6,08:30:00,08:30:00,S3,1\n"   // weekday service removed on the day: not counted
               "T7,32:30:00,32:30:00,S3,1\n"   // Tuesday's trip at 08:30 on Wednesday: counted, S3/R2
               "T8,10:00:00,10:00:00,S1,1\n"   // frequency-based: the pattern, not a departure
               "T8,10:05:00,10:05:00,S2,2\n"
               "T9,08:30:00,08:30:00,S4,1\n"); // a river bus: PTAL does not count it
    // T8 every 10 minutes from 08:00 to 09:00: S1 at 08:00, 08:10, ..., 08:50, of which
    // 08:20, 08:30, 08:40, 08:50 are in the window (4); S2 five minutes later, 08:05 ...
    // 08:55, of which 08:15, 08:25, 08:35, 08:45, 08:55 (5).
    if (with_frequencies)
        write_text(dir / "frequencies.txt", "trip_id,start_time,end_time,headway_secs\nT8,08:00:00,09:00:00,600\n");
}

std::map<std::string, double> per_hour(const GtfsServiceLevels& levels) {
    std::map<std::string, double> out;
    for (const auto& f : levels.frequencies.features)
        out[std::get<std::string>(f.values[0]) + "/" + std::get<std::string>(f.values[1])] = std::get<double>(f.values[4]);
    return out;
}

}  // namespace

TEST(GtfsTest, CountsDeparturesInTheWindowWithCalendarExceptionsMidnightAndFrequencies) {
    TempDir dir;
    write_feed(dir.path());
    GtfsWindow window;
    window.date = kDay;
    const auto levels = gtfs_services_per_hour(dir.path().string(), window);
    // S1/R1: T1 + T4 + T5 + 4 from T8 = 7. S2/R1: T1 + 5 from T8 = 6. S3/R2: T7 = 1.
    EXPECT_EQ(per_hour(levels), (std::map<std::string, double>{{"S1/R1", 7}, {"S2/R1", 6}, {"S3/R2", 1}}));
    EXPECT_EQ(levels.date, kDay);
    EXPECT_EQ(levels.departures_counted, 14);
    ASSERT_EQ(levels.frequencies.features.size(), 3u);
    const auto& first = levels.frequencies.features[0].values;
    EXPECT_EQ(std::get<std::string>(first[2]), "149");  // the short name
    EXPECT_EQ(std::get<std::string>(first[3]), "bus");
    EXPECT_EQ(std::get<std::string>(levels.frequencies.features[2].values[2]), "Weaver line");  // long name when no short
    EXPECT_EQ(std::get<std::string>(levels.frequencies.features[2].values[3]), "rail");
    ASSERT_EQ(levels.notes.size(), 2u);
    EXPECT_NE(levels.notes[0].find("1 stop_times rows without a time"), std::string::npos) << levels.notes[0];
    EXPECT_NE(levels.notes[1].find("1 running trips of ferries"), std::string::npos) << levels.notes[1];
}

TEST(GtfsTest, AWiderWindowIsPerHourNotATotal) {
    TempDir dir;
    write_feed(dir.path());
    GtfsWindow window;
    window.date = kDay;
    window.from_s = 8 * 3600;  // 08:00-10:00, two hours
    window.to_s = 10 * 3600;
    // S1/R1: T1, T2 (09:15), T3 (08:14:59), T4, T5 and T8's six = 11 in two hours.
    EXPECT_DOUBLE_EQ(per_hour(gtfs_services_per_hour(dir.path().string(), window)).at("S1/R1"), 11 / 2.0);
}

TEST(GtfsTest, OptionalFilesMayBeMissingAndAZippedFeedReadsTheSame) {
    TempDir dir;
    // Without frequencies.txt, T8 is an ordinary trip at 10:00: S1 then has T1, T4, T5.
    // Without calendar.txt, WK runs only on the dates calendar_dates.txt adds.
    write_feed(dir.path() / "feed", false, false);
    test::write_text(dir.path() / "feed" / "frequencies.txt", "");  // an empty optional file counts as none
    GtfsWindow window;
    window.date = kDay;
    EXPECT_EQ(per_hour(gtfs_services_per_hour((dir.path() / "feed").string(), window)),
              (std::map<std::string, double>{{"S1/R1", 3}, {"S2/R1", 1}, {"S3/R2", 1}}));

    write_feed(dir.path() / "full");
    const auto zipped = dir.path() / "feed.zip";
    ASSERT_EQ(test::run_shell("cd " + (dir.path() / "full").string() + " && /usr/bin/python3 -c \"import zipfile,os;"
                              "z=zipfile.ZipFile('" + zipped.string() + "','w');"
                              "[z.write(f) for f in sorted(os.listdir('.'))]\"").exit_code, 0);
    EXPECT_EQ(per_hour(gtfs_services_per_hour(zipped.string(), window)),
              per_hour(gtfs_services_per_hour((dir.path() / "full").string(), window)));
}

TEST(GtfsTest, TheDefaultDayIsTheFirstWednesdayTheCalendarCovers) {
    TempDir dir;
    write_feed(dir.path());
    // calendar.txt starts on Thursday 1 January 2026; its first Wednesday is the 7th.
    EXPECT_EQ(gtfs_services_per_hour(dir.path().string(), GtfsWindow{}).date, "20260107");
}

TEST(GtfsTest, BadFeedsAreNamedByFileRowAndField) {
    TempDir dir;
    write_feed(dir.path());
    GtfsWindow window;
    window.date = kDay;
    auto message = [&]() -> std::string {
        try {
            gtfs_services_per_hour(dir.path().string(), window);
        } catch (const InputError& e) {
            return e.what();
        }
        return "no error";
    };
    std::string stop_times = test::read_text(dir / "stop_times.txt");
    test::write_text(dir / "stop_times.txt", stop_times + "T1,8:7,8:7,S2,4\n");
    EXPECT_NE(message().find("stop_times.txt: feature 14: field 'departure_time': expected a time H:MM:SS, found '8:7'"),
              std::string::npos) << message();
    test::write_text(dir / "stop_times.txt", stop_times);
    test::write_text(dir / "trips.txt", test::read_text(dir / "trips.txt") + "R9,WK,T10\n");
    EXPECT_NE(message().find("trips.txt: feature 11: field 'route_id': trip of route 'R9'"), std::string::npos) << message();
    std::filesystem::remove(dir / "trips.txt");
    EXPECT_NE(message().find("trips.txt: missing: a GTFS feed needs trips.txt"), std::string::npos) << message();
    write_feed(dir.path());
    const std::string calendar = test::read_text(dir / "calendar.txt");
    test::write_text(dir / "calendar.txt", calendar + "FEB,1,1,1,1,1,0,0,20260101,20260231\n");  // no 31 February
    EXPECT_NE(message().find("calendar.txt: feature 5: field 'end_date': expected a date YYYYMMDD, found '20260231'"),
              std::string::npos) << message();
    test::write_text(dir / "calendar.txt", calendar);
    window.date = "20300101";  // outside the calendar
    EXPECT_NE(message().find("no service calls at any stop"), std::string::npos) << message();
}

TEST(GtfsTest, TheCommandWritesATableAStudyReadsAsFrequencies) {
    TempDir dir;
    write_feed(dir.path() / "feed");
    const auto out = dir.path() / "frequencies.csv";
    auto r = test::run_hearth({"gtfs", "--feed", (dir.path() / "feed").string(), "--date", kDay, "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("14 departures between 08:15 and 09:15 on 20261125"), std::string::npos) << r.out;
    EXPECT_EQ(test::read_text(out),
              "stop_id,route_id,route_name,mode,services_per_hour\n"
              "S1,R1,149,bus,7\nS2,R1,149,bus,6\nS3,R2,Weaver line,rail,1\n");
    r = test::run_hearth({"inspect", out.string()});
    EXPECT_NE(r.out.find("stop_route_frequencies"), std::string::npos) << r.out;
    r = test::run_hearth({"gtfs", "--feed", (dir.path() / "feed").string(), "--from", "8.15", "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
}
