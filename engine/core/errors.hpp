#pragma once
// Errors raised at Hearth's boundary. Each carries where it happened (file, layer,
// feature, field) so a one-line message tells a user what to fix.

#include <optional>
#include <stdexcept>
#include <string>

namespace hearth {

/// A connection string (or any text holding one) with its password replaced by "***":
/// `password=secret` and `password='se cret'` in libpq's keyword form, and
/// `postgresql://user:secret@host` in its URI form. Every message, log line and written
/// description that may quote a source goes through it.
std::string redact_secrets(const std::string& text);

/// Where in the input a problem was found. Every part is optional.
struct InputLocation {
    std::string file;
    std::string layer;
    std::optional<long long> feature;  ///< 1-based row or OGR feature id
    std::string field;

    /// "FILE: layer 'L': feature 12: field 'F'" with absent parts left out.
    std::string describe() const;
};

/// Every failure Hearth reports to a user: bad input, bad usage or an output it cannot
/// write. Anything else that escapes is a bug ("internal error").
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad input: a file, layer, row or field that is not what Hearth expects. Exit code 1.
class InputError : public Error {
public:
    InputError(InputLocation where, const std::string& problem);
    const InputLocation& where() const noexcept { return where_; }
    const std::string& problem() const noexcept { return problem_; }

private:
    InputLocation where_;
    std::string problem_;
};

/// Bad command-line usage (unknown option, missing argument). Exit code 2.
class UsageError : public Error {
public:
    using Error::Error;
};

/// An output could not be written. Exit code 1.
class OutputError : public Error {
public:
    using Error::Error;
};

}  // namespace hearth
