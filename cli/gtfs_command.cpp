#include <iostream>

#include "commands.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/csv_table.hpp"
#include "hearth/io/gtfs.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

struct GtfsOptions {
    std::string feed;
    std::string date;
    std::string from = "08:15";
    std::string to = "09:15";
    std::string out;
};

/// "08:15" or "08:15:00" in seconds after midnight; UsageError naming the option otherwise.
int clock_seconds(const std::string& option, const std::string& text) {
    try {
        return detail::gtfs_seconds(text.size() == 5 ? text + ":00" : text);
    } catch (const std::invalid_argument&) {
        throw UsageError("gtfs: " + option + " takes a time HH:MM, got '" + text + "'");
    }
}

}  // namespace

Run add_gtfs_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("gtfs", "Services per hour per stop and route from a GTFS feed, for PTAL");
    auto opt = std::make_shared<GtfsOptions>();
    cmd->add_option("--feed", opt->feed, "GTFS feed: a .zip or a folder of its .txt files")->required();
    cmd->add_option("--date", opt->date, "Service day YYYYMMDD (default: the first Wednesday the feed covers)");
    cmd->add_option("--from", opt->from, "Start of the window, HH:MM (default 08:15, TfL's PTAL AM peak)");
    cmd->add_option("--to", opt->to, "End of the window, HH:MM (default 09:15)");
    cmd->add_option("--out", opt->out, "CSV to write, in the stop_route_frequencies recipe's columns")->required();
    return [opt, &global]() {
        if (std::filesystem::path(opt->out).extension() != ".csv")
            throw UsageError("gtfs: --out must name a .csv file, got '" + opt->out + "'");
        GtfsWindow window;
        window.date = opt->date;
        window.from_s = clock_seconds("--from", opt->from);
        window.to_s = clock_seconds("--to", opt->to);
        if (window.to_s <= window.from_s) throw UsageError("gtfs: --to must be after --from");
        if (!window.date.empty() && (window.date.size() != 8 ||
                                     window.date.find_first_not_of("0123456789") != std::string::npos))
            throw UsageError("gtfs: --date takes YYYYMMDD, got '" + window.date + "'");
        const GtfsServiceLevels levels =
            gtfs_services_per_hour(opt->feed, window, progress_for(global.quiet), nullptr);
        write_csv_table(opt->out, levels.frequencies)->commit();
        if (!global.quiet) {
            std::cout << "GTFS " << opt->feed << ": " << levels.stop_times_read << " stop times read; "
                      << levels.departures_counted << " departures between " << opt->from << " and " << opt->to
                      << " on " << levels.date << "\n";
            for (const auto& n : levels.notes) std::cout << "  " << n << "\n";
            std::cout << "Wrote " << opt->out << " (" << levels.frequencies.features.size()
                      << " stop and route rows; a study reads it with recipe stop_route_frequencies)\n";
        }
        return 0;
    };
}

}  // namespace hearth::cli
