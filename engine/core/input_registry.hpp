#pragma once
// The files a run reads, so that no output of the same run replaces one of them.

#include <filesystem>

namespace hearth {

/// Records a file this run reads (every file of a dataset: a shapefile's .shp, .dbf, .shx,
/// ...). An AtomicOutput whose target is one of them, by any path or hard link, is
/// refused: an output never replaces an input.
void note_input_file(const std::filesystem::path& file);

/// OutputError when `target` is (the same file as) a recorded input.
void refuse_input_as_output(const std::filesystem::path& target);

}  // namespace hearth
