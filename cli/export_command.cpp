#include <iostream>

#include "commands.hpp"
#include "hearth/analysis/access/access_config.hpp"
#include "hearth/analysis/pockets/pockets_config.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_writer.hpp"
#include "hearth/io/study.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

struct ExportOptions {
    std::string study;
    std::string out;
    bool validate_only = false;
};

void print_layer(std::ostream& out, const FeatureTable& t) {
    out << "  " << t.name << ": " << t.features.size() << " features, "
        << (t.has_geometry() ? OGRGeometryTypeToName(t.geometry_type) : "no geometry") << ", " << t.fields.size()
        << " fields (recipe " << t.recipe << ")\n";
    for (const auto& note : t.diagnostics.notes) out << "    " << note << "\n";
}

}  // namespace

Run add_export_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("export", "Write every layer of a study into one styled GeoPackage");
    auto opt = std::make_shared<ExportOptions>();
    cmd->add_option("--study", opt->study, "Study file (YAML)")->required();
    cmd->add_option("--out", opt->out, "GeoPackage to write (.gpkg)");
    cmd->add_flag("--validate", opt->validate_only, "Check the study, its recipes and sources; write nothing");
    return [opt, &global]() {
        if (!opt->validate_only && opt->out.empty()) throw UsageError("export: --out FILE.gpkg is required");
        if (!opt->out.empty()) require_layers_output("export", opt->out);
        const RecipeBook recipes = recipe_book(global);
        const Study study = load_study_for_run(opt->study, global);
        if (opt->validate_only) {
            validate_study(study, recipes);  // build_study_layers runs this same pass before reading
            // Each analysis checks its own section of the study.
            if (study.section("access")) access_config(study);
            if (study.section("pockets")) pockets_config(study);
            std::cout << opt->study << ": study '" << study.name << "' is valid (" << study.layers.size()
                      << " layers)\n";
            return 0;
        }
        GeosContext geos;
        const GDALProgressFunc progress = progress_for(global.quiet);
        const std::vector<FeatureTable> tables = build_study_layers(study, recipes, geos, progress, nullptr);
        std::vector<StyledLayer> styled;
        for (std::size_t i = 0; i < tables.size(); ++i)
            styled.push_back({&tables[i], &study_layer_style(study.layers[i], recipes)});
        FeatureTable problems;
        add_problems_layer(styled, global, problems);
        write_layers(opt->out, styled, global, progress);
        if (!global.quiet) {
            std::cout << "Study: " << study.name << " (" << study.crs << ")\n";
            for (const auto& t : tables) print_layer(std::cout, t);
            std::cout << "Wrote " << output_label(opt->out, global) << " (" << tables.size() << " layers, styled for QGIS)\n";
        }
        return 0;
    };
}

}  // namespace hearth::cli
