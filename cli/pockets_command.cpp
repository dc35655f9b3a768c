#include <cmath>
#include <cstdio>
#include <iomanip>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "hearth/atomic_output.hpp"
#include "hearth/crs.hpp"
#include "hearth/deprivation_pockets.hpp"
#include "hearth/errors.hpp"
#include "hearth/geopackage_writer.hpp"
#include "hearth/layer_reader.hpp"
#include "hearth/parallel.hpp"
#include "hearth/phase_timer.hpp"
#include "hearth/recipe.hpp"
#include "hearth/study.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

struct PocketsOptions {
    std::string study, out;
    std::string areas, area_id, indicator, decile, population, within, within_id;
    std::string housing, homes, tenure, landlord, epc, cat1;
    std::vector<std::string> health, methods;
    std::string contiguity = "tolerance";
    double tolerance_m = 1.0;
    int permutations = 999;
    std::uint64_t seed = 12345;
    double alpha = 0.05;
    bool fdr = false, higher_is_better = false, area_weighting = false;
    int decile_threshold = 2, masked_gap = 3;
};

std::string csv_cell(const FieldValue& v) {
    std::string text = std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) return "";
            else if constexpr (std::is_same_v<T, std::string>) return x;
            else {
                std::ostringstream s;
                if constexpr (std::is_same_v<T, double>) {
                    if (std::floor(x) == x && std::fabs(x) < 1e15) s << static_cast<long long>(x);
                    else s << std::setprecision(10) << x;
                } else {
                    s << x;
                }
                return s.str();
            }
        },
        v);
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

/// The pockets' attributes as CSV, beside the GeoPackage, written whole or not at all.
void write_summary_csv(const std::filesystem::path& file, const FeatureTable& pockets) {
    AtomicOutput out(file);
    {
        std::ofstream csv(out.temporary_path());
        for (std::size_t i = 0; i < pockets.fields.size(); ++i) csv << (i ? "," : "") << pockets.fields[i].name;
        csv << "\n";
        for (const auto& f : pockets.features) {
            for (std::size_t i = 0; i < f.values.size(); ++i) csv << (i ? "," : "") << csv_cell(f.values[i]);
            csv << "\n";
        }
        if (!csv) throw OutputError(file.string() + ": cannot write the summary");
    }
    out.commit();
}

LayerStyle lisa_style() {
    LayerStyle s;
    s.renderer = StyleRenderer::Categorized;
    s.field = "cluster";
    s.outline_color = "#ffffff";
    // The LISA cluster map colours of GeoDa and esda.
    s.categories = {{"HH", "High-High", "#d7191c"}, {"LL", "Low-Low", "#2c7bb6"}, {"LH", "Low-High", "#abd9e9"},
                    {"HL", "High-Low", "#f4a6c6"}, {"ns", "Not significant", "#d3d3d3"}};
    return s;
}

LayerStyle hotspot_style() {
    LayerStyle s;
    s.renderer = StyleRenderer::Categorized;
    s.field = "hotspot";
    s.outline_color = "#ffffff";
    s.categories = {{"hot", "Hot spot", "#d7191c"}, {"cold", "Cold spot", "#2c7bb6"}, {"none", "Not significant", "#d3d3d3"}};
    return s;
}

}  // namespace

Run add_pockets_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("pockets", "Find pockets of deprivation (deciles, masked, Local Moran, Gi*) and who holds homes there");
    auto o = std::make_shared<PocketsOptions>();
    cmd->add_option("--study", o->study, "Study file with a pockets: section (or give --areas ...)");
    cmd->add_option("--out", o->out, "GeoPackage to write (a .csv summary is written beside it)")->required();
    cmd->add_option("--areas", o->areas, "Small areas with the indicator");
    cmd->add_option("--area-id", o->area_id, "Area code field");
    cmd->add_option("--indicator", o->indicator, "Deprivation or health field (overrides the study's)");
    cmd->add_option("--decile", o->decile, "Published national decile field (1 = most deprived)");
    cmd->add_option("--population", o->population, "Population field");
    cmd->add_option("--within", o->within, "Wards or authorities containing the areas");
    cmd->add_option("--within-id", o->within_id, "Code field of --within");
    cmd->add_option("--health", o->health, "Fields to report as population-weighted means; repeatable");
    cmd->add_option("--housing", o->housing, "Housing stock points");
    cmd->add_option("--homes", o->homes, "Homes at each housing point");
    cmd->add_option("--tenure", o->tenure, "Tenure field of the housing");
    cmd->add_option("--landlord", o->landlord, "Landlord field of the housing");
    cmd->add_option("--epc", o->epc, "EPC band field of the housing");
    cmd->add_option("--cat1", o->cat1, "Category 1 hazards field of the housing");
    cmd->add_option("--method", o->methods, "deciles, masked, lisa, gistar (default all); repeatable")->delimiter(',');
    cmd->add_option("--contiguity", o->contiguity, "tolerance (default), queen or rook");
    cmd->add_option("--tolerance", o->tolerance_m, "Tolerance contiguity distance, metres (default 1)");
    cmd->add_option("--permutations", o->permutations, "Conditional permutations (default 999)");
    cmd->add_option("--seed", o->seed, "Random seed (default 12345)");
    cmd->add_option("--alpha", o->alpha, "Significance level (default 0.05)");
    cmd->add_flag("--fdr", o->fdr, "Benjamini-Hochberg false discovery rate correction");
    cmd->add_option("--decile-threshold", o->decile_threshold, "National deciles: flag deciles 1..N (default 2)");
    cmd->add_option("--masked-gap", o->masked_gap, "Masked: deciles below the ward mean (default 3)");
    cmd->add_flag("--higher-is-better", o->higher_is_better, "The indicator is better when higher (e.g. life expectancy)");
    cmd->add_flag("--area-weighting", o->area_weighting, "Weight ward means by area when there is no population");
    return [o, &global]() {
        require_geopackage("pockets", o->out);
        if (o->study.empty() == o->areas.empty())
            throw UsageError("pockets: give either --study or --areas (with --area-id and --indicator)");
        PocketOptions options;
        if (!o->methods.empty()) {
            options.methods = {false, false, false, false};
            for (const auto& m : o->methods) {
                if (m == "deciles") options.methods.deciles = true;
                else if (m == "masked") options.methods.masked = true;
                else if (m == "lisa") options.methods.lisa = true;
                else if (m == "gistar") options.methods.gistar = true;
                else throw UsageError("pockets: --method " + m + " is not one of deciles, masked, lisa, gistar");
            }
        }
        try {
            options.contiguity = parse_contiguity_rule(o->contiguity);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("pockets: ") + e.what());
        }
        if (o->permutations < 0 || o->alpha <= 0 || o->alpha >= 1 || o->tolerance_m < 0 || o->decile_threshold < 0 ||
            o->masked_gap < 1)
            throw UsageError("pockets: permutations >= 0, 0 < alpha < 1, tolerance >= 0, masked gap >= 1");
        options.tolerance_m = o->tolerance_m;
        options.permutations.permutations = o->permutations;
        options.permutations.seed = o->seed;
        options.permutations.alpha = o->alpha;
        options.permutations.false_discovery_rate = o->fdr;
        options.permutations.workers = worker_count(global.threads);
        options.decile_threshold = o->decile_threshold;
        options.masked_decile_gap = o->masked_gap;
        options.higher_is_worse = !o->higher_is_better;
        options.area_weighting = o->area_weighting;

        // Layers: from the study, or read as they are.
        std::optional<PhaseTimer> phase(std::in_place, "read layers");
        std::vector<FeatureTable> layers;
        PocketInputs in;
        GeosContext geos;
        std::string title;
        if (!o->study.empty()) {
            const Study study = load_study(o->study);
            if (!study.pockets) throw InputError({o->study, {}, {}, {}}, "the study has no 'pockets:' section");
            const RecipeBook recipes = recipe_book(global);
            layers = build_study_layers(study, recipes, geos, progress_for(global.quiet), nullptr);
            auto get = [&](const std::string& name) -> const FeatureTable* {
                for (const auto& l : layers)
                    if (l.name == name) return &l;
                return nullptr;
            };
            const PocketsConfig& c = *study.pockets;
            in.areas = get(c.areas_layer);
            in.area_id = c.area_id;
            in.indicator = o->indicator.empty() ? c.indicator : o->indicator;
            in.decile = o->indicator.empty() || o->indicator == c.indicator ? c.decile : o->decile;
            in.population = c.population;
            in.health = c.health;
            if (!c.within_layer.empty()) {
                in.within = get(c.within_layer);
                in.within_id = c.within_id;
            }
            if (!c.housing_layer.empty())
                in.housing = {get(c.housing_layer), c.homes, c.tenure, c.landlord, c.epc, c.cat1};
            title = study.name;
        } else {
            if (o->area_id.empty() || o->indicator.empty())
                throw UsageError("pockets: --areas needs --area-id and --indicator");
            const OGRSpatialReference crs = parse_crs(global.crs);
            auto read = [&](const std::string& argument) {
                const LayerSource s = source_from_argument(argument);
                layers.push_back(read_layer(s, passthrough_recipe(s), crs, geos));
            };
            layers.reserve(3);
            read(o->areas);
            if (!o->within.empty()) read(o->within);
            if (!o->housing.empty()) read(o->housing);
            in.areas = &layers[0];
            in.area_id = o->area_id;
            in.indicator = o->indicator;
            in.decile = o->decile;
            in.population = o->population;
            in.health = o->health;
            std::size_t next = 1;
            if (!o->within.empty()) {
                in.within = &layers[next++];
                in.within_id = o->within_id;
                if (in.within_id.empty()) throw UsageError("pockets: --within needs --within-id");
            }
            if (!o->housing.empty()) in.housing = {&layers[next], o->homes, o->tenure, o->landlord, o->epc, o->cat1};
            title = o->areas;
        }
        const bool masked_by_default = options.methods.masked && !in.within && o->methods.empty();
        if (options.methods.masked && !in.within) {
            if (!masked_by_default) throw UsageError("pockets: --method masked needs --within and --within-id");
            options.methods.masked = false;
        }
        phase.emplace("weights, statistics, pockets");
        PocketResult r = find_pockets(in, options);
        if (masked_by_default) r.notes.push_back("masked pockets left out: no --within areas given");

        LayerStyle pocket_style;
        pocket_style.color = "#b2182b";
        pocket_style.fill_opacity = 0.45;
        pocket_style.outline_color = "#67001f";
        pocket_style.outline_width_mm = 0.6;
        LayerStyle area_style;
        area_style.renderer = StyleRenderer::Categorized;
        area_style.field = "decile";
        area_style.outline_color = "#ffffff";
        const char* decile_colours[] = {"#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090",
                                        "#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695"};
        for (int d = 1; d <= 10; ++d)
            area_style.categories.push_back({std::to_string(d), d == 1 ? "1 (most deprived)" : std::to_string(d),
                                             decile_colours[d - 1]});
        const LayerStyle lisa = lisa_style(), hot = hotspot_style();
        std::vector<StyledLayer> out = {{&r.pockets, &pocket_style}, {&r.area_flags, &area_style}};
        if (!r.local_moran.features.empty()) out.push_back({&r.local_moran, &lisa});
        if (!r.getis_ord.features.empty()) out.push_back({&r.getis_ord, &hot});
        if (in.housing.table) out.push_back({&r.landlords, nullptr});
        phase.emplace("write GeoPackage and CSV");
        write_geopackage(o->out, out, nullptr, nullptr, !global.no_spatial_index);
        const auto csv = std::filesystem::path(o->out).replace_extension(".csv");
        write_summary_csv(csv, r.pockets);
        phase.reset();

        if (!global.quiet) {
            std::cout << "Pockets of deprivation in " << title << " by " << in.indicator << ": " << r.pockets.features.size()
                      << " pockets\n";
            for (const auto& n : r.notes) std::cout << "  " << n << "\n";
            const int pop = r.pockets.field_index("population"), homes = r.pockets.field_index("homes"),
                      landlord = r.pockets.field_index("main_landlord");
            for (const auto& f : r.pockets.features) {
                std::printf("  %s  %2lld areas  population %8s  methods %-26s", std::get<std::string>(f.values[0]).c_str(),
                            static_cast<long long>(std::get<std::int64_t>(f.values[3])), csv_cell(f.values[pop]).c_str(),
                            std::get<std::string>(f.values[1]).c_str());
                if (homes >= 0)
                    std::printf("  homes %6s  main landlord %s", csv_cell(f.values[homes]).c_str(),
                                csv_cell(f.values[landlord]).c_str());
                std::printf("\n");
            }
            std::cout << "Wrote " << o->out << " and " << csv.string() << "\n";
        }
        return 0;
    };
}

}  // namespace hearth::cli
