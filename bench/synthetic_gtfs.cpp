// A national-size synthetic GTFS feed for scripts/bench: routes of buses and trains
// calling at stops every couple of minutes all day, weekdays, with a calendar exception
// and some frequency-based trips, written as plain text files.
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"Synthetic GTFS feed for Hearth's benchmarks"};
    std::string folder;
    long stops = 400000, routes = 12000, trips_per_route = 100, stops_per_trip = 25;
    app.add_option("OUT_FOLDER", folder)->required();
    app.add_option("--stops", stops);
    app.add_option("--routes", routes);
    app.add_option("--trips-per-route", trips_per_route);
    app.add_option("--stops-per-trip", stops_per_trip);
    CLI11_PARSE(app, argc, argv);
    std::filesystem::create_directories(folder);
    auto open = [&](const char* name) { return std::fopen((folder + "/" + name).c_str(), "w"); };
    std::mt19937_64 random(20261125);

    FILE* f = open("stops.txt");
    std::fprintf(f, "stop_id,stop_name,stop_lat,stop_lon\n");
    for (long s = 0; s < stops; ++s) std::fprintf(f, "4900%08ld,Stop %ld,51.5,-0.1\n", s, s);
    std::fclose(f);
    f = open("routes.txt");
    std::fprintf(f, "route_id,route_short_name,route_long_name,route_type\n");
    for (long r = 0; r < routes; ++r) std::fprintf(f, "R%ld,%ld,\"Route %ld, synthetic\",%d\n", r, r, r, r % 20 ? 3 : 2);
    std::fclose(f);
    f = open("calendar.txt");
    std::fprintf(f, "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "WK,1,1,1,1,1,0,0,20260101,20261231\nWE,0,0,0,0,0,1,1,20260101,20261231\n");
    std::fclose(f);
    f = open("calendar_dates.txt");
    std::fprintf(f, "service_id,date,exception_type\nWK,20261225,2\n");
    std::fclose(f);
    FILE* trips = open("trips.txt");
    FILE* times = open("stop_times.txt");
    FILE* freq = open("frequencies.txt");
    std::fprintf(trips, "route_id,service_id,trip_id,trip_headsign\n");
    std::fprintf(times, "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
    std::fprintf(freq, "trip_id,start_time,end_time,headway_secs\n");
    std::uniform_int_distribution<long> first_stop(0, stops - 1);
    long rows = 0;
    for (long r = 0; r < routes; ++r) {
        const long start_stop = first_stop(random);
        for (long t = 0; t < trips_per_route; ++t) {
            const bool weekend = t % 5 == 4;
            std::fprintf(trips, "R%ld,%s,T%ld_%ld,Towards stop %ld\n", r, weekend ? "WE" : "WK", r, t, start_stop);
            int clock = 5 * 3600 + static_cast<int>(t * 17 * 60 % (19 * 3600));  // 05:00 to 24:00
            for (long s = 0; s < stops_per_trip; ++s, clock += 90 + static_cast<int>(s % 3) * 30) {
                const long stop = (start_stop + s * 7) % stops;
                std::fprintf(times, "T%ld_%ld,%02d:%02d:%02d,%02d:%02d:%02d,4900%08ld,%ld\n", r, t, clock / 3600,
                             clock / 60 % 60, clock % 60, clock / 3600, clock / 60 % 60, clock % 60, stop, s + 1);
                ++rows;
            }
            if (r % 50 == 0 && t == 0) std::fprintf(freq, "T%ld_%ld,07:00:00,10:00:00,600\n", r, t);
        }
    }
    std::fclose(trips);
    std::fclose(times);
    std::fclose(freq);
    std::printf("%ld stop_times rows\n", rows);
    return 0;
}
