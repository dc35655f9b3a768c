// hearth: the command-line tool on the Hearth engine. One place maps failures to a
// message and an exit code: 0 ok, 1 failed (bad input or output), 2 bad usage.

#include <iostream>
#include <map>

#include <cpl_error.h>
#include <gdal_priv.h>

#include "commands.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"

int main(int argc, char** argv) {
    using namespace hearth;
    GDALAllRegister();
    // GDAL's own messages are folded into Hearth's errors, which name file and field.
    CPLSetErrorHandler(CPLQuietErrorHandler);

    CLI::App app{"Hearth: health-and-housing evidence on a map (England)", "hearth"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("hearth ") + HEARTH_VERSION);
    cli::GlobalOptions global;
    app.add_option("--layers", global.layers_folder, "Folder of data-source recipes (default: the source tree's layers/)");
    app.add_flag("-q,--quiet", global.quiet, "No progress and no summary");
    app.add_option("--threads", global.threads, "Worker threads for the analysis commands (default: every core)");
    app.add_option("--crs", global.crs, "Working and output CRS of the analysis commands (default EPSG:27700)");
    app.add_flag("--no-spatial-index", global.no_spatial_index,
                 "Write analysis outputs without GeoPackage R-trees (they cost about 1 s per million points)");
    app.add_flag("--skip-invalid", global.skip_invalid,
                 "Leave out rows that cannot be read (bad numbers, WKT, coordinates), each listed in a "
                 "'problems' layer of the output, instead of stopping at the first");
    app.add_option("--schema", global.schema, "PostGIS schema of a PG: output (default hearth)");
    app.add_flag("--overwrite", global.overwrite, "Replace existing tables of a PG: output");
    app.fallthrough();

    std::map<std::string, cli::Run> commands;
    commands["inspect"] = cli::add_inspect_command(app, global);
    commands["export"] = cli::add_export_command(app, global);
    commands["count"] = cli::add_count_command(app, global);
    commands["interpolate"] = cli::add_interpolate_command(app, global);
    commands["nearest"] = cli::add_nearest_command(app, global);
    commands["access"] = cli::add_access_command(app, global);
    commands["ptal"] = cli::add_ptal_command(app, global);
    commands["pockets"] = cli::add_pockets_command(app, global);
    commands["assess"] = cli::add_assess_command(app, global);
    commands["recipes"] = cli::add_recipes_command(app, global);
    commands["gtfs"] = cli::add_gtfs_command(app, global);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // "A subcommand is required" for `hearth frobnicate`: name what was typed instead.
        std::string message = e.what();
        if (app.get_subcommands().empty())
            for (int i = 1; i < argc; ++i) {
                const std::string word = argv[i];
                if (word == "--layers" || word == "--threads" || word == "--crs") {
                    ++i;  // their value is not a command
                    continue;
                }
                if (word.empty() || word[0] == '-') continue;
                if (!commands.count(word)) {
                    std::string names;
                    for (const auto& [name, run] : commands) names += (names.empty() ? "" : ", ") + name;
                    message = "unknown command '" + word + "'; the commands are " + names;
                }
                break;
            }
        std::cerr << "hearth: " << redact_secrets(message) << "\n" << "Run 'hearth --help' for usage.\n";
        return 2;
    }

    try {
        try {
            parse_working_crs(global.crs);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--crs: ") + e.what());
        }
        if (global.threads < 0 || global.threads > 1024)
            throw UsageError("--threads takes 0 (every core) to 1024, got " + std::to_string(global.threads));
        if (global.skip_invalid) global.problems = std::make_shared<ProblemReport>();
        for (auto* sub : app.get_subcommands()) {
            const int status = commands.at(sub->get_name())();
            warn_about_problems(global);
            return status;
        }
        return 2;
    } catch (const UsageError& e) {  // every message may quote a connection string: never its password
        std::cerr << "hearth: " << redact_secrets(e.what()) << "\n";
        return 2;
    } catch (const Error& e) {  // bad input or an output that cannot be written
        std::cerr << "hearth: " << redact_secrets(e.what()) << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "hearth: internal error: " << redact_secrets(e.what()) << "\n";
        return 1;
    }
}
