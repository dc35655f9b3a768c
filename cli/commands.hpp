#pragma once
// The hearth subcommands. Each registers its options on the CLI11 app (setup: parse
// and check, no I/O) and returns the function that does the work (run).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hearth/core/problem_report.hpp"
#include "hearth/export/geopackage_writer.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/io/recipe.hpp"
#include "hearth/io/study.hpp"

namespace hearth::cli {

struct GlobalOptions {
    std::string layers_folder;  ///< recipe folder; empty means the default
    bool quiet = false;
    int threads = 0;            ///< 0: every core
    bool no_spatial_index = false;  ///< analysis outputs without R-trees (large runs)
    std::string crs = "EPSG:27700";  ///< working and output CRS of the analysis commands
    bool skip_invalid = false;       ///< --skip-invalid: leave bad rows out, listed in `problems`
    std::string schema = "hearth";   ///< --schema: the PostGIS schema of a PG: output
    bool overwrite = false;          ///< --overwrite: replace existing PostGIS tables
    std::shared_ptr<ProblemReport> problems;  ///< the run's skipped rows (set when skip_invalid)
};

using Run = std::function<int()>;

/// The recipes of --layers, or of the default folder.
RecipeBook recipe_book(const GlobalOptions& global);

/// UsageError unless `out` names a .gpkg file.
void require_geopackage(const std::string& command, const std::string& out);

/// UsageError unless `out` names a .gpkg file or a PostGIS database ("PG:<connection>").
void require_layers_output(const std::string& command, const std::string& out);

/// How a summary names an output: the path, or the database (never its password) and schema.
std::string output_label(const std::string& out, const GlobalOptions& global);

/// The layers into `out`: a GeoPackage (R-trees unless --no-spatial-index), or the
/// tables of --schema in a PostGIS database (--overwrite to replace), whole or nothing.
void write_layers(const std::string& out, const std::vector<StyledLayer>& layers, const GlobalOptions& global,
                  GDALProgressFunc progress = nullptr);

/// UsageError naming `option` when `text` (if given) is not a CRS PROJ knows.
void check_crs_option(const std::string& option, const std::string& text);

/// The source named on the command line; `assume_crs` applies when it declares no CRS
/// (areas, targets and entrances are as usable without one as the points are). Under
/// --skip-invalid its bad rows go to the run's problem report.
LayerSource source_assuming(const std::string& argument, const std::string& assume_crs, const GlobalOptions& global);

/// load_study, with every layer's and join's bad rows sent to the run's problem report
/// under --skip-invalid.
Study load_study_for_run(const std::string& file, const GlobalOptions& global);

/// Under --skip-invalid with rows skipped: the `problems` layer (kept in `storage`) is
/// added to the outputs, and one line on stderr says how many and where the first was.
void add_problems_layer(std::vector<StyledLayer>& layers, const GlobalOptions& global, FeatureTable& storage);
void warn_about_problems(const GlobalOptions& global);

Run add_access_command(CLI::App& app, const GlobalOptions& global);
Run add_ptal_command(CLI::App& app, const GlobalOptions& global);
Run add_inspect_command(CLI::App& app, const GlobalOptions& global);
Run add_export_command(CLI::App& app, const GlobalOptions& global);
Run add_count_command(CLI::App& app, const GlobalOptions& global);
Run add_interpolate_command(CLI::App& app, const GlobalOptions& global);
Run add_nearest_command(CLI::App& app, const GlobalOptions& global);
Run add_pockets_command(CLI::App& app, const GlobalOptions& global);
Run add_assess_command(CLI::App& app, const GlobalOptions& global);
Run add_recipes_command(CLI::App& app, const GlobalOptions& global);
Run add_gtfs_command(CLI::App& app, const GlobalOptions& global);

}  // namespace hearth::cli
