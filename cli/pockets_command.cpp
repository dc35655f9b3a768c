#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "hearth/export/atomic_output.hpp"
#include "hearth/export/csv_table.hpp"
#include "hearth/geometry/crs.hpp"
#include "hearth/analysis/pockets/deprivation_pockets.hpp"
#include "hearth/analysis/pockets/pockets_config.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/export/geopackage_writer.hpp"
#include "hearth/export/postgis_writer.hpp"
#include "hearth/io/layer_reader.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/core/phase_timer.hpp"
#include "hearth/io/recipe.hpp"
#include "hearth/io/study.hpp"
#include "pockets_inputs.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

std::string cell_text(const FieldValue& v) {
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
/// Each row says which deciles it speaks of (`deciles`); a pocket table built from
/// illustrative data also carries an `illustrative_inputs` column.
/// Written but not yet committed: the caller commits it with the GeoPackage.
std::unique_ptr<AtomicOutput> write_summary_csv(const std::filesystem::path& file, const FeatureTable& pockets,
                                                const std::string& decile_basis) {
    std::vector<std::pair<std::string, std::string>> columns = {{"deciles", decile_basis}};
    const std::string illustrative = illustrative_label(pockets.illustrative_inputs);
    if (!illustrative.empty()) columns.emplace_back("illustrative_inputs", illustrative);
    return write_csv_table(file, pockets, columns);
}

LayerStyle lisa_style() {
    LayerStyle s;
    s.renderer = StyleRenderer::Categorized;
    s.field = "cluster";
    s.outline_color = "#ffffff";
    // The LISA cluster map colours of GeoDa and esda; "High" is always the worse side here.
    s.categories = {{"HH", "Worse among worse (HH)", "#d7191c"}, {"HL", "Worse among better (HL)", "#f4a6c6"},
                    {"LH", "Better among worse (LH)", "#abd9e9"}, {"LL", "Better among better (LL)", "#2c7bb6"},
                    {"ns", "Not significant", "#e0e0e0"}};
    return s;
}

LayerStyle hotspot_style() {
    LayerStyle s;
    s.renderer = StyleRenderer::Categorized;
    s.field = "hotspot";
    s.outline_color = "#ffffff";
    s.categories = {{"hot", "Hot spot (worse values cluster)", "#d7191c"},
                    {"cold", "Cold spot (better values cluster)", "#2c7bb6"},
                    {"none", "Not significant", "#e0e0e0"}};
    return s;
}

/// Pockets as outlines with their names, so the deciles beneath stay readable.
LayerStyle pocket_style() {
    LayerStyle s;
    s.color = "#000000";
    s.fill_opacity = 0.0;
    s.outline_color = "#000000";
    s.outline_width_mm = 0.8;
    s.label_field = "pocket_id";
    s.label_size_pt = 9;
    return s;
}

/// Each area by the strongest reason it is flagged, unflagged areas pale.
LayerStyle flag_style() {
    LayerStyle s;
    s.renderer = StyleRenderer::Categorized;
    s.field = "flagged_as";
    s.outline_color = "#ffffff";
    s.categories = {{"masked", "Masked: deprived area in a less deprived ward", "#7b3294"},
                    {"most deprived", "Most deprived deciles", "#d7191c"},
                    {"cluster", "Cluster or hot spot only (LISA, Gi*)", "#fdae61"},
                    {"not flagged", "Not flagged", "#eeeeee"}};
    return s;
}

PocketInputs standalone_inputs(const PocketsOptions& o, const GlobalOptions& global, GeosContext& geos,
                               std::vector<FeatureTable>& layers) {
    if (o.area_id.empty() || o.indicator.empty()) throw UsageError("pockets: --areas needs --area-id and --indicator");
    if (!o.within.empty() && o.within_id.empty()) throw UsageError("pockets: --within needs --within-id");
    const OGRSpatialReference crs = parse_crs(global.crs);
    auto read = [&](const std::string& argument) {
        const LayerSource s = source_assuming(argument, {}, global);
        layers.push_back(read_layer(s, passthrough_recipe(s), crs, geos));
    };
    layers.reserve(3);
    read(o.areas);
    if (!o.within.empty()) read(o.within);
    if (!o.housing.empty()) read(o.housing);
    PocketInputs in;
    in.areas = &layers[0];
    in.area_id = o.area_id;
    in.area_name = o.area_name;
    in.indicator = o.indicator;
    in.decile = o.decile;
    in.population = o.population;
    in.health = o.health;
    std::size_t next = 1;
    if (!o.within.empty()) {
        in.within = &layers[next++];
        in.within_id = o.within_id;
        in.within_name = o.within_name;
    }
    if (!o.housing.empty()) in.housing = {&layers[next], o.homes, o.tenure, o.landlord, o.epc, o.cat1};
    return in;
}

void print_summary(const std::string& title, const PocketInputs& in, const PocketOptions& options, const PocketResult& r,
                   const std::string& out, const std::filesystem::path& csv) {
    std::cout << "Pockets of deprivation in " << title << " by " << in.indicator
              << (options.higher_is_worse ? " (higher is worse; " : " (higher is better; ") << r.decile_basis
              << "): " << r.pockets.features.size() << " pockets, most severe first\n";
    if (const std::string label = illustrative_label(r.pockets.illustrative_inputs); !label.empty())
        std::cout << "  " << label.substr(0, label.size() - 1) << "\n";
    for (const auto& n : r.notes) std::cout << "  " << n << "\n";
    const auto& p = r.pockets;
    const int name = p.field_index("name"), areas = p.field_index("areas"), decile = p.field_index("mean_decile"),
              pop = p.field_index("population"), methods = p.field_index("methods"), homes = p.field_index("homes"),
              landlord = p.field_index("main_landlord");
    for (const auto& f : p.features) {
        const auto mean = value_number(f.values[decile]);
        std::printf("  %s  %-34s %2lld areas  mean decile %4s  population %7s  %-22s", value_text(f.values[0]).c_str(),
                    value_text(f.values[name]).substr(0, 34).c_str(), static_cast<long long>(std::get<std::int64_t>(f.values[areas])),
                    mean ? (std::ostringstream() << std::fixed << std::setprecision(1) << *mean).str().c_str() : "",
                    cell_text(f.values[pop]).c_str(), value_text(f.values[methods]).c_str());
        if (homes >= 0)
            std::printf("  homes %6s  main landlord %s", cell_text(f.values[homes]).c_str(), cell_text(f.values[landlord]).c_str());
        std::printf("\n");
    }
    std::cout << "Wrote " << out << (csv.empty() ? "" : " and " + csv.string()) << "\n";
}

}  // namespace

Run add_pockets_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("pockets", "Find pockets of deprivation (deciles, masked, Local Moran, Gi*) and who holds homes there");
    auto o = std::make_shared<PocketsOptions>();
    cmd->add_option("--study", o->study, "Study file with a pockets: section (or give --areas ...)");
    cmd->add_option("--out", o->out, "GeoPackage to write (a .csv summary is written beside it)")->required();
    cmd->add_option("--areas", o->areas, "Small areas with the indicator");
    cmd->add_option("--area-id", o->area_id, "Area code field");
    cmd->add_option("--area-name", o->area_name, "Area name field (e.g. lsoa11nm)");
    cmd->add_option("--indicator", o->indicator, "Deprivation or health field (overrides the study's)");
    cmd->add_option("--decile", o->decile, "Published national decile field of the indicator (1 = most deprived)");
    cmd->add_option("--decile-scope", o->decile_scope,
                    "national (default: the published national decile) or study (ranked within these areas)");
    cmd->add_option("--population", o->population, "Population field");
    cmd->add_option("--within", o->within, "Wards or authorities containing the areas");
    cmd->add_option("--within-id", o->within_id, "Code field of --within");
    cmd->add_option("--within-name", o->within_name, "Name field of --within (names the pockets)");
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
    cmd->add_option("--decile-threshold", o->decile_threshold,
                    "National deciles: flag deciles 1..N (parameter pockets_decile_threshold, default 2)");
    cmd->add_option("--masked-max-decile", o->masked_max_decile,
                    "Masked: the area in decile 1..N (parameter masked_area_max_decile, default 2)");
    cmd->add_option("--masked-ward-mean", o->masked_ward_mean,
                    "Masked: its ward's mean decile at least this (parameter masked_ward_min_mean_decile, default 5)");
    cmd->add_option("--max-pocket-areas", o->max_pocket_areas,
                    "Split larger pockets along ward boundaries (parameter pocket_max_areas, default 8; 0: never)");
    cmd->add_flag("--higher-is-better", o->higher_is_better, "The indicator is better when higher (e.g. life expectancy, a rank)");
    cmd->add_flag("--area-weighting", o->area_weighting, "Weight ward means by area when there is no population");
    return [o, &global]() {
        require_layers_output("pockets", o->out);
        if (o->study.empty() == o->areas.empty())
            throw UsageError("pockets: give either --study or --areas (with --area-id and --indicator)");

        std::optional<PhaseTimer> phase(std::in_place, "read layers");
        std::vector<FeatureTable> layers;
        PocketInputs in;
        PocketOptions options;
        GeosContext geos;
        std::string title;
        if (!o->study.empty()) {
            const Study study = load_study_for_run(o->study, global);
            const PocketsConfig config = pockets_config(study);
            options = analysis_options(*o, study.parameters, &config, global);
            const RecipeBook recipes = recipe_book(global);
            layers = build_study_layers(study, recipes, geos, progress_for(global.quiet), nullptr);
            in = study_inputs(*o, study, config, recipes, layers);
            title = study.name;
        } else {
            options = analysis_options(*o, Parameters{}, nullptr, global);
            in = standalone_inputs(*o, global, geos, layers);
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
        mark_illustrative(r, in);

        const LayerStyle pockets = pocket_style(), areas = flag_style(), lisa = lisa_style(), hot = hotspot_style();
        std::vector<StyledLayer> out = {{&r.pockets, &pockets}, {&r.area_flags, &areas}};
        if (!r.local_moran.features.empty()) out.push_back({&r.local_moran, &lisa});
        if (!r.getis_ord.features.empty()) out.push_back({&r.getis_ord, &hot});
        if (in.housing.table) out.push_back({&r.landlords, nullptr});
        phase.emplace("write GeoPackage and CSV");
        // The CSV first, committed only once the GeoPackage is: both outputs or neither.
        // A PostGIS output holds the same table; no CSV is written beside a database.
        const bool database = is_postgis_output(o->out);
        const auto csv = database ? std::filesystem::path() : std::filesystem::path(o->out).replace_extension(".csv");
        const auto csv_output = database ? nullptr : write_summary_csv(csv, r.pockets, r.decile_basis);
        FeatureTable problems;
        add_problems_layer(out, global, problems);
        write_layers(o->out, out, global, nullptr);
        if (csv_output) csv_output->commit();
        phase.reset();
        if (!global.quiet) print_summary(title, in, options, r, output_label(o->out, global), csv);
        return 0;
    };
}

}  // namespace hearth::cli
