#include <iostream>

#include "commands.hpp"
#include "hearth/io/point_reader.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_writer.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/core/phase_timer.hpp"
#include "hearth/geometry/spatial_order.hpp"
#include "hearth/analysis/count/point_count.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

struct CountOptions {
    std::string points, areas, area_id, by, out, assume_crs;
    std::vector<std::string> sums;
};

}  // namespace

Run add_count_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("count", "Count points (homes) in areas, by category, with sums");
    auto opt = std::make_shared<CountOptions>();
    cmd->add_option("--points", opt->points, "Point layer (file, or file|layername=NAME)")->required();
    cmd->add_option("--areas", opt->areas, "Polygon layer (file, or file|layername=NAME)")->required();
    cmd->add_option("--area-id", opt->area_id, "Field identifying each area")->required();
    cmd->add_option("--by", opt->by, "Field of the points to count by category (count_<value>)");
    cmd->add_option("--sum", opt->sums, "Numeric field of the points to sum (sum_<field>); repeatable");
    cmd->add_option("--assume-crs", opt->assume_crs, "CRS of the points when their file declares none");
    cmd->add_option("--out", opt->out, "GeoPackage to write")->required();
    return [opt, &global]() {
        require_layers_output("count", opt->out);
        const OGRSpatialReference crs = parse_crs(global.crs);
        const GDALProgressFunc progress = progress_for(global.quiet);
        check_crs_option("--assume-crs", opt->assume_crs);
        const LayerSource area_source = source_assuming(opt->areas, opt->assume_crs, global);
        GeosContext geos;
        std::optional<PhaseTimer> phase(std::in_place, "read areas");
        FeatureTable areas = read_layer(area_source, passthrough_recipe(area_source), crs, geos);
        areas.name = "point_counts";
        if (areas.field_index(opt->area_id) < 0)
            throw InputError({area_source.path, {}, {}, opt->area_id}, "no such field in the areas layer");
        phase.emplace("read points");
        PointSetRequest request;
        request.category_field = opt->by;
        request.value_fields = opt->sums;
        PointSet points = read_point_set(source_assuming(opt->points, opt->assume_crs, global), crs, request, progress, nullptr);
        // A column per category: an id-like field would make thousands of columns.
        constexpr std::size_t kMostCategories = 100;
        if (points.category_names.size() > kMostCategories)
            throw UsageError("count: --by " + opt->by + " has " + std::to_string(points.category_names.size()) +
                             " different values; it takes a category field such as tenure (at most " +
                             std::to_string(kMostCategories) + " values)");
        phase.emplace("spatial order");
        sort_spatially(points, worker_count(global.threads));
        phase.emplace("locate and count");
        PointCountResult result =
            count_points_in_areas(std::move(areas), opt->area_id, points, opt->sums, worker_count(global.threads));
        std::vector<double> counts;
        for (const auto& f : result.areas.features) counts.push_back(static_cast<double>(std::get<std::int64_t>(f.values[1])));
        const LayerStyle style = quantile_style("count", counts);
        phase.emplace("write GeoPackage");
        std::vector<StyledLayer> layers = {{&result.areas, &style}};
        FeatureTable problems;
        add_problems_layer(layers, global, problems);
        write_layers(opt->out, layers, global, nullptr);
        phase.reset();
        if (!global.quiet) {
            std::cout << "Counted " << points.size() << " points into " << result.areas.features.size() << " areas";
            if (points.without_geometry) std::cout << " (" << points.without_geometry << " features without geometry skipped)";
            std::cout << "\n";
            if (result.points_outside) {
                std::cout << "  " << result.points_outside << " points lie in no area (e.g. feature";
                for (auto r : result.outside_examples) std::cout << " " << r;
                std::cout << ")\n";
            }
            std::cout << "Wrote " << output_label(opt->out, global) << "\n";
        }
        return 0;
    };
}

}  // namespace hearth::cli
