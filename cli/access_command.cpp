#include <algorithm>
#include <cmath>
#include <optional>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "hearth/io/point_reader.hpp"
#include "hearth/analysis/access/accessibility.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_writer.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/core/phase_timer.hpp"
#include "hearth/geometry/spatial_order.hpp"
#include "hearth/io/study.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

struct StudyRun {
    Study study;
    AccessConfig access;
    std::optional<RecipeBook> recipes;
    std::vector<FeatureTable> layers;
    StudyTables tables;
};

/// Loads a study with an access section and reads (and joins) its layers but the homes,
/// which can be millions of points: `access` streams them into columns on their own.
std::unique_ptr<StudyRun> load_access_study(const std::string& file, const GlobalOptions& global) {
    auto run = std::make_unique<StudyRun>();
    run->study = load_study_for_run(file, global);
    run->access = access_config(run->study);
    run->recipes.emplace(recipe_book(global));
    GeosContext geos;
    run->layers = build_study_layers(run->study, *run->recipes, geos, progress_for(global.quiet), nullptr,
                                     {run->access.homes_layer});
    for (const auto& t : run->layers) run->tables.tables.push_back(&t);
    return run;
}

/// The study layers marked illustrative among `names`.
std::vector<std::string> illustrative_among(const Study& study, const RecipeBook& recipes,
                                            const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& name : names) {
        const int i = study.layer_index(name);
        if (name.empty() || i < 0) continue;
        if (is_illustrative(study.layers[i], recipes) && std::find(out.begin(), out.end(), name) == out.end())
            out.push_back(name);
    }
    return out;
}

/// Each output names the illustrative inputs its numbers depend on: the PTAL grid its
/// stops and frequencies, the homes and summaries everything they were computed from.
void mark_illustrative(AccessResult& result, const AccessConfig& access, const Study& study, const RecipeBook& recipes) {
    const AccessConfig& c = access;
    std::vector<std::string> transport = {c.frequencies_layer};
    for (const auto& s : c.stops) transport.push_back(s.layer);
    std::vector<std::string> all = {c.homes_layer, c.greenspace_layer, c.access_points_layer, c.gp_layer};
    all.insert(all.end(), transport.begin(), transport.end());
    result.homes.illustrative_inputs = illustrative_among(study, recipes, all);
    for (std::size_t i = 0; i < result.area_summaries.size() && i < c.areas.size(); ++i) {
        std::vector<std::string> names = all;
        names.push_back(c.areas[i].layer);
        result.area_summaries[i].illustrative_inputs = illustrative_among(study, recipes, names);
    }
    if (!c.areas.empty()) transport.push_back(c.areas.front().layer);
    result.ptal_grid.illustrative_inputs = illustrative_among(study, recipes, transport);
}

}  // namespace

Run add_access_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("access", "Green space (ANGSt), PTAL and GP access per home, summarised per area");
    auto study = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    cmd->add_option("--study", *study, "Study file with an access: section")->required();
    cmd->add_option("--out", *out, "GeoPackage to write")->required();
    return [study, out, &global]() {
        require_layers_output("access", *out);
        const auto run = load_access_study(*study, global);
        const AccessConfig& config = run->access;
        std::optional<PhaseTimer> phase(std::in_place, "read homes");
        PointSet homes = read_study_points(run->study, *run->recipes, config.homes_layer, config.homes_id,
                                           config.homes_weight.empty() ? std::vector<std::string>{}
                                                                       : std::vector<std::string>{config.homes_weight},
                                           progress_for(global.quiet), nullptr);
        phase.emplace("spatial order");
        sort_spatially(homes, worker_count(global.threads));  // output rows follow; source_fid links them back
        phase.emplace("compute access");
        AccessResult result = compute_access(config, run->tables, std::move(homes), parse_crs(run->study.crs),
                                             run->study.parameters, worker_count(global.threads),
                                             progress_for(global.quiet), nullptr);
        const StudyLayer& home_layer = run->study.layers[run->study.layer_index(config.homes_layer)];
        result.homes.source = home_layer.source.path + (home_layer.source.layer.empty() ? "" : "|layername=" + home_layer.source.layer);
        phase.emplace("write GeoPackage");
        const LayerStyle ptal_style = ptal_band_style("ptal_band");  // homes and grid alike
        // The same fixed percentage classes for every area layer, so LSOA and ward maps compare.
        const LayerStyle summary_style = share_style("share_angst_2ha_300m", "Greens");
        std::vector<LayerStyle> summary_styles;
        for (const auto& s : result.area_summaries)
            summary_styles.push_back(s.field_index("share_angst_2ha_300m") >= 0 ? summary_style : LayerStyle{});
        mark_illustrative(result, run->access, run->study, *run->recipes);
        const bool has_ptal = std::any_of(result.homes.columns.begin(), result.homes.columns.end(),
                                          [](const PointColumn& c) { return c.definition.name == "ptal_band"; });
        std::vector<StyledLayer> layers = {{nullptr, has_ptal ? &ptal_style : nullptr, &result.homes}};
        for (std::size_t i = 0; i < result.area_summaries.size(); ++i)
            layers.push_back({&result.area_summaries[i], &summary_styles[i]});
        if (result.ptal_grid.size() > 0) layers.push_back({nullptr, &ptal_style, &result.ptal_grid});
        FeatureTable problems;
        add_problems_layer(layers, global, problems);
        write_layers(*out, layers, global, progress_for(global.quiet));
        phase.reset();
        if (!global.quiet) {
            std::cout << "Access for " << result.homes.size() << " home locations in study '"
                      << run->study.name << "' (straight-line distances)\n";
            if (const auto label = illustrative_label(result.homes.illustrative_inputs); !label.empty())
                std::cout << "  " << label.substr(0, label.size() - 1) << "\n";
            for (const auto& n : result.notes) std::cout << "  " << n << "\n";
            for (const auto& l : layers)
                std::cout << "  " << (l.points ? l.points->name : l.table->name) << ": "
                          << (l.points ? l.points->size() : l.table->features.size()) << " features\n";
            std::cout << "Wrote " << output_label(*out, global) << "\n";
        }
        return 0;
    };
}

Run add_ptal_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("ptal", "PTAL at one location with the part each route plays");
    auto study = std::make_shared<std::string>();
    auto at = std::make_shared<std::string>();
    auto at_crs = std::make_shared<std::string>();
    cmd->add_option("--study", *study, "Study file with an access: section naming stops and frequencies")->required();
    cmd->add_option("--at", *at, "X,Y of the location (easting,northing in the study CRS unless --at-crs)")->required();
    cmd->add_option("--at-crs", *at_crs, "CRS of --at, e.g. EPSG:4326 for longitude,latitude");
    return [study, at, at_crs, &global]() {
        double x = 0, y = 0;
        char comma = 0;
        std::istringstream in(*at);
        if (!(in >> x >> comma >> y) || comma != ',' || !in.eof() || !std::isfinite(x) || !std::isfinite(y))
            throw UsageError("ptal: --at takes X,Y (two numbers and a comma), got '" + *at + "'");
        GlobalOptions quiet = global;
        quiet.quiet = true;
        const auto run = load_access_study(*study, quiet);
        if (run->access.stops.empty())
            throw InputError({*study, {}, {}, {}}, "the access section has no transport: stops and frequencies");
        check_crs_option("--at-crs", *at_crs);
        if (!at_crs->empty()) {
            auto ct = make_transform(parse_crs(*at_crs), parse_crs(run->study.crs));
            if (ct && !ct->Transform(1, &x, &y)) throw UsageError("ptal: --at cannot be transformed to " + run->study.crs);
        }
        std::string area;
        if (!within_area_of_use(parse_crs(run->study.crs), x, y, &area))
            throw UsageError("ptal: --at " + *at + " lies outside the area " + run->study.crs + " is defined for (" + area +
                             "); is it in another CRS? say which with --at-crs");
        // A PTAL of 0 outside the study's data is no answer: the stops there were not read.
        if (!run->access.areas.empty()) {
            OGREnvelope extent;
            for (const auto& f : run->tables.get(run->access.areas.front().layer).features)
                if (f.geometry) {
                    OGREnvelope e;
                    f.geometry->getEnvelope(&e);
                    extent.Merge(e);
                }
            constexpr double kMarginM = 1000;
            if (extent.IsInit() && (x < extent.MinX - kMarginM || x > extent.MaxX + kMarginM ||
                                    y < extent.MinY - kMarginM || y > extent.MaxY + kMarginM))
                throw UsageError("ptal: --at " + *at + " lies outside the study area (its '" +
                                 run->access.areas.front().layer + "' layer, " + std::to_string(int(extent.MinX)) + "," +
                                 std::to_string(int(extent.MinY)) + " to " + std::to_string(int(extent.MaxX)) + "," +
                                 std::to_string(int(extent.MaxY)) + " in " + run->study.crs +
                                 "); the study's stops do not cover it" +
                                 (at_crs->empty() ? "; if it is longitude,latitude add --at-crs EPSG:4326" : ""));
        }
        std::vector<std::string> notes;
        const PtalCalculator ptal = build_ptal(run->access, run->tables, run->study.parameters, &notes);
        const PtalResult r = ptal.at(x, y, true);
        std::printf("PTAL at %.1f, %.1f (%s): access index %.2f, band %s\n", x, y, run->study.crs.c_str(), r.access_index,
                    r.band.c_str());
        std::printf("Straight-line walk distances; walk %.0f m/min; bus stops within %.0f m, rail within %.0f m.\n",
                    ptal.parameters().walk_speed_m_per_min, ptal.parameters().bus_max_walk_m,
                    ptal.parameters().rail_max_walk_m);
        std::printf("%-12s %-12s %-14s %8s %7s %6s %6s %6s %7s %6s\n", "mode", "route", "stop", "walk_m", "walk", "SWT",
                    "AWT", "TAT", "EDF", "weight");
        for (const auto& c : r.routes)
            std::printf("%-12s %-12s %-14s %8.0f %7.2f %6.2f %6.2f %6.2f %7.3f %6.1f\n", transport_mode_name(c.mode),
                        c.route_id.c_str(), c.stop_id.c_str(), c.walk_m, c.walk_min, c.swt_min, c.awt_min, c.tat_min,
                        c.edf, c.weight);
        return 0;
    };
}

}  // namespace hearth::cli
