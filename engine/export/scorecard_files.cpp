#include "hearth/export/scorecard_files.hpp"

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "hearth/core/errors.hpp"
#include "hearth/core/feature_table.hpp"
#include "hearth/export/csv_table.hpp"

namespace hearth {

namespace {

using nlohmann::ordered_json;

ordered_json number_or_null(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
}

ordered_json measure_json(const ScoreMeasure& m) {
    ordered_json j;
    j["id"] = m.id;
    j["label"] = m.label;
    j["unit"] = m.unit;
    j["baseline"] = m.baseline_suppressed ? ordered_json(nullptr) : number_or_null(m.baseline);
    j["proposal"] = m.proposal_suppressed ? ordered_json(nullptr) : number_or_null(m.proposal);
    if (m.borough) j["borough"] = number_or_null(m.borough);
    if (m.england) j["england"] = number_or_null(m.england);
    if (m.baseline_suppressed || m.proposal_suppressed) {
        ordered_json s = ordered_json::array();
        if (m.baseline_suppressed) s.push_back("baseline");
        if (m.proposal_suppressed) s.push_back("proposal");
        j["suppressed"] = s;
    }
    j["source"] = m.source;
    return j;
}

/// baseline / proposal of a criterion: its measures by id, as the reader expects
/// one object per side.
ordered_json side(const CriterionScore& c, bool baseline) {
    ordered_json j = ordered_json::object();
    for (const auto& m : c.measures) {
        const bool withheld = baseline ? m.baseline_suppressed : m.proposal_suppressed;
        j[m.id] = withheld ? ordered_json("suppressed") : number_or_null(baseline ? m.baseline : m.proposal);
    }
    return j;
}

}  // namespace

std::unique_ptr<AtomicOutput> write_scorecard_json(const std::filesystem::path& file, const Scorecard& s) {
    ordered_json root;
    root["study"] = s.study;
    root["working_crs"] = s.working_crs;
    root["total_formula"] = "total = sum(weight x score) / sum(weight) over criteria";
    if (s.suppress_below) root["suppress_below"] = *s.suppress_below;
    root["illustrative_inputs"] = s.illustrative_inputs;
    ordered_json briefs = ordered_json::array();
    int rank = 0;
    for (const auto& b : s.briefs) {
        ordered_json jb;
        jb["rank"] = ++rank;
        jb["name"] = b.name;
        jb["file"] = b.file;
        jb["description"] = b.description;
        jb["total"] = b.total;
        jb["baseline_total"] = number_or_null(b.baseline_total);
        ordered_json criteria = ordered_json::array();
        for (const auto& c : b.criteria) {
            ordered_json jc;
            jc["id"] = c.id;
            jc["title"] = c.title;
            jc["score"] = c.score;
            jc["baseline_score"] = number_or_null(c.baseline_score);
            jc["weight"] = c.weight;
            jc["base_weight"] = c.base_weight;
            jc["rag"] = c.rag;
            jc["function"] = c.function;
            jc["baseline"] = side(c, true);
            jc["proposal"] = side(c, false);
            jc["explanation"] = c.explanation;
            ordered_json measures = ordered_json::array();
            for (const auto& m : c.measures) measures.push_back(measure_json(m));
            jc["measures"] = measures;
            criteria.push_back(jc);
        }
        jb["criteria"] = criteria;
        // Options side by side: each criterion's score less the top-ranked brief's.
        ordered_json difference = ordered_json::object();
        const auto& top = s.briefs.front();
        difference["total"] = b.total - top.total;
        for (std::size_t k = 0; k < b.criteria.size() && k < top.criteria.size(); ++k)
            difference[b.criteria[k].id] = b.criteria[k].score - top.criteria[k].score;
        jb["difference_from_first"] = difference;
        ordered_json programme = ordered_json::array();
        for (const auto& m : b.programme) programme.push_back(measure_json(m));
        jb["programme"] = programme;
        ordered_json sensitivity = ordered_json::array();
        for (const auto& r : b.sensitivity)
            sensitivity.push_back({{"assumption", r.assumption},
                                   {"range", r.range},
                                   {"low_total", r.low_total},
                                   {"high_total", r.high_total},
                                   {"swing", r.swing},
                                   {"most_moved_criterion", r.most_moved_criterion}});
        jb["sensitivity"] = sensitivity;
        jb["most_sensitive_criterion"] = b.most_sensitive_criterion;
        jb["notes"] = b.notes;
        briefs.push_back(jb);
    }
    root["briefs"] = briefs;
    ordered_json assumptions = ordered_json::array();
    for (const auto& a : s.assumptions)
        assumptions.push_back({{"name", a.name}, {"value", a.value}, {"unit", a.unit}, {"meaning", a.meaning}, {"source", a.source}});
    root["assumptions"] = assumptions;
    // The sensitivity of each brief also sits at the top level, keyed by brief, for
    // readers that look for it beside the assumptions.
    ordered_json sensitivity = ordered_json::object();
    for (std::size_t k = 0; k < s.briefs.size(); ++k) sensitivity[s.briefs[k].name] = briefs[k]["sensitivity"];
    root["sensitivity"] = sensitivity;
    ordered_json sources = ordered_json::array();
    for (const auto& src : s.sources)
        sources.push_back({{"layer", src.layer}, {"recipe", src.recipe}, {"title", src.title}, {"licence", src.licence},
                           {"attribution", src.attribution}});
    root["sources"] = sources;

    auto out = std::make_unique<AtomicOutput>(file);
    std::ofstream f(out->temporary_path(), std::ios::binary);
    f << root.dump(2) << "\n";
    f.close();
    if (!f) throw OutputError("cannot write " + file.string());
    return out;
}

std::unique_ptr<AtomicOutput> write_scorecard_csv(const std::filesystem::path& file, const Scorecard& s) {
    FeatureTable t;
    t.name = "scorecard";
    t.fields = {{"rank", FieldType::Integer, "brief's rank by total"},
                {"brief", FieldType::String, "brief"},
                {"total", FieldType::Real, "brief's total, 0-100"},
                {"criterion", FieldType::String, "criterion id"},
                {"score", FieldType::Real, "criterion score, 0-100 (the proposal)"},
                {"baseline_score", FieldType::Real, "criterion score before the brief"},
                {"weight", FieldType::Real, "weight in the total (after need)"},
                {"rag", FieldType::String, "rating"},
                {"explanation", FieldType::String, "in plain English"}};
    std::int64_t rank = 0, row = 0;
    for (const auto& b : s.briefs) {
        ++rank;
        for (const auto& c : b.criteria) {
            Feature f;
            f.source_row = ++row;
            f.values = {rank, b.name, b.total, c.id, c.score,
                        c.baseline_score ? FieldValue{*c.baseline_score} : FieldValue{}, c.weight, c.rag, c.explanation};
            t.features.push_back(std::move(f));
        }
    }
    return write_csv_table(file, t);
}

}  // namespace hearth
