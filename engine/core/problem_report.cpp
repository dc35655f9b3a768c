#include "hearth/core/problem_report.hpp"

#include "hearth/core/published_text.hpp"

namespace hearth {

void ProblemReport::record(const InputError& error, const std::string& value) {
    problems_.push_back({error.where(), one_line(value, 200), error.problem()});
}

FeatureTable problems_table(const ProblemReport& report) {
    FeatureTable table;
    table.name = "problems";
    table.description = "Rows left out of the run under --skip-invalid, one per row: where and why";
    table.fields = {{"source", FieldType::String, "file or connection the row was read from"},
                    {"layer", FieldType::String, "layer within the source"},
                    {"row", FieldType::Integer, "feature id, or 1-based row of a table"},
                    {"field", FieldType::String, "the field at fault, when one is"},
                    {"value", FieldType::String, "the value as found (first 200 characters)"},
                    {"reason", FieldType::String, "what was expected"}};
    std::int64_t n = 0;
    for (const auto& p : report.problems()) {
        Feature f;
        f.source_row = ++n;
        auto text = [](const std::string& s) -> FieldValue { return s.empty() ? FieldValue{} : FieldValue{s}; };
        f.values = {text(p.where.file), text(p.where.layer),
                    p.where.feature ? FieldValue{static_cast<std::int64_t>(*p.where.feature)} : FieldValue{},
                    text(p.where.field), text(p.value), text(p.reason)};
        table.features.push_back(std::move(f));
    }
    return table;
}

std::string describe_problems(const ProblemReport& report) {
    if (report.empty()) return {};
    const Problem& first = report.problems().front();
    return "skipped " + std::to_string(report.size()) + " invalid row" + (report.size() == 1 ? "" : "s") +
           " (first: " + first.where.describe() + ": " + first.reason + "); see layer 'problems'";
}

}  // namespace hearth
