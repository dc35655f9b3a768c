#pragma once
// Bad rows under --skip-invalid. Hearth is strict by default: the first bad row of an
// input ends the run with an error naming it. A national run (25 million homes) can
// instead leave bad rows out, each recorded with where it was and why, written to a
// `problems` layer and counted in the summary, as osmium's problem reporter and
// `ogr2ogr -skipfailures` do.

#include <cstddef>
#include <string>
#include <vector>

#include "hearth/core/errors.hpp"
#include "hearth/core/feature_table.hpp"

namespace hearth {

/// One row left out: where (file, layer, row, field), the value as found, and why.
struct Problem {
    InputLocation where;
    std::string value;
    std::string reason;
};

class ProblemReport {
public:
    /// Records the row `error` names, with its raw `value` (shortened to 200 characters,
    /// line breaks shown as \n), so the run goes on without it.
    void record(const InputError& error, const std::string& value = {});

    const std::vector<Problem>& problems() const { return problems_; }
    std::size_t size() const { return problems_.size(); }
    bool empty() const { return problems_.empty(); }

private:
    std::vector<Problem> problems_;
};

/// The `problems` layer (no geometry): source, layer, row, field, value, reason.
FeatureTable problems_table(const ProblemReport& report);

/// "skipped 3 invalid rows (first: FILE: layer 'L': feature 12: field 'F': expected a
/// number, found 'x'); see layer 'problems'", or "" when none.
std::string describe_problems(const ProblemReport& report);

}  // namespace hearth
