#include <cmath>
#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "hearth/analysis/interpolation/areal_interpolation.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_writer.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/core/parallel.hpp"

namespace hearth::cli {

namespace {

struct InterpolateOptions {
    std::string from, to, to_id, population, out, assume_crs;
    std::vector<std::string> fields;
};

std::vector<std::optional<double>> column(const FeatureTable& t, const std::string& field) {
    const int index = t.field_index(field);
    if (index < 0) throw InputError({t.source, {}, {}, field}, "no such field in the source layer");
    if (t.fields[index].type == FieldType::String)
        throw InputError({t.source, {}, {}, field}, "expected a numeric field, found text");
    std::vector<std::optional<double>> out;
    for (const auto& f : t.features) {
        out.push_back(value_number(f.values[index]));
        if (out.back() && !std::isfinite(*out.back()))
            throw InputError({t.source, {}, f.source_row, field}, "expected a finite number, found " + value_text(f.values[index]));
    }
    return out;
}

std::vector<const OGRGeometry*> geometries(const FeatureTable& t) {
    std::vector<const OGRGeometry*> out;
    for (const auto& f : t.features) out.push_back(f.geometry.get());
    return out;
}

}  // namespace

Run add_interpolate_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("interpolate", "Area-weighted interpolation of fields from one set of areas to another");
    auto opt = std::make_shared<InterpolateOptions>();
    cmd->add_option("--from", opt->from, "Source polygons (file, or file|layername=NAME)")->required();
    cmd->add_option("--field", opt->fields, "NAME[:extensive|:intensive] to carry (default extensive); repeatable")
        ->required();
    cmd->add_option("--to", opt->to, "Target polygons")->required();
    cmd->add_option("--to-id", opt->to_id, "Field identifying each target area")->required();
    cmd->add_option("--population", opt->population, "Source field weighting intensive variables by population");
    cmd->add_option("--assume-crs", opt->assume_crs, "CRS of a source or target that declares none");
    cmd->add_option("--out", opt->out, "GeoPackage to write")->required();
    return [opt, &global]() {
        require_layers_output("interpolate", opt->out);
        struct Request {
            std::string name;
            Quantity quantity;
        };
        std::vector<Request> requests;
        for (const auto& f : opt->fields) {
            const auto colon = f.rfind(':');
            const std::string name = colon == std::string::npos ? f : f.substr(0, colon);
            const std::string kind = colon == std::string::npos ? "extensive" : f.substr(colon + 1);
            if (kind != "extensive" && kind != "intensive")
                throw UsageError("interpolate: --field " + f + ": the kind must be extensive or intensive");
            if (name.empty()) throw UsageError("interpolate: --field '" + f + "' names no field");
            for (const auto& r : requests)
                if (r.name == name) throw UsageError("interpolate: --field " + name + " is given twice");
            requests.push_back({name, kind == "extensive" ? Quantity::Extensive : Quantity::Intensive});
        }
        const OGRSpatialReference crs = parse_crs(global.crs);
        GeosContext geos;
        check_crs_option("--assume-crs", opt->assume_crs);
        const LayerSource from_source = source_assuming(opt->from, opt->assume_crs, global),
                          to_source = source_assuming(opt->to, opt->assume_crs, global);
        const FeatureTable from = read_layer(from_source, passthrough_recipe(from_source), crs, geos);
        FeatureTable to = read_layer(to_source, passthrough_recipe(to_source), crs, geos);
        const int id_index = to.field_index(opt->to_id);
        if (id_index < 0) throw InputError({to_source.path, {}, {}, opt->to_id}, "no such field in the target layer");
        for (const FeatureTable* t : {&from, static_cast<const FeatureTable*>(&to)})
            if (t->geometry_type != wkbMultiPolygon)
                throw InputError({t->source, {}, {}, {}}, "expected polygons for interpolation");

        std::optional<std::vector<std::optional<double>>> population;
        if (!opt->population.empty()) {
            population = column(from, opt->population);
            for (std::size_t i = 0; i < population->size(); ++i)
                if ((*population)[i] && *(*population)[i] < 0)
                    throw InputError({from.source, {}, from.features[i].source_row, opt->population},
                                     "a population weight must not be negative");
        }
        const OverlayResult overlay = overlay_areas(geometries(from), geometries(to), worker_count(global.threads));

        FeatureTable out;
        out.name = "interpolated";
        out.description = "Area-weighted interpolation (Tobler) from " + from.source;
        out.geometry_type = to.geometry_type;
        out.crs = to.crs;
        out.fields.push_back(to.fields[id_index]);
        std::vector<std::vector<std::optional<double>>> results;
        for (const auto& r : requests) {
            InterpolatedVariable v{column(from, r.name), r.quantity};
            results.push_back(interpolate(overlay, v, to.features.size(),
                                          r.quantity == Quantity::Intensive && population ? &*population : nullptr));
            out.fields.push_back({r.name, FieldType::Real,
                                  std::string(r.quantity == Quantity::Extensive ? "extensive" : "intensive") +
                                      ", area-weighted from " + from.source});
            if (!global.quiet && r.quantity == Quantity::Extensive) {
                double source_total = 0, target_total = 0;
                for (const auto& x : v.source) source_total += x.value_or(0);
                for (const auto& x : results.back()) target_total += x.value_or(0);
                std::cout << "  " << r.name << ": source total " << std::setprecision(10) << source_total
                          << ", allocated to targets " << target_total << "\n";
            }
        }
        for (std::size_t j = 0; j < to.features.size(); ++j) {
            Feature f;
            f.source_row = to.features[j].source_row;
            f.geometry = std::move(to.features[j].geometry);
            f.values.push_back(to.features[j].values[id_index]);
            for (const auto& r : results)
                f.values.push_back(r[j] ? FieldValue{*r[j]} : FieldValue{std::monostate{}});
            out.features.push_back(std::move(f));
        }
        std::vector<double> first;
        for (const auto& v : results.front())
            if (v) first.push_back(*v);
        const LayerStyle style = quantile_style(requests.front().name, first);
        std::vector<StyledLayer> layers = {{&out, &style}};
        FeatureTable problems;
        add_problems_layer(layers, global, problems);
        write_layers(opt->out, layers, global, nullptr);
        if (!global.quiet) {
            std::cout << "Interpolated " << requests.size() << " fields from " << from.features.size() << " to "
                      << out.features.size() << " areas (" << overlay.overlaps.size() << " overlaps";
            if (overlay.snapped_pairs) std::cout << ", " << overlay.snapped_pairs << " needed 1 mm snap-rounding";
            std::cout << ")\nWrote " << opt->out << "\n";
        }
        return 0;
    };
}

}  // namespace hearth::cli
