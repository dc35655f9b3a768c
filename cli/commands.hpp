#pragma once
// The hearth subcommands. Each registers its options on the CLI11 app (setup: parse
// and check, no I/O) and returns the function that does the work (run).

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "hearth/io/layer_reader.hpp"
#include "hearth/io/recipe.hpp"

namespace hearth::cli {

struct GlobalOptions {
    std::string layers_folder;  ///< recipe folder; empty means the default
    bool quiet = false;
    int threads = 0;            ///< 0: every core
    bool no_spatial_index = false;  ///< analysis outputs without R-trees (large runs)
    std::string crs = "EPSG:27700";  ///< working and output CRS of the analysis commands
};

using Run = std::function<int()>;

/// The recipes of --layers, or of the default folder.
RecipeBook recipe_book(const GlobalOptions& global);

/// UsageError unless `out` names a .gpkg file.
void require_geopackage(const std::string& command, const std::string& out);

/// UsageError naming `option` when `text` (if given) is not a CRS PROJ knows.
void check_crs_option(const std::string& option, const std::string& text);

/// The source named on the command line; `assume_crs` applies when it declares no CRS
/// (areas, targets and entrances are as usable without one as the points are).
LayerSource source_assuming(const std::string& argument, const std::string& assume_crs);

Run add_access_command(CLI::App& app, const GlobalOptions& global);
Run add_ptal_command(CLI::App& app, const GlobalOptions& global);
Run add_inspect_command(CLI::App& app, const GlobalOptions& global);
Run add_export_command(CLI::App& app, const GlobalOptions& global);
Run add_count_command(CLI::App& app, const GlobalOptions& global);
Run add_interpolate_command(CLI::App& app, const GlobalOptions& global);
Run add_nearest_command(CLI::App& app, const GlobalOptions& global);
Run add_pockets_command(CLI::App& app, const GlobalOptions& global);
Run add_recipes_command(CLI::App& app, const GlobalOptions& global);

}  // namespace hearth::cli
