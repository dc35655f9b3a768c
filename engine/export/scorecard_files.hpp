#pragma once
// A scorecard as the files a reader can recompute it from: scorecard.json (every input,
// number, assumption and sensitivity, through nlohmann-json) and scorecard.csv (one row
// per brief and criterion, through GDAL's CSV driver). Values suppressed for sharing
// are written as null with a `suppressed` mark, never as 0. Written under temporary
// names the caller commits with the run's other outputs.

#include <filesystem>
#include <memory>

#include "hearth/core/scorecard.hpp"
#include "hearth/export/atomic_output.hpp"

namespace hearth {

std::unique_ptr<AtomicOutput> write_scorecard_json(const std::filesystem::path& file, const Scorecard& scorecard);
std::unique_ptr<AtomicOutput> write_scorecard_csv(const std::filesystem::path& file, const Scorecard& scorecard);

}  // namespace hearth
