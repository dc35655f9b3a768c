// hearth assess: scores development briefs against the health evidence of their place
// and writes scorecard.json, scorecard.csv, assessment.gpkg and report.html into one
// folder, all or none.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "hearth/analysis/assess/brief_assessment.hpp"
#include "hearth/core/errors.hpp"
#include "hearth/core/parallel.hpp"
#include "hearth/core/phase_timer.hpp"
#include "hearth/export/report/assessment_report.hpp"
#include "hearth/export/postgis_writer.hpp"
#include "hearth/export/scorecard_files.hpp"
#include "hearth/geometry/crs.hpp"
#include "pockets_inputs.hpp"
#include "progress.hpp"

namespace hearth::cli {

namespace {

struct AssessOptions {
    std::string study, out, briefs_folder, postgis;
    std::vector<std::string> briefs;
    int suppress_below = 0;
    bool no_pockets = false;
};

/// The brief files: those named, then a folder's *.yaml and *.yml in name order.
std::vector<std::filesystem::path> brief_files(const AssessOptions& o) {
    std::vector<std::filesystem::path> files(o.briefs.begin(), o.briefs.end());
    if (!o.briefs_folder.empty()) {
        if (!std::filesystem::is_directory(o.briefs_folder))
            throw UsageError("assess: --briefs " + o.briefs_folder + " is not a folder");
        std::vector<std::filesystem::path> found;
        for (const auto& entry : std::filesystem::directory_iterator(o.briefs_folder)) {
            const auto ext = entry.path().extension();
            if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) found.push_back(entry.path());
        }
        if (found.empty()) throw UsageError("assess: --briefs " + o.briefs_folder + " holds no .yaml brief");
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    if (files.empty()) throw UsageError("assess: give one or more --brief FILE, or --briefs FOLDER");
    return files;
}

LayerStyle outline_style(const std::string& colour, double width_mm) {
    LayerStyle s;
    s.color = colour;
    s.fill_opacity = 0.0;
    s.outline_color = colour;
    s.outline_width_mm = width_mm;
    return s;
}

LayerStyle fill_style(const std::string& colour, const std::string& outline, double opacity = 1.0) {
    LayerStyle s;
    s.color = colour;
    s.outline_color = outline;
    s.outline_width_mm = 0.3;
    s.fill_opacity = opacity;
    return s;
}

LayerStyle marker_style(const std::string& colour, double size_mm) {
    LayerStyle s;
    s.color = colour;
    s.outline_color = "#ffffff";
    s.marker_size_mm = size_mm;
    return s;
}

/// Every study layer assess reads, with its recipe's title, licence and publisher.
std::vector<Scorecard::Source> sources_of(const Study& study, const RecipeBook& recipes, const AssessConfig& c) {
    std::vector<std::string> names = {c.areas.layer, c.census_health.layer, c.housing.layer, c.access.greenspace_layer,
                                      c.access.frequencies_layer, c.access.gp_layer};
    for (const auto& s : c.access.stops) names.push_back(s.layer);
    std::vector<Scorecard::Source> out;
    std::set<std::string> seen;
    auto add = [&](const std::string& layer, const std::string& recipe_name) {
        if (!seen.insert(layer + "|" + recipe_name).second) return;
        const Recipe& r = recipes.get(recipe_name);
        out.push_back({layer, r.name, r.title, r.licence, r.publisher.empty() ? "" : "Source: " + r.publisher});
    };
    for (const auto& name : names) {
        const int i = study.layer_index(name);
        if (name.empty() || i < 0) continue;
        const StudyLayer& layer = study.layers[static_cast<std::size_t>(i)];
        add(layer.name, layer.recipe);
        for (const auto& j : layer.joins) add(layer.name, j.recipe);
    }
    return out;
}

/// Hearth pockets with the study's settings, for the need criterion; nothing when the
/// study has no pockets section.
std::optional<PocketResult> study_pockets(const Study& study, const RecipeBook& recipes,
                                          const std::vector<FeatureTable>& layers, const GlobalOptions& global) {
    if (!study.section("pockets")) return std::nullopt;
    const PocketsConfig config = pockets_config(study);
    const PocketsOptions defaults;
    PocketOptions options = analysis_options(defaults, study.parameters, &config, global);
    PocketInputs in = study_inputs(defaults, study, config, recipes, layers);
    if (!in.within) options.methods.masked = false;
    PocketResult r = find_pockets(in, options);
    mark_illustrative(r, in);
    return r;
}

void print_summary(const Scorecard& s, const std::filesystem::path& out) {
    if (s.briefs.empty()) return;
    std::printf("Health assessment of %zu brief%s in study '%s' (0-100; rating: G green, A amber, R red)\n", s.briefs.size(),
                s.briefs.size() == 1 ? "" : "s", s.study.c_str());
    std::printf("  %-4s %-30s %6s", "rank", "brief", "total");
    const char* heads[] = {"need", "housing", "health", "open sp", "travel", "air"};
    for (const char* h : heads) std::printf(" %9s", h);
    std::printf("\n");
    int rank = 0;
    for (const auto& b : s.briefs) {
        std::printf("  %-4d %-30s %6.1f", ++rank, b.name.substr(0, 30).c_str(), b.total);
        for (const auto& c : b.criteria)
            std::printf(" %6.0f %c%s", c.score, static_cast<char>(std::toupper(c.rag[0])), c.weight == 0 ? "*" : " ");
        std::printf("\n");
    }
    std::printf("  * weight 0: not in the total\n");
    for (const auto& b : s.briefs) {
        if (b.sensitivity.empty()) continue;
        const auto& top = b.sensitivity.front();
        std::printf("  %s: most sensitive to %s (%s: total %.1f to %.1f)\n", b.name.c_str(), top.assumption.c_str(),
                    top.range.c_str(), top.low_total, top.high_total);
    }
    if (!s.illustrative_inputs.empty()) {
        std::string list;
        for (const auto& i : s.illustrative_inputs) list += (list.empty() ? "" : ", ") + i;
        std::printf("  ILLUSTRATIVE inputs: %s\n", list.c_str());
    }
    std::printf("Wrote %s/{scorecard.json, scorecard.csv, assessment.gpkg, report.html}\n", out.string().c_str());
}

}  // namespace

Run add_assess_command(CLI::App& app, const GlobalOptions& global) {
    auto* cmd = app.add_subcommand("assess", "Score development briefs against health outcomes: scorecards, report, QGIS layers");
    auto o = std::make_shared<AssessOptions>();
    cmd->add_option("--study", o->study, "Study file with assess: and access: sections")->required();
    cmd->add_option("--brief", o->briefs, "Brief file (YAML); repeatable to compare options");
    cmd->add_option("--briefs", o->briefs_folder, "Folder of brief files, all scored and ranked");
    cmd->add_option("--out", o->out, "Folder to write scorecard.json, scorecard.csv, assessment.gpkg, report.html")->required();
    cmd->add_option("--suppress-below", o->suppress_below,
                    "Suppress counts of people or homes from 1 to N-1 in every output (default: off)");
    cmd->add_flag("--no-pockets", o->no_pockets, "Do not run hearth pockets for the need criterion");
    cmd->add_option("--postgis", o->postgis,
                    "Also write the assessment's layers into this PostGIS database (PG:\"...\"; --schema, --overwrite)");
    return [o, &global]() {
        if (o->suppress_below < 0) throw UsageError("assess: --suppress-below takes a count of 0 or more");
        const std::filesystem::path out = o->out;
        if (std::filesystem::exists(out) && !std::filesystem::is_directory(out))
            throw UsageError("assess: --out " + o->out + " is a file; it names the folder to write into");
        const auto files = brief_files(*o);
        if (!o->postgis.empty() && !is_postgis_output(o->postgis))
            throw UsageError("assess: --postgis takes a database, PG:\"dbname=... host=...\"");

        // Prepare: the study, its sections and every brief checked before any work.
        std::optional<PhaseTimer> phase(std::in_place, "check study and briefs");
        const Study study = load_study_for_run(o->study, global);
        const AssessConfig config = assess_config(study);
        const RecipeBook recipes = recipe_book(global);
        validate_study(study, recipes);
        const OGRSpatialReference crs = parse_crs(study.crs);
        std::vector<Brief> briefs;
        std::set<std::string> names;
        for (const auto& f : files) {
            briefs.push_back(load_brief(f, crs, assessment_criteria()));
            if (!names.insert(briefs.back().name).second)
                throw InputError({f.string(), {}, {}, "name"}, "two briefs are called '" + briefs.back().name +
                                                                   "'; give each a name of its own");
        }

        phase.emplace("read study layers");
        GeosContext geos;
        const std::vector<FeatureTable> layers = build_study_layers(study, recipes, geos, progress_for(global.quiet), nullptr);
        StudyTables tables;
        for (const auto& t : layers) tables.tables.push_back(&t);
        phase.emplace("pockets");
        const std::optional<PocketResult> pockets =
            o->no_pockets ? std::nullopt : study_pockets(study, recipes, layers, global);

        phase.emplace("score briefs");
        AssessmentInputs in = prepare_assessment(config, tables, study.parameters, pockets ? &pockets->pockets : nullptr,
                                                 worker_count(global.threads));
        in.suppress_below = o->suppress_below;
        std::vector<BriefEvidence> evidence(briefs.size());
        std::vector<BriefScorecard> cards;
        const GDALProgressFunc progress = progress_for(global.quiet);
        for (std::size_t b = 0; b < briefs.size(); ++b) {
            if (progress) progress(static_cast<double>(b) / briefs.size(), ("scoring " + briefs[b].name).c_str(), nullptr);
            cards.push_back(assess_brief(in, briefs[b], study.parameters, &evidence[b]));
        }
        if (progress) progress(1.0, "scored", nullptr);

        // Ranked by total, highest first; ties keep the order given.
        std::vector<std::size_t> order(briefs.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cards[a].total > cards[b].total; });

        Scorecard scorecard;
        scorecard.study = study.name;
        scorecard.working_crs = study.crs;
        for (std::size_t i : order) scorecard.briefs.push_back(cards[i]);
        scorecard.assumptions = assessment_assumptions(study.parameters);
        scorecard.illustrative_inputs = in.illustrative_inputs;
        scorecard.sources = sources_of(study, recipes, config);
        if (o->suppress_below > 0) suppress_small_counts(scorecard, o->suppress_below);

        phase.emplace("write outputs");
        std::vector<const Brief*> ranked_briefs;
        std::vector<const BriefEvidence*> ranked_evidence;
        std::vector<const BriefScorecard*> ranked_cards;
        for (std::size_t k = 0; k < order.size(); ++k) {
            ranked_briefs.push_back(&briefs[order[k]]);
            ranked_evidence.push_back(&evidence[order[k]]);
            ranked_cards.push_back(&scorecard.briefs[k]);
        }
        AssessmentLayers l = assessment_layers(in, ranked_briefs, ranked_evidence, ranked_cards);

        LayerStyle deciles = recipes.get("imd2019_file7").style;
        deciles.field = "imd_decile";
        deciles.outline_color = "#ffffff";
        // The study's other areas, faint, so the catchment is seen in its borough.
        LayerStyle context = deciles;
        context.field = config.areas.imd_decile;
        context.fill_opacity = 0.3;
        const LayerStyle site = outline_style("#000000", 0.9), catchment = outline_style("#3a3a3a", 0.5);
        const LayerStyle green = fill_style("#4daf4a", "#2d7a2b", 0.85), new_green = fill_style("#a6d96a", "#1a9641", 0.9);
        const LayerStyle stops = marker_style("#e31a1c", 2.2);
        LayerStyle homes = ptal_band_style("ptal");
        homes.marker_size_mm = 1.2;
        std::vector<StyledLayer> gpkg = {{&l.catchment_areas, &deciles}, {&l.greenspace, &green},
                                         {&l.new_open_space, &new_green}, {&l.homes, &homes},
                                         {&l.new_stops, &stops},          {&l.catchments, &catchment},
                                         {&l.sites, &site}};
        // The brief's own additions only when some brief has them: an empty layer draws
        // nothing in QGIS and reads as a mistake.
        gpkg.erase(std::remove_if(gpkg.begin(), gpkg.end(),
                                  [&](const StyledLayer& x) {
                                      return (x.table == &l.new_stops || x.table == &l.new_open_space) && x.table->features.empty();
                                  }),
                   gpkg.end());
        if (o->suppress_below > 0) {
            // Shared outputs: a point per address is disclosive whatever its count, so the
            // homes layer is left out; small catchment populations are withheld (null).
            gpkg.erase(std::remove_if(gpkg.begin(), gpkg.end(), [&](const StyledLayer& x) { return x.table == &l.homes; }),
                       gpkg.end());
            for (FeatureTable* t : {&l.catchments, &l.catchment_areas}) {
                const int residents = t->field_index(t == &l.catchments ? "residents" : "population");
                for (auto& f : t->features) {
                    const auto v = value_number(f.values[static_cast<std::size_t>(residents)]);
                    if (v && *v > 0 && *v < o->suppress_below) f.values[static_cast<std::size_t>(residents)] = FieldValue{};
                }
            }
        }

        // Maps of each brief, framed on its catchment.
        const LayerStyle bus_stops = marker_style("#6a3d9a", 1.3), stations = marker_style("#1f78b4", 2.6);
        LayerStyle map_homes = homes;
        map_homes.marker_size_mm = 1.7;
        map_homes.outline_color = "#7a7a7a";
        std::vector<std::vector<ReportMap>> maps;
        for (std::size_t k = 0; k < scorecard.briefs.size(); ++k) {
            const std::string& name = scorecard.briefs[k].name;
            OGREnvelope extent;
            ranked_evidence[k]->catchment->getEnvelope(&extent);
            ReportMap need;
            need.title = "Deprivation around the site";
            need.caption = "Areas touching the catchment by IMD 2019 decile (1, dark red, is the most deprived tenth of England); "
                           "the study's other areas faint; the site (black) and its " +
                           std::to_string(static_cast<int>(ranked_evidence[k]->catchment_m)) +
                           " m catchment (dashed). Blank land lies outside the study. British National Grid.";
            need.extent = extent;
            need.layers = {{in.areas, "", context, ""},
                           {&l.catchment_areas, name, deciles, "IMD 2019 decile"},
                           {&l.catchments, name, catchment, "Catchment"},
                           {&l.sites, name, site, "Site"}};
            ReportMap access;
            access.title = "Green space and public transport";
            access.caption = "Publicly accessible green space, the brief's new open space, homes by PTAL with the brief's "
                             "transport changes, bus stops and stations. Straight-line walks.";
            access.extent = extent;
            access.layers = {{&l.greenspace, name, green, "Accessible green space"},
                             {&l.new_open_space, name, new_green, "New open space"},
                             {&l.homes, name, map_homes, "PTAL of homes (after)"}};
            for (const auto& spec : config.access.stops) {
                const FeatureTable& t = tables.get(spec.layer);
                const bool bus = spec.mode == "bus";
                access.layers.push_back({&t, "", bus ? bus_stops : stations, bus ? "Bus stop" : "Station", ReportMarker::Square});
            }
            access.layers.push_back({&l.new_stops, name, stops, "New stop or station", ReportMarker::Square});
            access.layers.push_back({&l.catchments, name, catchment, "Catchment"});
            access.layers.push_back({&l.sites, name, site, "Site"});
            maps.push_back({std::move(need), std::move(access)});
        }

        std::error_code made;
        std::filesystem::create_directories(out, made);
        if (made) throw OutputError("assess: cannot create the folder " + out.string() + ": " + made.message());
        // Every file is written under a temporary name; the GeoPackage is renamed into
        // place last but one, and the others only once it is: all outputs or none.
        const auto json = write_scorecard_json(out / "scorecard.json", scorecard);
        const auto csv = write_scorecard_csv(out / "scorecard.csv", scorecard);
        const auto html = write_assessment_report(out / "report.html", scorecard, maps);
        FeatureTable problems;
        add_problems_layer(gpkg, global, problems);
        // The team's database first, in its own transaction: a failure there leaves no
        // file renamed into place. (A GeoPackage failing after it cannot undo the commit.)
        if (!o->postgis.empty()) write_layers(o->postgis, gpkg, global);
        write_geopackage(out / "assessment.gpkg", gpkg, nullptr, nullptr, !global.no_spatial_index);
        json->commit();
        csv->commit();
        html->commit();
        phase.reset();
        if (!global.quiet) {
            for (const auto& n : in.notes) std::cout << "  " << n << "\n";
            print_summary(scorecard, out);
        }
        return 0;
    };
}

}  // namespace hearth::cli
