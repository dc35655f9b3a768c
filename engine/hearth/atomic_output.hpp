#pragma once
// An output file that appears whole or not at all: written under a temporary name in
// the same folder, renamed over the target on commit(), removed if never committed.

#include <filesystem>

namespace hearth {

/// Records a file this run reads (every file of a dataset: a shapefile's .shp, .dbf, .shx,
/// ...). An AtomicOutput whose target is one of them, by any path or hard link, is
/// refused: an output never replaces an input.
void note_input_file(const std::filesystem::path& file);

/// OutputError when `target` is (the same file as) a recorded input.
void refuse_input_as_output(const std::filesystem::path& target);


class AtomicOutput {
public:
    /// Creates the target's folder if needed. OutputError when it cannot, or when the
    /// target is a file this run reads (note_input_file).
    explicit AtomicOutput(std::filesystem::path target);
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;
    AtomicOutput(AtomicOutput&&) = delete;
    AtomicOutput& operator=(AtomicOutput&&) = delete;

    /// Where to write meanwhile.
    const std::filesystem::path& temporary_path() const { return temporary_; }
    const std::filesystem::path& target() const { return target_; }
    /// Moves the finished file into place. OutputError when the rename fails.
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path temporary_;
    bool committed_ = false;
};

}  // namespace hearth
