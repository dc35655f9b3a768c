#pragma once
// The files a run reads, so that no output of the same run replaces one of them.

#include <filesystem>

namespace hearth {

/// Records a file this run reads (every file of a dataset: a shapefile's .shp, .dbf, .shx,
/// ...). An AtomicOutput whose target is one of them, by any path or hard link, is
/// refused: an output never replaces an input.
void note_input_file(const std::filesystem::path& file);

/// InputError unless `path` is a regular file, or a folder where `folder_allowed` (GDAL
/// reads some formats as folders): a FIFO or a device would hang the read or never end.
void require_readable_file(const std::filesystem::path& path, bool folder_allowed = false);

/// OutputError when `target` is (the same file as) a recorded input.
void refuse_input_as_output(const std::filesystem::path& target);

}  // namespace hearth
