#include "progress.hpp"

#include <unistd.h>

#include <cpl_progress.h>

namespace hearth::cli {

GDALProgressFunc progress_for(bool quiet) {
    if (quiet || !::isatty(STDERR_FILENO)) return nullptr;
    return GDALTermProgress;
}

}  // namespace hearth::cli
