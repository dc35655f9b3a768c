#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <stdexcept>

#include "commands.hpp"
#include "hearth/io/point_reader.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_writer.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/geometry/nearest.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/core/phase_timer.hpp"
#include "hearth/geometry/spatial_order.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

struct NearestOptions {
    std::string from, to, to_id, from_id, out, assume_crs, access_points, access_key;
    double max_distance = 0;
};

/// The nearest target's id in the type it has in the targets (a feature id is a whole
/// number), so the output joins back to them in QGIS.
PointColumn nearest_id_column(const FeatureTable& targets, int to_id, const std::vector<std::int32_t>& nearest) {
    const char* name = "nearest_id";
    const char* description = "id of the nearest target";
    const FieldType type = to_id >= 0 ? targets.fields[to_id].type : FieldType::Integer;
    if (type == FieldType::String) {
        std::vector<std::string> labels;
        for (const auto& t : targets.features) labels.push_back(value_text(t.values[to_id]));
        return PointColumn::coded(name, description, nearest, std::move(labels));
    }
    auto number = [&](std::int32_t t) -> std::optional<double> {
        if (t == kNoTarget) return std::nullopt;
        return to_id >= 0 ? value_number(targets.features[t].values[to_id])
                          : std::optional<double>(static_cast<double>(targets.features[t].source_row));
    };
    if (type == FieldType::Integer) {
        std::vector<std::int64_t> values;
        values.reserve(nearest.size());
        for (auto t : nearest) {
            if (t == kNoTarget) values.push_back(kNullInteger);
            else if (to_id < 0) values.push_back(targets.features[t].source_row);
            else if (const auto* v = std::get_if<std::int64_t>(&targets.features[t].values[to_id])) values.push_back(*v);
            else values.push_back(kNullInteger);
        }
        return PointColumn::integer(name, description, std::move(values));
    }
    std::vector<double> values;
    values.reserve(nearest.size());
    for (auto t : nearest) values.push_back(number(t).value_or(std::numeric_limits<double>::quiet_NaN()));
    return PointColumn::real(name, description, std::move(values));
}

}  // namespace

Run add_nearest_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("nearest", "For each point, the nearest target feature and the distance to it");
    auto opt = std::make_shared<NearestOptions>();
    cmd->add_option("--from", opt->from, "Points (file, or file|layername=NAME)")->required();
    cmd->add_option("--to", opt->to, "Targets: points, lines or polygons")->required();
    cmd->add_option("--to-id", opt->to_id, "Target field to report (default: the target's feature id)");
    cmd->add_option("--from-id", opt->from_id, "Point field to carry into the output");
    cmd->add_option("--max-distance", opt->max_distance, "Ignore targets farther than this, metres");
    cmd->add_option("--access-points", opt->access_points, "Entrances of the targets (e.g. OS Greenspace access points)");
    cmd->add_option("--access-key", opt->access_key, "Field of --access-points holding the target's --to-id");
    cmd->add_option("--assume-crs", opt->assume_crs, "CRS of the points when their file declares none");
    cmd->add_option("--out", opt->out, "GeoPackage to write")->required();
    return [opt, &global]() {
        require_layers_output("nearest", opt->out);
        if (opt->access_points.empty() != opt->access_key.empty() || (!opt->access_points.empty() && opt->to_id.empty()))
            throw UsageError("nearest: --access-points needs --access-key and --to-id");
        if (opt->max_distance < 0 || !std::isfinite(opt->max_distance))
            throw UsageError("nearest: --max-distance must be a positive number of metres");
        const OGRSpatialReference crs = parse_crs(global.crs);
        const unsigned workers = worker_count(global.threads);
        GeosContext geos;
        check_crs_option("--assume-crs", opt->assume_crs);
        const LayerSource to_source = source_assuming(opt->to, opt->assume_crs, global);
        std::optional<PhaseTimer> phase(std::in_place, "read targets");
        const FeatureTable targets = read_layer(to_source, passthrough_recipe(to_source), crs, geos);
        if (!targets.has_geometry()) throw InputError({to_source.path, {}, {}, {}}, "targets have no geometry");
        const int to_id = opt->to_id.empty() ? -1 : targets.field_index(opt->to_id);
        if (!opt->to_id.empty() && to_id < 0)
            throw InputError({to_source.path, {}, {}, opt->to_id}, "no such field in the target layer");
        std::vector<const OGRGeometry*> target_geometries;
        for (const auto& f : targets.features) target_geometries.push_back(f.geometry.get());

        phase.emplace("read points");
        PointSetRequest request;
        request.id_field = opt->from_id;
        PointSet points = read_point_set(source_assuming(opt->from, opt->assume_crs, global), crs, request,
                                         progress_for(global.quiet), nullptr);
        phase.emplace("spatial order");
        sort_spatially(points, workers);  // output rows follow; source_fid links them back
        phase.emplace("nearest search");
        NearestResult nearest;
        if (opt->access_points.empty()) {
            try {
                nearest = nearest_targets(points, target_geometries, opt->max_distance, workers);
            } catch (const std::invalid_argument& e) {  // a target nearest cannot measure to
                throw InputError({to_source.path, to_source.layer, {}, {}}, e.what());
            }
        } else {
            PointSetRequest ap_request;
            ap_request.id_field = opt->access_key;
            const PointSet entrances = read_point_set(source_assuming(opt->access_points, opt->assume_crs, global), crs, ap_request);
            std::map<std::string, std::int32_t> target_of_id;
            for (std::size_t t = 0; t < targets.features.size(); ++t)
                target_of_id.emplace(value_text(targets.features[t].values[to_id]), static_cast<std::int32_t>(t));
            std::vector<std::int32_t> entrance_target;
            std::size_t orphans = 0;
            for (const auto& key : entrances.ids) {
                const auto it = target_of_id.find(key);
                entrance_target.push_back(it == target_of_id.end() ? kNoTarget : it->second);
                orphans += it == target_of_id.end();
            }
            if (orphans && !global.quiet)
                std::cout << "  " << orphans << " access points name no target and are ignored\n";
            nearest = nearest_via_access_points(points, target_geometries, entrances, entrance_target,
                                                opt->max_distance, workers);
        }

        phase.emplace("build output");
        PointTable out;
        out.name = "nearest";
        out.description = "Nearest target by straight-line distance (metres)";
        out.crs = crs;
        out.x = std::move(points.x);
        out.y = std::move(points.y);
        out.columns.push_back(PointColumn::integer("source_fid", "feature id in the points layer", std::move(points.source_row)));
        if (!opt->from_id.empty()) {
            try {
                out.columns.push_back(PointColumn::carried_id(opt->from_id, "id of the point", std::move(points.ids), points.id_type));
            } catch (const std::invalid_argument& e) {
                throw InputError({opt->from, {}, {}, opt->from_id}, e.what());
            }
        }
        const std::size_t unmatched = static_cast<std::size_t>(std::count(nearest.target.begin(), nearest.target.end(), kNoTarget));
        out.columns.push_back(nearest_id_column(targets, to_id, nearest.target));
        out.columns.push_back(PointColumn::real("distance_m", "straight-line distance, metres (0 inside a polygon)", nearest.distance_m));
        std::vector<double> distances;
        for (double d : nearest.distance_m)
            if (std::isfinite(d)) distances.push_back(d);
        const LayerStyle style = quantile_style("distance_m", distances);
        phase.emplace("write GeoPackage");
        std::vector<StyledLayer> layers = {{nullptr, &style, &out}};
        FeatureTable problems;
        add_problems_layer(layers, global, problems);
        write_layers(opt->out, layers, global, progress_for(global.quiet));
        phase.reset();
        if (!global.quiet) {
            std::cout << "Nearest of " << targets.features.size() << " targets for " << out.size() << " points";
            if (unmatched) std::cout << "; " << unmatched << " with none within " << opt->max_distance << " m";
            std::cout << "\nWrote " << opt->out << "\n";
        }
        return 0;
    };
}

}  // namespace hearth::cli
