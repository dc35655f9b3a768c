#pragma once
// A brief's scorecard as plain data: what analysis/assess computes and what the writers
// in export (scorecard.json, scorecard.csv, report.html) read. No geometry library, no
// file format: the writers never compute, the scoring never writes.

#include <optional>
#include <string>
#include <vector>

namespace hearth {

/// One number behind a criterion, before (baseline) and after (proposal) the brief, with
/// the borough's and England's where the data allows.
struct ScoreMeasure {
    std::string id;                    ///< e.g. "imd_score", "ha_per_1000"
    std::string label;                 ///< "IMD 2019 score (population-weighted)"
    std::string unit;                  ///< "score", "%", "ha per 1,000 residents", "homes", ...
    std::optional<double> baseline;
    std::optional<double> proposal;
    std::optional<double> borough;
    std::optional<double> england;
    bool is_count_of_people = false;   ///< people or homes: suppressed under --suppress-below
    /// Set by suppress_small_counts: the value is withheld from shared outputs (never zeroed).
    bool baseline_suppressed = false;
    bool proposal_suppressed = false;
    std::string source;                ///< the layer and field it comes from
};

struct CriterionScore {
    std::string id;            ///< need, housing, health_infrastructure, open_space, active_travel, air_quality
    std::string title;         ///< "Health infrastructure"
    double score = 0;          ///< 0-100, the proposal
    std::optional<double> baseline_score;  ///< 0-100 before the brief, where it means something
    double base_weight = 0;    ///< from the parameters or the brief
    double weight = 0;         ///< after need's uplift: the weight the total uses
    std::string rag;           ///< "green", "amber", "red"
    std::string function;      ///< the scoring function in words, with its numbers
    std::string explanation;   ///< plain English, with the numbers behind it
    std::vector<ScoreMeasure> measures;
};

/// An assumption behind the numbers: a named parameter with its value and source.
struct ScoreAssumption {
    std::string name;
    double value = 0;
    std::string unit;
    std::string meaning;
    std::string source;
};

/// How much the total moves when one assumption or weight is varied over its range.
struct SensitivityResult {
    std::string assumption;    ///< parameter or "weight_<criterion>"
    std::string range;         ///< e.g. "400 to 1200 m"
    double low_total = 0;
    double high_total = 0;
    double swing = 0;          ///< largest |change| of the total
    std::string most_moved_criterion;  ///< the criterion whose score moved most
};

struct BriefScorecard {
    std::string name;
    std::string file;
    std::string description;
    double total = 0;                    ///< Σ weight × score / Σ weight over `criteria`
    std::optional<double> baseline_total;
    std::vector<CriterionScore> criteria;
    std::vector<SensitivityResult> sensitivity;  ///< largest swing first
    std::string most_sensitive_criterion;        ///< the criterion whose ±10 points move the total most
    std::vector<std::string> notes;
    /// Programme figures for the tables: homes by tenure, demolished, new residents, ...
    std::vector<ScoreMeasure> programme;
};

struct Scorecard {
    std::string study;
    std::string working_crs;
    std::vector<BriefScorecard> briefs;  ///< ranked, highest total first
    std::vector<ScoreAssumption> assumptions;
    std::vector<std::string> illustrative_inputs;
    struct Source {
        std::string layer, recipe, title, licence, attribution;
    };
    std::vector<Source> sources;
    std::optional<int> suppress_below;  ///< counts of people or homes under this are suppressed
};

/// Statistical disclosure control for outputs meant for sharing, as ONS and NHS outputs
/// do: every count of people or homes above 0 and below `threshold` is marked suppressed
/// (primary), and where a group of counts has a shown total (a brief's homes by tenure),
/// the next smallest count of the group is suppressed too (secondary), so that the total
/// cannot reveal the withheld one. Zero counts stay: they disclose no one.
void suppress_small_counts(Scorecard& scorecard, int threshold);

/// Σ weight × score / Σ weight (0 when every weight is 0): the total anyone can recompute
/// from the criteria in scorecard.json.
double weighted_total(const std::vector<CriterionScore>& criteria);

}  // namespace hearth
