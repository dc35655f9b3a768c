#pragma once
// Every assumption behind a number, by name, with its default, unit and source.
// A study overrides any of them under `parameters:`; docs/methods.md lists them.

#include <map>
#include <string>
#include <vector>

namespace hearth {

struct ParameterDefinition {
    const char* name;
    double default_value;
    const char* unit;
    const char* meaning;
    const char* source;
};

/// The table of every named parameter.
const std::vector<ParameterDefinition>& parameter_definitions();

/// Parameter values: the defaults, overridden by a study.
class Parameters {
public:
    Parameters();
    /// Overrides; std::invalid_argument naming an unknown parameter (with the closest
    /// names) or a value that is not finite or is negative.
    void set(const std::string& name, double value);
    double get(const std::string& name) const;
    const std::map<std::string, double>& values() const { return values_; }

private:
    std::map<std::string, double> values_;
};

}  // namespace hearth
