#pragma once
// A FeatureTable's attributes as a CSV file (no geometry), for readers without GIS: a
// spreadsheet, a report. Written by GDAL's CSV driver (quoting, line ends and number
// formatting are GDAL's), under a temporary name the caller commits.

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hearth/core/feature_table.hpp"
#include "hearth/export/atomic_output.hpp"

namespace hearth {

/// Writes `table`'s fields, then `constant_columns` (name, the same value on every
/// row), to `file`. Not committed: the caller commits it, with its other outputs.
/// OutputError naming the file when GDAL cannot write it.
std::unique_ptr<AtomicOutput> write_csv_table(const std::filesystem::path& file, const FeatureTable& table,
                                              const std::vector<std::pair<std::string, std::string>>& constant_columns = {});

}  // namespace hearth
