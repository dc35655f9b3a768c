#pragma once
// Progress on stderr in GDAL's convention, shown only when stderr is a terminal and
// --quiet was not given, so logs and pipes stay clean.

#include <gdal.h>

namespace hearth::cli {

/// GDALTermProgress, or null when progress should not be shown.
GDALProgressFunc progress_for(bool quiet);

}  // namespace hearth::cli
